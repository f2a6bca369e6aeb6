/// Text data files: one sample per line, each a row of 0/1 values.
///
/// A row is either values separated by commas and/or spaces/tabs (`0,1,1,0`, `0 1 1 0`,
/// `0, 1, 1, 0`) or, when the line holds a single field, contiguous 0/1 characters
/// (`0110`). In a separated row a value may also be written as a number equal to 0 or 1
/// (`1.0`, or np.savetxt's `1.000000000000000000e+00`). Blank lines and lines whose first
/// non-blank character is `#` are ignored; `\n`, `\r\n` and `\r` (classic Mac) line ends and a
/// UTF-8 byte-order mark are accepted. Every row must have the width of the first one.
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

    /// The rows of `bytes` as a matrix. Errors name `file`, the line and, for a bad value, its
    /// column; with `expectedWidth`, a first row of another width is an error.
    static func parse(bytes: UnsafeRawBufferPointer, file: String?, expectedWidth: Int?) throws -> BitMatrix {
        // A `\r` not followed by `\n` ends a line: such files are read through a copy with `\n`.
        if let lone = loneCarriageReturns(bytes) {
            return try lone.withUnsafeBytes { try parseLines(bytes: $0, file: file, expectedWidth: expectedWidth) }
        }
        return try parseLines(bytes: bytes, file: file, expectedWidth: expectedWidth)
    }

    /// `bytes` with every `\r` that does not start a `\r\n` replaced by `\n`; nil when there is none.
    static func loneCarriageReturns(_ bytes: UnsafeRawBufferPointer) -> [UInt8]? {
        let n = bytes.count
        guard let first = (0..<n).first(where: { bytes[$0] == cr && ($0 + 1 == n || bytes[$0 + 1] != lf) }) else {
            return nil
        }
        var copy = [UInt8](bytes)
        for i in first..<n where copy[i] == cr && (i + 1 == n || copy[i + 1] != lf) { copy[i] = lf }
        return copy
    }

    static func parseLines(bytes: UnsafeRawBufferPointer, file: String?, expectedWidth: Int?) throws -> BitMatrix {
        var scanner = RowScanner(bytes: bytes, file: file)
        var packer = RowPacker()
        while scanner.nextDataRow() {
            let rowStart = scanner.position
            let columns = try scanner.readRow(into: &packer)
            if packer.width < 0 {
                // Room for as many rows as the file holds if they are as long as this one.
                let rowsHint = bytes.count / max(1, scanner.position - rowStart) + 2
                try packer.finishFirstRow(columns: columns, line: scanner.line, expectedWidth: expectedWidth,
                                          rowsHint: rowsHint, file: file)
            } else {
                try packer.finishRow(columns: columns, line: scanner.line, file: file)
            }
        }
        return try packer.matrix(file: file)
    }

    /// Walks the lines of a text data file: skips blank and comment lines and reads the values
    /// of each data row, with the 1-based line number for errors.
    private struct RowScanner {
        let bytes: UnsafeRawBufferPointer
        let file: String?
        /// The byte being read.
        var position = 0
        /// The 1-based line of `position`.
        var line = 0

        init(bytes: UnsafeRawBufferPointer, file: String?) {
            self.bytes = bytes
            self.file = file
            if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { position = 3 }
        }

        /// Moves to the first value of the next data row, past blank and `#` lines; false at
        /// the end of the file.
        mutating func nextDataRow() -> Bool {
            let n = bytes.count
            while position < n {
                line += 1
                while position < n && (bytes[position] == space || bytes[position] == tab || bytes[position] == cr) {
                    position += 1
                }
                if position >= n { return false }
                if bytes[position] == lf { position += 1; continue }
                if bytes[position] != UInt8(ascii: "#") { return true }
                while position < n && bytes[position] != lf { position += 1 }
                position += 1
            }
            return false
        }

        /// Reads the values of the row at `position` into `packer` and moves past its line end;
        /// returns how many values the row has. A row's only field may be contiguous 0/1
        /// characters; any other field is one value.
        mutating func readRow(into packer: inout RowPacker) throws -> Int {
            var column = 0
            var isFirstField = true
            while true {
                let start = position
                skipValue()
                let end = position
                let sawComma = skipSeparators(afterEmptyValue: start == end)
                if start == end {
                    throw IQPError("empty value (two separators in a row, or a separator at the start)",
                                   file: file, line: line, field: "column \(column + 1)")
                }
                let atLineEnd = position >= bytes.count || bytes[position] == lf
                if atLineEnd && sawComma {
                    throw IQPError("empty value after the last comma", file: file, line: line,
                                   field: "column \(column + 2)")
                }
                if end - start == 1 || (isFirstField && atLineEnd) {
                    try readDigits(start..<end, column: &column, into: &packer)
                } else {
                    packer.append(try numericBit(start..<end, column: column), column: column)
                    column += 1
                }
                if atLineEnd { break }
                isFirstField = false
            }
            position += 1  // past the newline
            return column
        }

        /// Moves to the separator or line end after the value at `position`.
        @inline(__always)
        private mutating func skipValue() {
            while position < bytes.count {
                let c = bytes[position]
                if c == comma || c == space || c == tab || c == cr || c == lf { break }
                position += 1
            }
        }

        /// Moves past blanks and at most one comma (none after an empty value, so that the
        /// empty value is reported); returns whether a comma was passed.
        @inline(__always)
        private mutating func skipSeparators(afterEmptyValue: Bool) -> Bool {
            var sawComma = false
            while position < bytes.count {
                let c = bytes[position]
                if c == space || c == tab || c == cr {
                    position += 1
                } else if c == comma {
                    if sawComma || afterEmptyValue { break }
                    sawComma = true
                    position += 1
                } else {
                    break
                }
            }
            return sawComma
        }

        /// The 0/1 characters in `range`, one value each.
        @inline(__always)
        private func readDigits(_ range: Range<Int>, column: inout Int, into packer: inout RowPacker) throws {
            for k in range {
                let c = bytes[k]
                guard c == zero || c == one else {
                    throw IQPError("symbol '\(symbol(bytes, at: k))' is not 0 or 1",
                                   file: file, line: line, field: "column \(column + 1)")
                }
                packer.append(UInt64(c &- zero), column: column)
                column += 1
            }
        }

        /// The bit of a value written as a number equal to 0 or 1 (`1.0`, `0e0`).
        private func numericBit(_ range: Range<Int>, column: Int) throws -> UInt64 {
            let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[range]), as: UTF8.self)
            if text.utf8.allSatisfy({ ($0 >= zero && $0 <= UInt8(ascii: "9")) || $0 == UInt8(ascii: ".")
                || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") || $0 == UInt8(ascii: "+")
                || $0 == UInt8(ascii: "-") }), let x = Double(text), x == 0 || x == 1 {
                return x == 1 ? 1 : 0
            }
            let shown = text.count > 24 ? String(text.prefix(24)) + "…" : text
            throw IQPError("symbol '\(shown)' is not 0 or 1", file: file, line: line,
                           field: "column \(column + 1)")
        }
    }

    /// Packs the rows' bits into `BitMatrix` words as they are read. The width is that of the
    /// first row, whose bits wait in `firstRow` until it is known; values past the width of a
    /// longer row are dropped (the row is then an error).
    private struct RowPacker {
        /// The width of the first row; −1 until it has been read.
        var width = -1
        /// The line of the first row (for "the width of line N").
        var widthLine = 0
        var wordsPerRow = 0
        var words: [UInt64] = []
        var rows = 0
        var firstRow: [UInt8] = []
        /// The word of the current row being filled.
        var word: UInt64 = 0

        /// Adds bit `b` (0 or 1) at `column` of the current row.
        @inline(__always)
        mutating func append(_ b: UInt64, column: Int) {
            if width < 0 {
                firstRow.append(UInt8(b))
            } else if column < width {
                word |= b << UInt64(column & 63)
                if column & 63 == 63 { words.append(word); word = 0 }
            }
        }

        /// Ends the first row: its width is the matrix's (and must be `expectedWidth`).
        mutating func finishFirstRow(columns: Int, line: Int, expectedWidth: Int?, rowsHint: Int, file: String?) throws {
            width = columns
            widthLine = line
            if let expectedWidth, width != expectedWidth {
                throw IQPError("data has \(width) columns but the model has \(expectedWidth) qubits",
                               file: file, line: line)
            }
            wordsPerRow = (width + 63) / 64
            words.reserveCapacity(rowsHint * wordsPerRow)
            var w: UInt64 = 0
            for (i, b) in firstRow.enumerated() {
                w |= UInt64(b) << UInt64(i & 63)
                if i & 63 == 63 { words.append(w); w = 0 }
            }
            if width & 63 != 0 { words.append(w) }
            rows += 1
        }

        /// Ends a later row, which must have the first row's width.
        mutating func finishRow(columns: Int, line: Int, file: String?) throws {
            guard columns == width else {
                throw IQPError("row has \(columns) values, expected \(width) (the width of line \(widthLine))",
                               file: file, line: line)
            }
            if width & 63 != 0 { words.append(word) }
            word = 0
            rows += 1
        }

        /// The rows read, as a matrix; at least one is required.
        func matrix(file: String?) throws -> BitMatrix {
            guard rows > 0 else { throw IQPError("contains no data rows", file: file) }
            var matrix = BitMatrix(rows: 0, columns: width)
            precondition(words.count == rows * wordsPerRow && matrix.wordsPerRow == wordsPerRow)
            matrix.words = words
            matrix.rows = rows
            return matrix
        }
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
