import IQPCore

/// The checks between a C caller's pointers and IQPCore's values: counts, null pointers, 0/1
/// bytes and finite numbers, each failure an `IQPError` naming the Python argument
/// (`ground_truth[3, 5]`, `params[2]`), so that no input reaches an IQPCore precondition.
enum ABIInputs {
    /// A row-major `rows × columns` array of 0/1 bytes (numpy `uint8`, C order) as packed rows.
    static func bits(_ pointer: UnsafePointer<UInt8>?, rows: Int, columns: Int, name: String) throws -> BitMatrix {
        guard rows >= 0, columns >= 1 else {
            throw IQPError("has shape (\(rows), \(columns)); needs at least one column", field: name)
        }
        let (count, overflow) = rows.multipliedReportingOverflow(by: columns)
        guard !overflow else { throw IQPError("has too many entries", field: name) }
        var matrix = BitMatrix(rows: rows, columns: columns)
        guard count > 0 else { return matrix }
        guard let pointer else { throw IQPError("is missing", field: name) }
        let words = matrix.wordsPerRow
        for r in 0..<rows {
            let row = pointer + r * columns
            for c in 0..<columns {
                let v = row[c]
                guard v <= 1 else { throw IQPError("value \(v) is not 0 or 1", field: "\(name)[\(r), \(c)]") }
                if v == 1 { matrix.words[r * words + c >> 6] |= UInt64(1) << UInt64(c & 63) }
            }
        }
        return matrix
    }

    /// `count` finite doubles.
    static func doubles(_ pointer: UnsafePointer<Double>?, count: Int, expected: Int? = nil, name: String) throws -> [Double] {
        if let expected, count != expected {
            throw IQPError("has \(count) values but needs \(expected)", field: name)
        }
        guard count >= 0 else { throw IQPError("has a negative length", field: name) }
        guard count > 0 else { return [] }
        guard let pointer else { throw IQPError("is missing", field: name) }
        let values = Array(UnsafeBufferPointer(start: pointer, count: count))
        if let bad = values.firstIndex(where: { !$0.isFinite }) {
            throw IQPError("value \(values[bad]) is not finite", field: "\(name)[\(bad)]")
        }
        return values
    }

    /// A C string, or nil.
    static func string(_ pointer: UnsafePointer<CChar>?) -> String? {
        pointer.map { String(cString: $0) }
    }

    /// The object behind a handle made by this library.
    static func object<T: AnyObject>(_ handle: UnsafeMutableRawPointer?, _ type: T.Type, name: String) throws -> T {
        guard let handle else { throw IQPError("is missing (a closed or null handle)", field: name) }
        return Unmanaged<T>.fromOpaque(handle).takeUnretainedValue()
    }

    /// A retained handle to `object`, released by the matching `…_free`.
    static func handle(_ object: AnyObject) -> UnsafeMutableRawPointer {
        Unmanaged.passRetained(object).toOpaque()
    }

    /// Releases a handle made by `handle`.
    static func release(_ handle: UnsafeMutableRawPointer?) {
        guard let handle else { return }
        Unmanaged<AnyObject>.fromOpaque(handle).release()
    }

    /// Checks a positive count.
    static func positive(_ value: Int, minimum: Int = 1, name: String) throws {
        guard value >= minimum else { throw IQPError("must be at least \(minimum), got \(value)", field: name) }
    }
}
