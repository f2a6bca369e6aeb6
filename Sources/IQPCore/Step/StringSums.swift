/// The model side of a block (docs/math.md §3): for each bandwidth k and each string i of
/// the rank's block, Σ_z f and Σ_z f² over the samples z, with f = cos φ(a, z). One array
/// [Σf σ₀ | Σf² σ₀ | Σf σ₁ | …]; the allreduce over the ranks of the same string group
/// (the sample direction) completes the sums over all s samples.
public struct StringSums: Sendable {
    public var values: [Double]
    public let sigmaCount: Int
    /// Strings in the rank's block.
    public let blockCount: Int

    public init(sigmaCount: Int, blockCount: Int) {
        self.sigmaCount = sigmaCount
        self.blockCount = blockCount
        values = [Double](repeating: 0, count: 2 * sigmaCount * blockCount)
    }

    @inline(__always) public func sum(_ k: Int, _ i: Int) -> Double { values[2 * k * blockCount + i] }
    @inline(__always) public func sumSquares(_ k: Int, _ i: Int) -> Double { values[(2 * k + 1) * blockCount + i] }

    /// Stores bandwidth k's per-string sums.
    public mutating func set(_ k: Int, sum: [Double], sumSquares: [Double]) {
        values.replaceSubrange((2 * k * blockCount)..<((2 * k + 1) * blockCount), with: sum)
        values.replaceSubrange(((2 * k + 1) * blockCount)..<((2 * k + 2) * blockCount), with: sumSquares)
    }
}
