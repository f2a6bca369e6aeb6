/// Text data files: one sample per line, each a row of 0/1 values.
///
/// A row is either values separated by commas and/or spaces/tabs (`0,1,1,0`, `0 1 1 0`,
/// `0, 1, 1, 0`) or, when the line holds a single field, contiguous 0/1 characters
/// (`0110`). In a separated row a value may also be written as a number equal to 0 or 1
/// (`1.0`, or np.savetxt's `1.000000000000000000e+00`). Blank lines and lines whose first
/// non-blank character is `#` are ignored; `\r\n` line ends and a UTF-8 byte-order mark are
/// accepted. Every row must have the width of the first one.
///
/// The bytes are parsed directly (no per-field strings), one bit at a time into the packed
/// words of the `BitMatrix`.
enum TextDataFormat {
    private static let comma = UInt8(ascii: ",")
    private static let space = UInt8(ascii: " ")
    private static let tab = UInt8(ascii: "\t")
    private static let cr = UInt8(ascii: "\r")
    private static let lf = UInt8(ascii: "\n")
    private static let zero = UInt8(ascii: "0")
    private static let one = UInt8(ascii: "1")

    static func parse(bytes: UnsafeRawBufferPointer, file: String?, expectedWidth: Int?) throws -> BitMatrix {
        let n = bytes.count
        var p = 0
        if n >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { p = 3 }
        var line = 0
        var width = -1
        var widthLine = 0
        var wordsPerRow = 0
        var words: [UInt64] = []
        var rows = 0
        var firstRow: [UInt8] = []

        while p < n {
            line += 1
            while p < n && (bytes[p] == space || bytes[p] == tab || bytes[p] == cr) { p += 1 }
            if p >= n { break }
            if bytes[p] == lf { p += 1; continue }
            if bytes[p] == UInt8(ascii: "#") {
                while p < n && bytes[p] != lf { p += 1 }
                p += 1
                continue
            }

            // A data row.
            let rowStart = p
            var column = 0      // values read so far in this row
            var acc: UInt64 = 0 // the word being filled
            var fieldIndex = 0
            while true {
                let start = p
                while p < n {
                    let c = bytes[p]
                    if c == comma || c == space || c == tab || c == cr || c == lf { break }
                    p += 1
                }
                let end = p
                fieldIndex += 1
                var sawComma = false
                while p < n {
                    let c = bytes[p]
                    if c == space || c == tab || c == cr {
                        p += 1
                    } else if c == comma {
                        if sawComma || start == end { break }
                        sawComma = true
                        p += 1
                    } else {
                        break
                    }
                }
                if start == end {
                    throw IQPError("empty value (two separators in a row, or a separator at the start)",
                                   file: file, line: line, field: "column \(column + 1)")
                }
                let atEnd = p >= n || bytes[p] == lf
                if atEnd && sawComma {
                    throw IQPError("empty value after the last comma", file: file, line: line,
                                   field: "column \(column + 2)")
                }

                // The bits this field contributes.
                if end - start == 1 || (fieldIndex == 1 && atEnd) {
                    for k in start..<end {
                        let c = bytes[k]
                        guard c == zero || c == one else {
                            throw IQPError("symbol '\(symbol(bytes, at: k))' is not 0 or 1",
                                           file: file, line: line, field: "column \(column + 1)")
                        }
                        let b = UInt64(c &- zero)
                        if width < 0 {
                            firstRow.append(UInt8(b))
                        } else if column < width {
                            acc |= b << UInt64(column & 63)
                            if column & 63 == 63 { words.append(acc); acc = 0 }
                        }
                        column += 1
                    }
                } else {
                    let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
                    let b: UInt64
                    if text.utf8.allSatisfy({ ($0 >= zero && $0 <= UInt8(ascii: "9")) || $0 == UInt8(ascii: ".")
                        || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") || $0 == UInt8(ascii: "+")
                        || $0 == UInt8(ascii: "-") }), let x = Double(text), x == 0 || x == 1 {
                        b = x == 1 ? 1 : 0
                    } else {
                        let shown = text.count > 24 ? String(text.prefix(24)) + "…" : text
                        throw IQPError("symbol '\(shown)' is not 0 or 1", file: file, line: line,
                                       field: "column \(column + 1)")
                    }
                    if width < 0 {
                        firstRow.append(UInt8(b))
                    } else if column < width {
                        acc |= b << UInt64(column & 63)
                        if column & 63 == 63 { words.append(acc); acc = 0 }
                    }
                    column += 1
                }
                if atEnd { break }
            }
            p += 1  // past the newline

            if width < 0 {
                width = column
                widthLine = line
                if let expectedWidth, width != expectedWidth {
                    throw IQPError("data has \(width) columns but the model has \(expectedWidth) qubits",
                                   file: file, line: line)
                }
                wordsPerRow = (width + 63) / 64
                let bytesPerRow = max(1, p - rowStart)
                words.reserveCapacity((n / bytesPerRow + 2) * wordsPerRow)
                var w: UInt64 = 0
                for (i, b) in firstRow.enumerated() {
                    w |= UInt64(b) << UInt64(i & 63)
                    if i & 63 == 63 { words.append(w); w = 0 }
                }
                if width & 63 != 0 { words.append(w) }
            } else {
                guard column == width else {
                    throw IQPError("row has \(column) values, expected \(width) (the width of line \(widthLine))",
                                   file: file, line: line)
                }
                if width & 63 != 0 { words.append(acc) }
            }
            rows += 1
        }

        guard rows > 0 else { throw IQPError("contains no data rows", file: file) }
        var matrix = BitMatrix(rows: 0, columns: width)
        precondition(words.count == rows * wordsPerRow && matrix.wordsPerRow == wordsPerRow)
        matrix.words = words
        matrix.rows = rows
        return matrix
    }

    /// The character starting at byte `k` (a whole UTF-8 sequence), for error messages.
    static func symbol(_ bytes: UnsafeRawBufferPointer, at k: Int) -> String {
        var end = k + 1
        while end < bytes.count && end - k < 4 && bytes[end] & 0xC0 == 0x80 { end += 1 }
        if let s = String(validatingUTF8Bytes: UnsafeRawBufferPointer(rebasing: bytes[k..<end])) {
            return s.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F }) ? s : s.debugDescription.dropFirst().dropLast().description
        }
        return "\\x" + String(bytes[k], radix: 16, uppercase: true)
    }

    /// Comma-separated 0/1 rows, one per line (the paper's format).
    static func encodeCSV(_ m: BitMatrix) -> [UInt8] {
        var out = [UInt8](repeating: UInt8(ascii: ","), count: m.rows * max(1, 2 * m.columns))
        var k = 0
        for r in 0..<m.rows {
            for c in 0..<m.columns {
                out[k] = m[r, c] ? one : zero
                k += 2
            }
            if m.columns > 0 { out[k - 1] = lf } else { out[k] = lf; k += 1 }
        }
        return out
    }
}
