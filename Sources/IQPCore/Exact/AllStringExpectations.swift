/// <Z_a> of a model for all 2ⁿ Pauli-Z strings a at once, and the gradient of any linear
/// combination Σ_a ρ(a)<Z_a> with respect to the generator parameters θ' (docs/math.md §10).
/// `ExactIQPExpectations` (two more transforms than the sampler's) and
/// `ExactBitflipExpectations` (the closed form of docs/math.md §9, over all strings) implement it;
/// the exact loss (`ExactMMDObjective`) is written against this contract only.
///
/// The work is split over the ranks of `layout`: index ranges `layout.ownRanges`.
public protocol AllStringExpectations: AnyObject, Sendable {
    var layout: ExactVectorLayout { get }
    /// The number of generators (the length of the gradient).
    var generatorCount: Int { get }
    /// 2ⁿ Doubles: after `forward`, <Z_a> at index a for every a of the own ranges; before
    /// `backward`, the caller writes ρ(a) = ∂L/∂<Z_a> there (own ranges).
    var values: UnsafeMutablePointer<Double> { get }
    /// Computes <Z_a> at the parameters θ' (one per generator) into `values`.
    func forward(thetaPrime: [Double])
    /// This rank's share of ∂(Σ_a ρ(a)<Z_a>)/∂θ'_j for every generator j, with ρ read from
    /// `values` and <Z_a> those of the last `forward` at the same θ'. Summed over the ranks it
    /// is the gradient. Overwrites `values`.
    func backward(thetaPrime: [Double]) -> [Double]
}

extension Circuit {
    /// mask(g_j) = Σ_{q∈g_j} 2^q for every generator (n ≤ 62).
    public var generatorMasks: [Int] {
        generators.map { g in g.reduce(0) { $0 | (1 << $1) } }
    }
}
