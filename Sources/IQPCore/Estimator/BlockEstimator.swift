/// The contract every estimator of <Z_a> keeps over one block of B strings × s samples
/// (docs/math.md §2–§5, §8), so `MMDObjective`'s strings × samples decomposition does not depend on
/// which one runs:
///
/// - `forward` returns, per string a of the block, Σ_i f_{a,i} and Σ_i f_{a,i}² over the
///   block's samples z_i, with f_{a,i} = cos φ(a, z_i) · m(a, z_i) (m = 1 for the plain start);
/// - `backward` takes ∂L/∂f_{a,i} = α_a + β·f_{a,i} and returns ∂L/∂θ' (one entry per generator).
public protocol BlockEstimator: Sendable {
    associatedtype Forward: BlockForward
    func forward(thetaPrime: [Double], strings: BitMatrix, samples: BitMatrix, spinSym: Bool) -> Forward
    func backward(_ forward: Forward, thetaPrime: [Double], alpha: [Double], beta: Double) -> [Double]
}

/// What a forward pass reports per string of its block.
public protocol BlockForward: Sendable {
    /// Σ_i f_{a,i} for each string a of the block.
    var rowSum: [Double] { get }
    /// Σ_i f_{a,i}² for each string a of the block.
    var rowSumSquares: [Double] { get }
}

extension DenseEstimator: BlockEstimator {}
extension DenseEstimator.Forward: BlockForward {}
