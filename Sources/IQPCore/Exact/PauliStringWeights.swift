#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The probability w_σ(a) with which `PauliStringSampler` draws the string a (docs/math.md §3,
/// §10): every qubit of the wire set W is in the string independently with probability
/// p = p(σ), the others never are, so
///
///     w_σ(a) = p^{|a|} (1 − p)^{|W| − |a|}   if a ⊆ W,      0 otherwise,
///
/// which depends on a only through |a| (a table of |W| + 1 values). Σ_a w_σ(a) = 1.
public struct PauliStringWeights: Sendable {
    public let sigma: Double
    /// mask(W) = Σ_{q∈W} 2^q (n ≤ 62).
    public let wireMask: Int
    /// byWeight[k] = p^k (1 − p)^{|W|−k}, k = 0…|W|.
    public let byWeight: [Double]

    public init(nQubits: Int, sigma: Double, wires: [Int]? = nil) {
        precondition(nQubits <= 62, "the exact path indexes strings by one machine word")
        let w = wires ?? Array(0..<nQubits)
        let p = PauliStringSampler.probability(sigma: sigma)
        self.sigma = sigma
        self.wireMask = w.reduce(0) { $0 | (1 << $1) }
        self.byWeight = (0...w.count).map { k in
            // log1p keeps (1 − p)^{|W|−k} accurate for p near 0.
            (k == 0 ? 1 : pow(p, Double(k))) * exp(Double(w.count - k) * log1p(-p))
        }
    }

    /// w_σ(a) for the string with bit mask `a`.
    @inlinable
    public func weight(_ a: Int) -> Double {
        a & ~wireMask == 0 ? byWeight[a.nonzeroBitCount] : 0
    }
}
