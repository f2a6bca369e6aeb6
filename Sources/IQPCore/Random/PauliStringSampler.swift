#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Draws the random Pauli-Z strings of the MMD² estimator (docs/math.md §3).
///
/// For bandwidth σ every qubit of `wires` is in the string independently with probability
/// p(σ) = (1 − exp(−1/(2σ²)))/2; qubits outside `wires` never are (they are traced out).
/// String `b` of bandwidth index `k` at step `t` comes from the keyed stream
/// (seed, t, k, .pauliStrings, b): positions are drawn by geometric skipping over `wires`
/// (gap = ⌊log u / log(1 − p)⌋), so a string costs O(|a| + 1) random numbers.
public struct PauliStringSampler: Sendable {
    public let nQubits: Int
    /// Qubits a string may act on, ascending.
    public let wires: [Int]
    public let sigma: Double
    /// p(σ), the probability that a wire is in a string.
    public let probability: Double
    @usableFromInline let logOneMinusP: Double

    public init(nQubits: Int, sigma: Double, wires: [Int]? = nil) {
        precondition(sigma > 0 && sigma.isFinite)
        self.nQubits = nQubits
        self.wires = (wires ?? Array(0..<nQubits)).sorted()
        self.sigma = sigma
        self.probability = PauliStringSampler.probability(sigma: sigma)
        self.logOneMinusP = log1p(-probability)
    }

    /// p(σ) = (1 − exp(−1/(2σ²)))/2 (docs/math.md §3): E_a[(−1)^{a·(x⊕y)}] = exp(−d_H/(2σ²)).
    public static func probability(sigma: Double) -> Double {
        -expm1(-1 / (2 * sigma * sigma)) / 2
    }

    /// Expected number of ones in a string: |wires|·p(σ).
    public var expectedWeight: Double { Double(wires.count) * probability }

    /// The strings with global indices `range` of bandwidth `sigmaIndex` at `step`, as rows.
    public func strings(seed: UInt64, step: UInt64, sigmaIndex: Int, range: Range<Int>) -> BitMatrix {
        var out = BitMatrix(rows: range.count, columns: nQubits)
        let wpr = out.wordsPerRow
        out.words.withUnsafeMutableBufferPointer { words in
            for (r, b) in range.enumerated() {
                var stream = KeyedStream(seed: seed, step: step, sigmaIndex: sigmaIndex,
                                         purpose: .pauliStrings, index: b)
                var position = -1
                while true {
                    let u = stream.nextUniformPositive()
                    let gap = (log(u) / logOneMinusP).rounded(.down)
                    if gap >= Double(wires.count) { break }
                    position += Int(gap) + 1
                    if position >= wires.count { break }
                    let q = wires[position]
                    words[r * wpr + q >> 6] |= 1 << UInt64(q & 63)
                }
            }
        }
        return out
    }
}

/// Draws the uniform Monte Carlo samples z ∈ {0,1}ⁿ of the estimator (docs/math.md §2).
/// Sample `i` of bandwidth index `k` at step `t` comes from the keyed stream
/// (seed, t, k, .samples, i): its words are the stream's first ⌈n/64⌉ values.
public enum UniformSampleSampler {
    public static func samples(nQubits: Int, seed: UInt64, step: UInt64, sigmaIndex: Int,
                               range: Range<Int>) -> BitMatrix {
        var out = BitMatrix(rows: range.count, columns: nQubits)
        let wpr = out.wordsPerRow
        let mask = out.lastWordMask
        out.words.withUnsafeMutableBufferPointer { words in
            for (r, i) in range.enumerated() {
                var stream = KeyedStream(seed: seed, step: step, sigmaIndex: sigmaIndex,
                                         purpose: .samples, index: i)
                for w in 0..<wpr { words[r * wpr + w] = stream.next() }
                words[r * wpr + wpr - 1] &= mask
            }
        }
        return out
    }
}
