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

    static func parse(bytes: UnsafeRawBufferPointer, file: String?, expectedWidth: Int?) throws -> BitMatrix {
        func fail(_ message: String, field: String? = nil) -> IQPError {
            IQPError(message, file: file, field: field)
        }
        guard bytes.count >= 10, Array(bytes[0..<6]) == magic else {
            throw fail("not a .npy file (it does not start with \\x93NUMPY)")
        }
        let major = bytes[6], minor = bytes[7]
        let headerStart: Int
        let headerLength: Int
        switch major {
        case 1:
            headerStart = 10
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
        case 2, 3:
            guard bytes.count >= 12 else { throw fail("the .npy header is truncated") }
            headerStart = 12
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
        default:
            throw fail("unsupported .npy format version \(major).\(minor) (supported: 1.0, 2.0, 3.0)")
        }
        guard headerStart + headerLength <= bytes.count else { throw fail("the .npy header is truncated") }
        let headerText = major == 3
            ? String(decoding: UnsafeRawBufferPointer(rebasing: bytes[headerStart..<headerStart + headerLength]), as: UTF8.self)
            : String(bytes[headerStart..<headerStart + headerLength].map { Character(Unicode.Scalar($0)) })
        let header = try NpyHeader(parsing: headerText, file: file)

        guard header.shape.count == 2 else {
            throw fail("expected a 2-D array (samples × bits), got shape \(header.shapeText)", field: "shape")
        }
        let rows = header.shape[0], columns = header.shape[1]
        guard rows > 0 else { throw fail("contains no data rows (shape \(header.shapeText))", field: "shape") }
        guard columns > 0 else { throw fail("rows have no columns (shape \(header.shapeText))", field: "shape") }
        if let expectedWidth, columns != expectedWidth {
            throw fail("data has \(columns) columns but the model has \(expectedWidth) qubits")
        }
        let (count, o1) = rows.multipliedReportingOverflow(by: columns)
        let (byteCount, o2) = count.multipliedReportingOverflow(by: header.itemSize)
        guard !o1 && !o2 else { throw fail("shape \(header.shapeText) is too large", field: "shape") }
        let dataStart = headerStart + headerLength
        let available = bytes.count - dataStart
        guard available >= byteCount else {
            throw fail("the file is truncated: shape \(header.shapeText) of \(header.descr) needs \(byteCount) bytes of data, found \(available)")
        }
        guard available == byteCount else {
            throw fail("\(available - byteCount) unexpected bytes after the array data (shape \(header.shapeText), dtype \(header.descr))")
        }
        let data = UnsafeRawBufferPointer(rebasing: bytes[dataStart..<dataStart + byteCount])

        // Classify every element, in file order.
        let codes = classify(data, count: count, header: header)

        // File order → (row, column).
        func fileIndex(row r: Int, column c: Int) -> Int {
            header.fortranOrder ? c * rows + r : r * columns + c
        }
        /// The first element in row-major order (numpy's `a[r, c]` order) that satisfies `test`.
        func firstPosition(where test: (Code) -> Bool) -> (Int, Int)? {
            for r in 0..<rows {
                for c in 0..<columns where test(codes[fileIndex(row: r, column: c)]) { return (r, c) }
            }
            return nil
        }

        // Which codes occur: bit (code + 1) of `seen` (branch-free over the whole array).
        var seen: UInt8 = 0
        codes.withUnsafeBufferPointer { codes in
            for v in codes { seen |= 1 << UInt8(truncatingIfNeeded: v &+ 1) }
        }
        let sawMinusOne = seen & 1 != 0, sawZero = seen & 2 != 0, sawOther = seen & 8 != 0
        if sawOther, let (r, c) = firstPosition(where: { $0 == other }) {
            let value = describe(data, index: fileIndex(row: r, column: c), header: header)
            throw fail("value \(value) is not 0 or 1 (nor a ±1 spin)", field: "[\(r), \(c)]")
        }
        if sawMinusOne && sawZero, let (r, c) = firstPosition(where: { $0 == -1 }) {
            throw fail("value -1 is not 0 or 1 (the array also holds 0, so it is not a ±1 spin array)",
                       field: "[\(r), \(c)]")
        }
        // Bits: x = 1 where the value is 1; spins: x = (1 − σ)/2 = 1 where σ = −1.
        let setCode: Code = sawMinusOne ? -1 : 1
        var matrix = BitMatrix(rows: rows, columns: columns)
        let wpr = matrix.wordsPerRow
        let fortran = header.fortranOrder
        codes.withUnsafeBufferPointer { codes in
            matrix.words.withUnsafeMutableBufferPointer { words in
                for r in 0..<rows {
                    var word: UInt64 = 0
                    for c in 0..<columns {
                        let i = fortran ? c * rows + r : r * columns + c
                        if codes[i] == setCode { word |= 1 << UInt64(c & 63) }
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

/// The header dict of a `.npy` file: dtype, memory order and shape.
struct NpyHeader {
    var descr: String
    var fortranOrder: Bool
    var shape: [Int]
    /// dtype kind: "b" bool, "u" unsigned, "i" signed, "f" float.
    var kind: Character
    var itemSize: Int
    var bigEndian: Bool

    var shapeText: String {
        shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
    }

    init(parsing text: String, file: String?) throws {
        func fail(_ message: String, field: String? = nil) -> IQPError {
            IQPError(message, file: file, field: field)
        }
        var parser = PythonLiteralParser(text: Array(text.unicodeScalars))
        guard case .dict(let entries)? = try? parser.parseDocument() else {
            throw fail("the .npy header is not a Python dict literal: \(text.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        func entry(_ key: String) throws -> PythonLiteral {
            guard let v = entries.first(where: { $0.0 == key })?.1 else {
                throw fail("the .npy header has no '\(key)' entry")
            }
            return v
        }
        guard case .string(let descr) = try entry("descr") else {
            throw fail("structured dtypes are not supported (expected a plain numeric dtype)", field: "descr")
        }
        guard case .bool(let fortran) = try entry("fortran_order") else {
            throw fail("expected True or False", field: "fortran_order")
        }
        guard case .tuple(let dims) = try entry("shape") else {
            throw fail("expected a tuple of integers", field: "shape")
        }
        var shape: [Int] = []
        for d in dims {
            guard case .int(let v) = d, v >= 0 else { throw fail("expected a tuple of non-negative integers", field: "shape") }
            shape.append(v)
        }

        let chars = Array(descr)
        let supported = "supported: |b1, |u1, |i1, <u2, <i2, <u4, <i4, <u8, <i8, <f4, <f8"
        guard chars.count >= 3, "<>|=".contains(chars[0]), let size = Int(String(chars[2...])),
              ["b": [1], "u": [1, 2, 4, 8], "i": [1, 2, 4, 8], "f": [4, 8]][chars[1]]?.contains(size) == true
        else {
            throw fail("unsupported dtype '\(descr)' (\(supported))", field: "descr")
        }
        self.descr = descr
        self.fortranOrder = fortran
        self.shape = shape
        self.kind = chars[1]
        self.itemSize = size
        self.bigEndian = chars[0] == ">"
    }
}

/// The Python literals that appear in `.npy` headers.
enum PythonLiteral {
    case string(String), int(Int), bool(Bool), none
    case tuple([PythonLiteral]), list([PythonLiteral]), dict([(String, PythonLiteral)])
}

/// A parser for the small subset of Python literal syntax used by `.npy` headers.
struct PythonLiteralParser {
    struct Failure: Error {}
    let text: [Unicode.Scalar]
    var i = 0

    mutating func parseDocument() throws -> PythonLiteral {
        let v = try value()
        skip()
        guard i == text.count else { throw Failure() }
        return v
    }

    mutating func skip() {
        while i < text.count && (text[i] == " " || text[i] == "\n" || text[i] == "\t" || text[i] == "\r") { i += 1 }
    }

    mutating func value() throws -> PythonLiteral {
        skip()
        guard i < text.count else { throw Failure() }
        let c = text[i]
        switch c {
        case "'", "\"":
            i += 1
            var s = ""
            while i < text.count && text[i] != c { s.unicodeScalars.append(text[i]); i += 1 }
            guard i < text.count else { throw Failure() }
            i += 1
            return .string(s)
        case "(", "[":
            let close: Unicode.Scalar = c == "(" ? ")" : "]"
            i += 1
            var items: [PythonLiteral] = []
            while true {
                skip()
                guard i < text.count else { throw Failure() }
                if text[i] == close { i += 1; break }
                items.append(try value())
                skip()
                guard i < text.count else { throw Failure() }
                if text[i] == "," { i += 1 } else if text[i] != close { throw Failure() }
            }
            return c == "(" ? .tuple(items) : .list(items)
        case "{":
            i += 1
            var entries: [(String, PythonLiteral)] = []
            while true {
                skip()
                guard i < text.count else { throw Failure() }
                if text[i] == "}" { i += 1; break }
                guard case .string(let key) = try value() else { throw Failure() }
                skip()
                guard i < text.count, text[i] == ":" else { throw Failure() }
                i += 1
                entries.append((key, try value()))
                skip()
                guard i < text.count else { throw Failure() }
                if text[i] == "," { i += 1 } else if text[i] != "}" { throw Failure() }
            }
            return .dict(entries)
        default:
            var word = ""
            while i < text.count, text[i].properties.isAlphabetic || ("0"..."9").contains(text[i]) || text[i] == "-" || text[i] == "L" {
                word.unicodeScalars.append(text[i]); i += 1
            }
            switch word {
            case "True": return .bool(true)
            case "False": return .bool(false)
            case "None": return .none
            default:
                // Python 2 long integers may end in 'L'.
                guard let v = Int(word.hasSuffix("L") ? String(word.dropLast()) : word) else { throw Failure() }
                return .int(v)
            }
        }
    }
}
