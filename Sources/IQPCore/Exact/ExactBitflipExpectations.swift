#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Exact <Z_a> of the bitflip model (docs/math.md §9) for all 2ⁿ strings at once, and the gradient
/// of Σ_a ρ(a)<Z_a> (docs/math.md §10). The closed form <Z_a> = Π_{j: g_j·a odd} c_j,
/// c_j = cos 2θ'_j, becomes a sum over generators in logarithms, and a sum over the generators
/// odd on a is a sparse transform: [g_j·a odd] = (1 − (−1)^{g_j·a})/2, so with
/// α_j = log|c_j|, ν_j = [c_j < 0], ζ_j = [c_j = 0] (α_j = 0 then),
///
///     Λ(a) = Σ_{j odd on a} α_j = (Σ_j α_j − WHT(v_α)(a))/2      (likewise Neg(a), Zero(a)),
///     <Z_a> = [Zero(a) = 0]·(−1)^{Neg(a)}·e^{Λ(a)}·s(a),
///
/// s(a) = 1, or [|a| even] for the spin-symmetric start. Gradient: for c_j ≠ 0,
/// ∂<Z_a>/∂θ'_j = −2 tan(2θ'_j)·[g_j·a odd]·<Z_a>, so with R = ρ·<Z>
///
///     ∂(Σ_a ρ(a)<Z_a>)/∂θ'_j = −tan(2θ'_j)·(WHT(R)(0) − WHT(R)(mask g_j)).
///
/// That difference cancels badly when |c_j| is tiny (the odd part of R carries the factor c_j),
/// so generators with |c_j| < `smallFactor` are summed directly, O(2ⁿ) each, from <Z_a> with
/// their own factor left out: Σ_{a: g_j·a odd} ρ(a)·(−1)^{Neg(a)−ν_j}·e^{Λ(a)−α_j}·[Zero(a) = ζ_j]·s(a).
/// Memory: four real vectors, 32·2ⁿ bytes. No communication: every rank computes its blocks.
public final class ExactBitflipExpectations: AllStringExpectations, @unchecked Sendable {
    // @unchecked Sendable: as ExactIQPExpectations (disjoint ranges, one call at a time).
    public let layout: ExactVectorLayout
    public let spinSym: Bool
    public let masks: [Int]
    /// |c_j| below this takes the direct sum.
    public static let smallFactor = 1e-4
    let logMagnitude: ExactBuffer
    let negatives: ExactBuffer
    let zeros: ExactBuffer
    let real: ExactBuffer

    public init(circuit: Circuit, spinSym: Bool, layout: ExactVectorLayout) {
        precondition(layout.nQubits == circuit.nQubits)
        self.layout = layout
        self.spinSym = spinSym
        self.masks = circuit.generatorMasks
        logMagnitude = ExactBuffer(count: layout.count)
        negatives = ExactBuffer(count: layout.count)
        zeros = ExactBuffer(count: layout.count)
        real = ExactBuffer(count: layout.count)
    }

    public var generatorCount: Int { masks.count }
    public var values: UnsafeMutablePointer<Double> { real.base }

    /// (α_j, ν_j, ζ_j) for every generator.
    func factors(_ thetaPrime: [Double]) -> (alpha: [Double], negative: [Double], zero: [Double]) {
        let c = thetaPrime.map { cos(2 * $0) }
        return (c.map { $0 == 0 ? 0 : log(abs($0)) }, c.map { $0 < 0 ? 1 : 0 }, c.map { $0 == 0 ? 1 : 0 })
    }

    public func forward(thetaPrime: [Double]) {
        precondition(thetaPrime.count == masks.count)
        let (alpha, negative, zero) = factors(thetaPrime)
        for (buffer, v) in [(logMagnitude, alpha), (negatives, negative), (zeros, zero)] {
            SparseWalshHadamard.transform(masks: masks, values: v, layout: layout, into: buffer.base)
            let total = v.reduce(0, +)
            let p = SharedPointer(buffer.base)
            layout.forEachOwnRange { range in for a in range { p.base[a] = (total - p.base[a]) / 2 } }
        }
        let out = SharedPointer(real.base)
        layout.forEachOwnRange { range in for a in range { out.base[a] = self.expectation(a, without: nil) } }
    }

    /// <Z_a>, or with generator j's factor left out (`without` = (α_j, ν_j, ζ_j)).
    @inline(__always)
    func expectation(_ a: Int, without: (Double, Double, Double)?) -> Double {
        if spinSym && a.nonzeroBitCount & 1 == 1 { return 0 }
        let (alpha, nu, zeta) = without ?? (0, 0, 0)
        guard (zeros[a] - zeta).rounded() == 0 else { return 0 }
        let magnitude = exp(logMagnitude[a] - alpha)
        return Int((negatives[a] - nu).rounded()) & 1 == 0 ? magnitude : -magnitude
    }

    public func backward(thetaPrime: [Double]) -> [Double] {
        precondition(thetaPrime.count == masks.count)
        let (alpha, negative, zero) = factors(thetaPrime)
        var gradient = [Double](repeating: 0, count: masks.count)
        let rho = SharedPointer(real.base)
        // Generators with a tiny factor: the direct sum (reads ρ before it is overwritten).
        for j in 0..<masks.count where abs(cos(2 * thetaPrime[j])) < ExactBitflipExpectations.smallFactor {
            let mask = masks[j], leftOut = (alpha[j], negative[j], zero[j])
            let sum = layout.sumOverOwnRanges(components: 1) { range, partial in
                for a in range where (a & mask).nonzeroBitCount & 1 == 1 {
                    partial[0] += rho.base[a] * self.expectation(a, without: leftOut)
                }
            }[0]
            gradient[j] = -2 * sin(2 * thetaPrime[j]) * sum
        }
        // The others: R = ρ·<Z>, one transform of the own blocks, read at 0 and at the masks.
        layout.forEachOwnRange { range in
            for a in range { rho.base[a] *= self.expectation(a, without: nil) }
        }
        layout.transformOwnBlocksLow(real.base)
        let shares = layout.gather(real.base, at: [0] + masks)
        for j in 0..<masks.count where abs(cos(2 * thetaPrime[j])) >= ExactBitflipExpectations.smallFactor {
            gradient[j] = -tan(2 * thetaPrime[j]) * (shares[0] - shares[j + 1])
        }
        return gradient
    }
}
