import Foundation

/// numpy `.npy` files (format versions 1.0, 2.0 and 3.0) holding a 2-D array of samples.
///
/// The header is a Python dict literal `{'descr': '<i8', 'fortran_order': False,
/// 'shape': (5000, 16), }`. Supported dtypes: `|b1` (bool), `|u1`, `|i1`, `u2`/`i2`,
/// `u4`/`i4`, `u8`/`i8`, `f4`, `f8`, little- or big-endian. Fortran-order arrays are
/// transposed on reading.
///
/// Values are bits 0/1, or spins ±1: an array that contains −1 and no 0 is read as spins
/// with σ = (−1)^x (docs/math.md, notation), i.e. x = (1 − σ)/2: +1 → 0, −1 → 1. An array with
/// only +1 values has no −1 and is therefore read as bits (all ones). Any other value is an
/// error naming its 0-based numpy index `[row, column]`.
enum NpyFormat {
    static let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]  // \x93NUMPY

    /// What one element of the array holds: 0, 1, −1, or something else (`other`).
    private typealias Code = Int8
    private static let other: Code = 2

    /// The array in `bytes` as a matrix (row r is sample r). Errors name `file` and, for a bad
    /// value, its numpy index `[row, column]`.
    static func parse(bytes: UnsafeRawBufferPointer, file: String?, expectedWidth: Int?) throws -> BitMatrix {
        let (header, dataStart) = try readHeader(bytes, file: file)
        let layout = try ArrayLayout(header: header, expectedWidth: expectedWidth, file: file)
        let data = try arrayData(bytes, from: dataStart, layout: layout, header: header, file: file)
        let codes = classify(data, count: layout.count, header: header)
        let setCode = try bitCode(codes, data: data, layout: layout, header: header, file: file)
        return pack(codes, layout: layout, setCode: setCode)
    }

    static func error(_ message: String, file: String?, field: String? = nil) -> IQPError {
        IQPError(message, file: file, field: field)
    }

    /// The header dict (after the magic, the version and the header length) and the offset at
    /// which the array data starts.
    static func readHeader(_ bytes: UnsafeRawBufferPointer, file: String?) throws -> (NpyHeader, Int) {
        guard bytes.count >= 10, Array(bytes[0..<6]) == magic else {
            throw error("not a .npy file (it does not start with \\x93NUMPY)", file: file)
        }
        let major = bytes[6], minor = bytes[7]
        let headerStart: Int
        let headerLength: Int
        switch major {
        case 1:
            headerStart = 10
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
        case 2, 3:
            guard bytes.count >= 12 else { throw error("the .npy header is truncated", file: file) }
            headerStart = 12
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
        default:
            throw error("unsupported .npy format version \(major).\(minor) (supported: 1.0, 2.0, 3.0)", file: file)
        }
        guard headerStart + headerLength <= bytes.count else { throw error("the .npy header is truncated", file: file) }
        let headerBytes = bytes[headerStart..<headerStart + headerLength]
        // Version 3.0 headers are UTF-8; earlier ones Latin-1.
        let headerText = major == 3
            ? String(decoding: UnsafeRawBufferPointer(rebasing: headerBytes), as: UTF8.self)
            : String(headerBytes.map { Character(Unicode.Scalar($0)) })
        return (try NpyHeader(parsing: headerText, file: file), headerStart + headerLength)
    }

    /// The validated shape (samples × bits) of the array and where element (r, c) is in the file.
    private struct ArrayLayout {
        let rows: Int
        let columns: Int
        let fortranOrder: Bool
        /// rows × columns.
        let count: Int
        /// The size of the data in bytes.
        let byteCount: Int

        init(header: NpyHeader, expectedWidth: Int?, file: String?) throws {
            func fail(_ message: String, field: String? = nil) -> IQPError {
                NpyFormat.error(message, file: file, field: field)
            }
            guard header.shape.count == 2 else {
                throw fail("expected a 2-D array (samples × bits), got shape \(header.shapeText)", field: "shape")
            }
            rows = header.shape[0]
            columns = header.shape[1]
            guard rows > 0 else { throw fail("contains no data rows (shape \(header.shapeText))", field: "shape") }
            guard columns > 0 else { throw fail("rows have no columns (shape \(header.shapeText))", field: "shape") }
            if let expectedWidth, columns != expectedWidth {
                throw fail("data has \(columns) columns but the model has \(expectedWidth) qubits")
            }
            let (count, o1) = rows.multipliedReportingOverflow(by: columns)
            let (byteCount, o2) = count.multipliedReportingOverflow(by: header.itemSize)
            guard !o1 && !o2 else { throw fail("shape \(header.shapeText) is too large", field: "shape") }
            self.count = count
            self.byteCount = byteCount
            fortranOrder = header.fortranOrder
        }

        /// The file-order index of element (r, c).
        @inline(__always)
        func fileIndex(row r: Int, column c: Int) -> Int {
            fortranOrder ? c * rows + r : r * columns + c
        }

        /// The first element in row-major order (numpy's `a[r, c]` order) whose code
        /// satisfies `test`.
        func firstPosition(in codes: [Code], where test: (Code) -> Bool) -> (Int, Int)? {
            for r in 0..<rows {
                for c in 0..<columns where test(codes[fileIndex(row: r, column: c)]) { return (r, c) }
            }
            return nil
        }
    }

    /// The array's data bytes, which must fill the rest of the file exactly.
    private static func arrayData(_ bytes: UnsafeRawBufferPointer, from dataStart: Int, layout: ArrayLayout,
                                  header: NpyHeader, file: String?) throws -> UnsafeRawBufferPointer {
        let byteCount = layout.byteCount
        let available = bytes.count - dataStart
        guard available >= byteCount else {
            throw error("the file is truncated: shape \(header.shapeText) of \(header.descr) needs \(byteCount) bytes of data, found \(available)", file: file)
        }
        guard available == byteCount else {
            throw error("\(available - byteCount) unexpected bytes after the array data (shape \(header.shapeText), dtype \(header.descr))", file: file)
        }
        return UnsafeRawBufferPointer(rebasing: bytes[dataStart..<dataStart + byteCount])
    }

    /// The code whose elements are the 1 bits: 1 for a 0/1 array, −1 for a ±1 spin array
    /// (x = (1 − σ)/2 = 1 where σ = −1). Any other value, or −1 next to 0, is an error naming the
    /// first such element.
    private static func bitCode(_ codes: [Code], data: UnsafeRawBufferPointer, layout: ArrayLayout,
                                header: NpyHeader, file: String?) throws -> Code {
        // Which codes occur: bit (code + 1) of `seen` (branch-free over the whole array).
        var seen: UInt8 = 0
        codes.withUnsafeBufferPointer { codes in
            for v in codes { seen |= 1 << UInt8(truncatingIfNeeded: v &+ 1) }
        }
        let sawMinusOne = seen & 1 != 0, sawZero = seen & 2 != 0, sawOther = seen & 8 != 0
        if sawOther, let (r, c) = layout.firstPosition(in: codes, where: { $0 == other }) {
            let value = describe(data, index: layout.fileIndex(row: r, column: c), header: header)
            throw error("value \(value) is not 0 or 1 (nor a ±1 spin)", file: file, field: "[\(r), \(c)]")
        }
        if sawMinusOne && sawZero, let (r, c) = layout.firstPosition(in: codes, where: { $0 == -1 }) {
            throw error("value -1 is not 0 or 1 (the array also holds 0, so it is not a ±1 spin array)",
                        file: file, field: "[\(r), \(c)]")
        }
        return sawMinusOne ? -1 : 1
    }

    /// The matrix with bit (r, c) set where element (r, c) has code `setCode`.
    private static func pack(_ codes: [Code], layout: ArrayLayout, setCode: Code) -> BitMatrix {
        let rows = layout.rows, columns = layout.columns
        var matrix = BitMatrix(rows: rows, columns: columns)
        let wpr = matrix.wordsPerRow
        codes.withUnsafeBufferPointer { codes in
            matrix.words.withUnsafeMutableBufferPointer { words in
                for r in 0..<rows {
                    var word: UInt64 = 0
                    for c in 0..<columns {
                        if codes[layout.fileIndex(row: r, column: c)] == setCode { word |= 1 << UInt64(c & 63) }
                        if c & 63 == 63 || c == columns - 1 {
                            words[r * wpr + c >> 6] = word
                            word = 0
                        }
                    }
                }
            }
        }
        return matrix
    }

    private static func classify(_ data: UnsafeRawBufferPointer, count: Int, header: NpyHeader) -> [Code] {
        @inline(__always) func code(_ v: Int64) -> Code {
            v == 0 ? 0 : v == 1 ? 1 : v == -1 ? -1 : other
        }
        @inline(__always) func code(_ v: UInt64) -> Code {
            v == 0 ? 0 : v == 1 ? 1 : other
        }
        @inline(__always) func code(_ x: Double) -> Code {
            x == 0 ? 0 : x == 1 ? 1 : x == -1 ? -1 : other
        }
        let big = header.bigEndian
        let size = header.itemSize
        return [Code](unsafeUninitializedCapacity: count) { out, initialized in
            switch (header.kind, size) {
            case ("b", 1): for i in 0..<count { out[i] = data[i] == 0 ? 0 : data[i] == 1 ? 1 : other }
            case ("u", 1): for i in 0..<count { out[i] = code(UInt64(data[i])) }
            case ("i", 1): for i in 0..<count { out[i] = code(Int64(Int8(bitPattern: data[i]))) }
            case ("u", 2): for i in 0..<count { out[i] = code(UInt64(load(UInt16.self, data, i, big))) }
            case ("i", 2): for i in 0..<count { out[i] = code(Int64(Int16(bitPattern: load(UInt16.self, data, i, big)))) }
            case ("u", 4): for i in 0..<count { out[i] = code(UInt64(load(UInt32.self, data, i, big))) }
            case ("i", 4): for i in 0..<count { out[i] = code(Int64(Int32(bitPattern: load(UInt32.self, data, i, big)))) }
            case ("u", 8): for i in 0..<count { out[i] = code(load(UInt64.self, data, i, big)) }
            case ("i", 8): for i in 0..<count { out[i] = code(Int64(bitPattern: load(UInt64.self, data, i, big))) }
            case ("f", 4): for i in 0..<count { out[i] = code(Double(Float(bitPattern: load(UInt32.self, data, i, big)))) }
            case ("f", 8): for i in 0..<count { out[i] = code(Double(bitPattern: load(UInt64.self, data, i, big))) }
            default: preconditionFailure("dtype validated by NpyHeader")
            }
            initialized = count
        }
    }

    /// The element at `index` (file order) as text, for error messages.
    private static func describe(_ data: UnsafeRawBufferPointer, index i: Int, header: NpyHeader) -> String {
        let big = header.bigEndian
        switch (header.kind, header.itemSize) {
        case ("b", 1): return "\(data[i]) (in a bool array)"
        case ("u", 1): return "\(data[i])"
        case ("i", 1): return "\(Int8(bitPattern: data[i]))"
        case ("u", 2): return "\(load(UInt16.self, data, i, big))"
        case ("i", 2): return "\(Int16(bitPattern: load(UInt16.self, data, i, big)))"
        case ("u", 4): return "\(load(UInt32.self, data, i, big))"
        case ("i", 4): return "\(Int32(bitPattern: load(UInt32.self, data, i, big)))"
        case ("u", 8): return "\(load(UInt64.self, data, i, big))"
        case ("i", 8): return "\(Int64(bitPattern: load(UInt64.self, data, i, big)))"
        case ("f", 4): return "\(Float(bitPattern: load(UInt32.self, data, i, big)))"
        default: return "\(Double(bitPattern: load(UInt64.self, data, i, big)))"
        }
    }

    @inline(__always)
    private static func load<T: FixedWidthInteger>(_: T.Type, _ data: UnsafeRawBufferPointer, _ i: Int, _ big: Bool) -> T {
        let raw = data.loadUnaligned(fromByteOffset: i * MemoryLayout<T>.size, as: T.self)
        return big ? T(bigEndian: raw) : T(littleEndian: raw)
    }

    /// A version 1.0 `.npy` file of dtype `|u1` holding the matrix as 0/1 bytes.
    static func encode(_ m: BitMatrix) -> [UInt8] {
        var header = "{'descr': '|u1', 'fortran_order': False, 'shape': (\(m.rows), \(m.columns)), }"
        // Pad so that the data starts at a multiple of 64 bytes; the header ends in '\n'.
        let total = 10 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - total % 64) % 64) + "\n"
        let length = header.utf8.count
        var out = magic + [1, 0, UInt8(length & 0xFF), UInt8(length >> 8)] + Array(header.utf8)
        out.reserveCapacity(out.count + m.rows * m.columns)
        for r in 0..<m.rows {
            for c in 0..<m.columns { out.append(m[r, c] ? 1 : 0) }
        }
        return out
    }
}

extension NpyFormat {
    /// A 1-D array of float64 or float32 (any byte order) as numbers: IQPopt's
    /// `np.save("params.npy", params)` for `iqp train --init-params params.npy`.
    static func parseDoubles(bytes: UnsafeRawBufferPointer, file: String?) throws -> [Double] {
        let (header, dataStart) = try readHeader(bytes, file: file)
        guard header.kind == "f", header.itemSize == 8 || header.itemSize == 4 else {
            throw error("expected an array of float64 or float32, got dtype '\(header.descr)'", file: file, field: "descr")
        }
        guard header.shape.count == 1 || (header.shape.count == 2 && header.shape.contains(1)) else {
            throw error("expected a 1-D array of parameters, got shape \(header.shapeText)", file: file, field: "shape")
        }
        let count = header.shape.reduce(1, *)
        guard dataStart + count * header.itemSize <= bytes.count else {
            throw error("the array has \(count) values but the file ends early", file: file)
        }
        return (0..<count).map { i in
            let offset = dataStart + i * header.itemSize
            if header.itemSize == 8 {
                var raw = bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                raw = header.bigEndian ? UInt64(bigEndian: raw) : UInt64(littleEndian: raw)
                return Double(bitPattern: raw)
            }
            var raw = bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)
            raw = header.bigEndian ? UInt32(bigEndian: raw) : UInt32(littleEndian: raw)
            return Double(Float(bitPattern: raw))
        }
    }
}
