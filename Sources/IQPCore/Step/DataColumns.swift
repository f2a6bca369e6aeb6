import CIQPKernels

/// A data set stored column by column, for the data side of the MMD² loss (docs/math.md §3),
/// t_a = (1/N) Σ_{x ∈ data} (−1)^{a·x}: column i packs bit i of every row, 64 rows per word
/// (unused high bits of a column's last word are zero). Then a·x mod 2 for all rows x at
/// once is the XOR of the |A| columns of the string's qubits, and Σ_x (−1)^{a·x} is
/// N − 2·popcount of that XOR: (|A| + 1)·⌈N/64⌉ word operations per string instead of a
/// pass over every row.
///
/// `paritySums` returns the unnormalised sums over its rows (a rank's shard of the data set),
/// so shards can be summed across ranks before dividing by N (`DataTerms`).
public struct DataColumns: Sendable {
    public let rows: Int
    public let columns: Int
    public let wordsPerColumn: Int
    /// Column i is words[i·wordsPerColumn ..< (i+1)·wordsPerColumn].
    public let words: [UInt64]

    public init(_ data: BitMatrix) {
        rows = data.rows
        columns = data.columns
        let wpc = max(1, (data.rows + 63) / 64)
        wordsPerColumn = wpc
        var out = [UInt64](repeating: 0, count: data.columns * wpc)
        let wpr = data.wordsPerRow, n = data.columns
        data.words.withUnsafeBufferPointer { rw in
            out.withUnsafeMutableBufferPointer { cw in
                // Each task owns a range of 64-row blocks, i.e. one word of every column.
                parallelFor(wpc, minimumChunk: 16) { blocks in
                    for blk in blocks {
                        for r in (blk * 64)..<min(data.rows, blk * 64 + 64) {
                            let bit = UInt64(1) << UInt64(r & 63)
                            for w in 0..<wpr {
                                var x = rw[r * wpr + w]
                                while x != 0 {
                                    let i = w * 64 + x.trailingZeroBitCount
                                    if i < n { cw[i * wpc + blk] |= bit }
                                    x &= x - 1
                                }
                            }
                        }
                    }
                }
            }
        }
        words = out
    }

    /// Σ_x (−1)^{popcount(a & x)} over the rows x, for each row a of `strings`: for
    /// each string, the XOR of its qubits' columns, then a popcount.
    public func paritySums(strings: BitMatrix) -> [Double] {
        let data = self
        precondition(strings.columns == data.columns)
        var out = [Double](repeating: Double(data.rows), count: strings.rows)
        let wpr = strings.wordsPerRow, wpc = data.wordsPerColumn, rows = data.rows
        if rows == 0 { return [Double](repeating: 0, count: strings.rows) }
        ComputeProfile.measure(.dataTerm) {
        strings.words.withUnsafeBufferPointer { sw in
        data.words.withUnsafeBufferPointer { cw in
        out.withUnsafeMutableBufferPointer { o in
            parallelFor(strings.rows, minimumChunk: max(1, 2048 / wpc)) { range in
                var qubits: [Int] = []
                for b in range {
                    qubits.removeAll(keepingCapacity: true)
                    for w in 0..<wpr {
                        var x = sw[b * wpr + w]
                        while x != 0 { qubits.append(w * 64 + x.trailingZeroBitCount); x &= x - 1 }
                    }
                    if qubits.isEmpty { continue }
                    // Σ_blk popcount(⊕_{i∈A} column_i[blk]): C (`iqp_odd_parity_count`, with the
                    // POPCNT instruction where the CPU has it).
                    let odd = qubits.withUnsafeBufferPointer { q in
                        iqp_odd_parity_count(cw.baseAddress!, wpc, q.baseAddress!, q.count)
                    }
                    o[b] = Double(rows - 2 * odd)
                }
            }
        }}}}
        return out
    }
}
