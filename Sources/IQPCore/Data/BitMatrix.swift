/// A matrix of bits stored row by row, each row packed into `wordsPerRow` UInt64 words
/// (bit `i` of a row is bit `i % 64` of word `i / 64`; unused high bits of the last
/// word are always zero). Data sets, Pauli-Z strings and Monte Carlo samples all use it.
public struct BitMatrix: Equatable, Sendable {
    public internal(set) var rows: Int
    public let columns: Int
    public let wordsPerRow: Int
    public var words: [UInt64]

    public init(rows: Int, columns: Int) {
        precondition(rows >= 0 && columns >= 0)
        self.rows = rows
        self.columns = columns
        self.wordsPerRow = max(1, (columns + 63) / 64)
        self.words = [UInt64](repeating: 0, count: rows * wordsPerRow)
    }

    /// Builds a matrix from rows of 0/1 values.
    public init(rows bitRows: [[UInt8]], columns: Int) {
        self.init(rows: bitRows.count, columns: columns)
        for (r, row) in bitRows.enumerated() {
            precondition(row.count == columns, "row \(r) has \(row.count) bits, expected \(columns)")
            for (i, b) in row.enumerated() where b != 0 { self[r, i] = true }
        }
    }

    @inlinable public subscript(row: Int, column: Int) -> Bool {
        get {
            (words[row * wordsPerRow + column >> 6] >> UInt64(column & 63)) & 1 == 1
        }
        set {
            let w = row * wordsPerRow + column >> 6
            let bit: UInt64 = 1 << UInt64(column & 63)
            if newValue { words[w] |= bit } else { words[w] &= ~bit }
        }
    }

    /// The packed words of one row.
    @inlinable public func row(_ r: Int) -> ArraySlice<UInt64> {
        words[(r * wordsPerRow)..<((r + 1) * wordsPerRow)]
    }

    /// Overwrites the packed words of row `r` (extra high bits are cleared).
    public mutating func setRow(_ r: Int, words rowWords: some Collection<UInt64>) {
        precondition(rowWords.count == wordsPerRow)
        var w = r * wordsPerRow
        for value in rowWords { words[w] = value; w += 1 }
        words[(r + 1) * wordsPerRow - 1] &= lastWordMask
    }

    /// Mask of the valid bits of the last word of a row.
    public var lastWordMask: UInt64 {
        let used = columns - (wordsPerRow - 1) * 64
        return used >= 64 ? ~0 : (used <= 0 ? 0 : (UInt64(1) << UInt64(used)) - 1)
    }

    /// Number of ones in row `r`.
    public func popcount(row r: Int) -> Int {
        var c = 0
        for w in 0..<wordsPerRow { c += words[r * wordsPerRow + w].nonzeroBitCount }
        return c
    }

    /// Row `r` as 0/1 bytes.
    public func bits(row r: Int) -> [UInt8] {
        (0..<columns).map { self[r, $0] ? 1 : 0 }
    }

    /// Appends the rows of `other` (same width).
    public mutating func append(contentsOf other: BitMatrix) {
        precondition(other.columns == columns)
        words.append(contentsOf: other.words)
        rows += other.rows
    }

    /// The rows in `range` as a new matrix.
    public func rows(_ range: Range<Int>) -> BitMatrix {
        var out = BitMatrix(rows: range.count, columns: columns)
        out.words = Array(words[(range.lowerBound * wordsPerRow)..<(range.upperBound * wordsPerRow)])
        return out
    }

    /// Mean of each column: the fraction of rows with that bit set.
    public func columnMeans() -> [Double] {
        var counts = [Int](repeating: 0, count: columns)
        for r in 0..<rows {
            for w in 0..<wordsPerRow {
                var x = words[r * wordsPerRow + w]
                while x != 0 {
                    let b = x.trailingZeroBitCount
                    counts[w * 64 + b] += 1
                    x &= x - 1
                }
            }
        }
        return counts.map { rows == 0 ? 0 : Double($0) / Double(rows) }
    }
}
