/// The Walsh–Hadamard transform of a vector with few non-zero entries, on one rank's blocks
/// (docs/math.md §10): for v with v[mask_j] += c_j,
///
///     WHT(v)(y) = Σ_j c_j (−1)^{mask_j·y},
///
/// e.g. the phase function f(y) = Σ_j θ'_j (−1)^{g_j·y} of an IQP circuit. For the block
/// b = y_hi of `ExactVectorLayout`, (−1)^{mask·y} = (−1)^{mask_hi·b}·(−1)^{mask_lo·y_lo}, so
/// the block is the low-bit transform of the folded vector v_b[mask_lo] += (−1)^{mask_hi·b} c_j:
/// O(m) to fold and one transform of 2^{n−k} entries per own block, no communication.
public enum SparseWalshHadamard {
    /// Writes WHT(v) on the own blocks of `layout` into `out` (2ⁿ Doubles; other blocks are
    /// left as they are).
    public static func transform(masks: [Int], values: [Double], layout: ExactVectorLayout,
                                 into out: UnsafeMutablePointer<Double>) {
        precondition(masks.count == values.count)
        let lowBits = layout.nQubits - layout.blockBits, lowMask = layout.blockLength - 1
        for b in layout.ownBlocks {
            let block = out + b * layout.blockLength
            block.update(repeating: 0, count: layout.blockLength)
            for (j, mask) in masks.enumerated() {
                let odd = ((mask >> lowBits) & b).nonzeroBitCount & 1 == 1
                block[mask & lowMask] += odd ? -values[j] : values[j]
            }
            ExactVectorLayout.wht(block, totalBits: lowBits, bits: 0..<lowBits)
        }
    }
}
