/// The data side of the MMD² loss (MATH.md §3): t_a = (1/N) Σ_{x ∈ data} (−1)^{a·x}.
///
/// `paritySums` returns the unnormalised sums over a set of rows (a shard of the data set),
/// so shards can be summed across ranks before dividing by N.
public enum DataTerm {
    /// Σ_x (−1)^{popcount(a & x)} over the rows x of `data`, for each row a of `strings`.
    /// Only the non-zero words of each (usually sparse) string are visited.
    public static func paritySums(strings: BitMatrix, data: BitMatrix) -> [Double] {
        precondition(strings.columns == data.columns)
        var out = [Double](repeating: 0, count: strings.rows)
        let wpr = data.wordsPerRow, rows = data.rows
        if rows == 0 { return out }
        strings.words.withUnsafeBufferPointer { sw in
        data.words.withUnsafeBufferPointer { dw in
        out.withUnsafeMutableBufferPointer { o in
            parallelFor(strings.rows, minimumChunk: max(1, 100_000 / max(1, rows))) { range in
                var nonzero: [(Int, UInt64)] = []
                nonzero.reserveCapacity(wpr)
                for b in range {
                    nonzero.removeAll(keepingCapacity: true)
                    for w in 0..<wpr where sw[b * wpr + w] != 0 { nonzero.append((w, sw[b * wpr + w])) }
                    if nonzero.isEmpty { o[b] = Double(rows); continue }
                    var odd = 0
                    if nonzero.count == 1 {
                        let (w, a) = nonzero[0]
                        for x in 0..<rows { odd += (dw[x * wpr + w] & a).nonzeroBitCount & 1 }
                    } else {
                        for x in 0..<rows {
                            var c = 0
                            for (w, a) in nonzero { c += (dw[x * wpr + w] & a).nonzeroBitCount }
                            odd += c & 1
                        }
                    }
                    o[b] = Double(rows - 2 * odd)
                }
            }
        }}}
        return out
    }
}
