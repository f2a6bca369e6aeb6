/// Which estimator computes the expectations of a batch (`--estimator dense|fast|exact|auto`).
public enum EstimatorPath: String, Sendable, CaseIterable, CustomStringConvertible {
    /// `DenseEstimator`: any circuit, O(B·s·m) (docs/math.md §2, §4).
    case dense
    /// `PairwiseIsingEstimator`: generators of weight ≤ 2 only, O(n²·s + B·s·|A|²) (docs/math.md §5).
    case fast
    /// The cheaper of the two by `EstimatorCost`, batch by batch (dense when fast does not apply).
    /// A training job's `--estimator auto` also weighs the exact path (`ExactPathCost.resolve`).
    case auto
    /// Not an estimate: the loss over all 2ⁿ strings and its gradient, O(n·2ⁿ) per step
    /// (n ≤ ~26, `ExactLossTerms`, docs/math.md §10). A whole step's choice, never a batch's.
    case exact

    public var description: String { rawValue }
}

/// Estimated work of one forward + backward pass over a block of B strings × s samples, on
/// either path: GEMM flops and other (vectorised loop) operations, converted to seconds with
/// fixed rates typical of one core pair (the choice only needs the ratio to be right within
/// a factor of a few, since away from the crossover the two paths differ by orders of magnitude).
public struct EstimatorCost: Sendable, Equatable {
    public var gemmFlops: Double
    public var otherOperations: Double

    /// Rates the two kinds of work run at (GEMM flops per second, loop operations per second).
    public static let gemmRate = 4e10
    public static let otherRate = 4e9

    public var seconds: Double { gemmFlops / EstimatorCost.gemmRate + otherOperations / EstimatorCost.otherRate }

    /// Dense path: Φ and the gradient are two B×s×m GEMMs; the parities of strings and
    /// samples (each generator's qubits visited) are filled twice; cos and sin of the C library
    /// cost about 60 operations per pair.
    public static func dense(strings b: Int, samples s: Int, generators m: Int, generatorQubits q: Int) -> EstimatorCost {
        let bd = Double(b), sd = Double(s)
        return EstimatorCost(gemmFlops: 4 * bd * sd * Double(m),
                             otherOperations: 2 * (bd + sd) * Double(m + q) + 70 * bd * sd)
    }

    /// Fast path: two |U|×n×s GEMMs; per pair about 6|A| + 2·(pairs of A that are generators)
    /// + 20 operations (phases, pair sums, sin/cos, W, M); the spin matrix σ(Z)ᵀ.
    /// `pairDensity` is the share of the n(n−1)/2 qubit pairs that carry a generator.
    /// - Parameters:
    ///   - usedQubits: |U|, qubits in at least one string of the block.
    ///   - stringQubits: Σ_a |A_a|.
    ///   - stringPairs: Σ_a |A_a|(|A_a| − 1)/2.
    public static func fast(strings b: Int, samples s: Int, qubits n: Int, usedQubits u: Int,
                            stringQubits q: Int, stringPairs pairs: Int, pairDensity: Double = 1) -> EstimatorCost {
        let sd = Double(s)
        return EstimatorCost(gemmFlops: 4 * Double(u) * Double(n) * sd,
                             otherOperations: sd * (6 * Double(q) + 2 * pairDensity * Double(pairs) + 20 * Double(b) + Double(n) + 2 * Double(u)))
    }
}
