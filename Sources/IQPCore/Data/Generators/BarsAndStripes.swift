/// The bars-and-stripes data set on a `rows` × `columns` grid (bit r·columns + c is cell
/// (r, c)): every pattern in which each row is all 0 or all 1 ("stripes"), and every pattern in
/// which each column is all 0 or all 1 ("bars"). The all-0 and all-1 patterns are both, so the
/// set has 2^rows + 2^columns − 2 distinct patterns.
///
/// Pattern k (0 ≤ k < count): for k < 2^rows, the stripes whose rows are the set bits of k;
/// otherwise the bars whose columns are the set bits of k − 2^rows + 1 (1 … 2^columns − 2).
public struct BarsAndStripes: Sendable {
    public let rows: Int
    public let columns: Int

    public init(rows: Int, columns: Int) throws {
        guard rows >= 1 && rows <= 30 else {
            throw IQPError("bars-and-stripes rows must be in 1...30, got \(rows)", field: "rows")
        }
        guard columns >= 1 && columns <= 30 else {
            throw IQPError("bars-and-stripes columns must be in 1...30, got \(columns)", field: "columns")
        }
        self.rows = rows
        self.columns = columns
    }

    /// Number of bits of a pattern.
    public var bitCount: Int { rows * columns }

    /// Number of distinct patterns, 2^rows + 2^columns − 2.
    public var patternCount: Int { (1 << rows) + (1 << columns) - 2 }

    /// Writes pattern `k` into row `r` of `matrix` (which must be all zero there).
    func write(pattern k: Int, into matrix: inout BitMatrix, row r: Int) {
        if k < 1 << rows {
            for i in 0..<rows where (k >> i) & 1 == 1 {
                for c in 0..<columns { matrix[r, i * columns + c] = true }
            }
        } else {
            let mask = k - (1 << rows) + 1
            for c in 0..<columns where (mask >> c) & 1 == 1 {
                for i in 0..<rows { matrix[r, i * columns + c] = true }
            }
        }
    }

    /// All distinct patterns, one per row, in pattern order (only for small grids).
    public func allPatterns() throws -> BitMatrix {
        guard patternCount <= 1 << 20 else {
            throw IQPError("bars-and-stripes \(rows)x\(columns) has \(patternCount) patterns, too many to list",
                           field: "rows")
        }
        var m = BitMatrix(rows: patternCount, columns: bitCount)
        for k in 0..<patternCount { write(pattern: k, into: &m, row: k) }
        return m
    }

    /// `count` patterns drawn independently and uniformly from the set (row i from the keyed
    /// stream (seed, bars-and-stripes, i)).
    public func sample(count: Int, seed: UInt64) -> BitMatrix {
        precondition(count >= 0)
        var m = BitMatrix(rows: count, columns: bitCount)
        for i in 0..<count {
            var stream = DataGenerationStream.barsAndStripesRow.stream(seed: seed, index: i)
            write(pattern: stream.nextInt(below: patternCount), into: &m, row: i)
        }
        return m
    }
}
