import Foundation
import IQPCore

/// Test-only references, written independently of the library's algorithms, shared by the
/// test targets (a library target that only tests depend on).
public enum Reference {
    /// Gate-by-gate state vector (docs/math.md §1), n ≤ 12: starting from |0…0> (or
    /// (|0…0> + |1…1>)/√2 when `spinSym`), every generator applies
    /// exp(iθ'X_g)|ψ> = cos θ' |ψ> + i sin θ' X_g|ψ>, X_g|x> = |x ⊕ mask(g)>. Returns p(x).
    public static func stateVectorProbabilities(_ model: IQPModel) -> [Double] {
        let (re, im) = stateVector(model)
        return (0..<re.count).map { re[$0] * re[$0] + im[$0] * im[$0] }
    }

    /// The amplitudes ⟨x|ψ⟩ (real and imaginary parts, x with qubit i = bit i) of the
    /// gate-by-gate state vector above.
    public static func stateVector(_ model: IQPModel) -> (re: [Double], im: [Double]) {
        let n = model.nQubits
        precondition(n <= 12)
        let size = 1 << n
        var re = [Double](repeating: 0, count: size)
        var im = [Double](repeating: 0, count: size)
        if model.spinSym {
            re[0] = 1 / 2.0.squareRoot()
            re[size - 1] = 1 / 2.0.squareRoot()
        } else {
            re[0] = 1
        }
        let thetaPrime = model.circuit.generatorParameters(model.params)
        for (j, g) in model.circuit.generators.enumerated() {
            let mask = g.reduce(0) { $0 | (1 << $1) }
            let c = cos(thetaPrime[j]), s = sin(thetaPrime[j])
            var newRe = re, newIm = im
            for x in 0..<size {
                // cos θ ψ[x] + i sin θ ψ[x ⊕ mask]
                newRe[x] = c * re[x] - s * im[x ^ mask]
                newIm[x] = c * im[x] + s * re[x ^ mask]
            }
            re = newRe
            im = newIm
        }
        return (re, im)
    }

    /// Exact distribution of the bitflip model (docs/math.md §9) by enumeration: start from the
    /// point mass at 0 (or 1/2 at 0…0 and 1/2 at 1…1 when `spinSym`), then for every
    /// generator p ← (1 − q_j)·p + q_j·p(· ⊕ mask_j), q_j = sin²θ'_j.
    public static func bitflipDistribution(_ model: IQPModel) -> [Double] {
        let n = model.nQubits
        let size = 1 << n
        var p = [Double](repeating: 0, count: size)
        if model.spinSym { p[0] = 0.5; p[size - 1] = 0.5 } else { p[0] = 1 }
        let thetaPrime = model.circuit.generatorParameters(model.params)
        for (j, g) in model.circuit.generators.enumerated() {
            let mask = g.reduce(0) { $0 | (1 << $1) }
            let q = sin(thetaPrime[j]) * sin(thetaPrime[j])
            let old = p
            p = (0..<size).map { x in (1 - q) * old[x] + q * old[x ^ mask] }
        }
        return p
    }

    /// The distribution after per-qubit readout flips p01 (0→1) and p10 (1→0), by enumeration.
    public static func withReadoutNoise(_ p: [Double], nQubits n: Int, p01: Double, p10: Double) -> [Double] {
        var out = p
        for q in 0..<n {
            let bit = 1 << q
            var next = [Double](repeating: 0, count: out.count)
            for x in 0..<out.count {
                if x & bit == 0 {
                    next[x] += (1 - p01) * out[x]
                    next[x | bit] += p01 * out[x]
                } else {
                    next[x] += (1 - p10) * out[x]
                    next[x & ~bit] += p10 * out[x]
                }
            }
            out = next
        }
        return out
    }

    /// <Z_a> = Σ_x p(x) (−1)^{a·x}.
    public static func expectationZ(_ p: [Double], a: Int) -> Double {
        p.enumerated().reduce(0) { $0 + $1.element * ((a & $1.offset).nonzeroBitCount & 1 == 0 ? 1 : -1) }
    }

    /// The data term's sums row by row (docs/math.md §3): Σ_x (−1)^{popcount(a & x)} over the
    /// rows x of `data`, for each row a of `strings` (the reference for `DataColumns.paritySums`,
    /// which works on the columns).
    public static func paritySums(strings: BitMatrix, data: BitMatrix) -> [Double] {
        precondition(strings.columns == data.columns)
        return (0..<strings.rows).map { b in
            let a = strings.row(b)
            var sum = 0
            for x in 0..<data.rows {
                let parity = zip(a, data.row(x)).reduce(0) { $0 + ($1.0 & $1.1).nonzeroBitCount } & 1
                sum += 1 - 2 * parity
            }
            return Double(sum)
        }
    }

    /// Unnormalised Walsh–Hadamard transform by its definition, O(N²).
    public static func walshHadamard(_ v: [Double]) -> [Double] {
        (0..<v.count).map { y in
            v.enumerated().reduce(0) { $0 + $1.element * ((y & $1.offset).nonzeroBitCount & 1 == 0 ? 1 : -1) }
        }
    }

    /// Pearson's χ² of observed counts against expected probabilities, bins with expected
    /// count < 5 pooled into one; returns (χ², degrees of freedom).
    public static func chiSquared(counts: [Int], probabilities: [Double], shots: Int) -> (Double, Int) {
        var chi2 = 0.0, bins = 0
        var pooledObserved = 0.0, pooledExpected = 0.0
        for (x, p) in probabilities.enumerated() {
            let expected = p * Double(shots)
            if expected < 5 {
                pooledObserved += Double(counts[x])
                pooledExpected += expected
            } else {
                chi2 += (Double(counts[x]) - expected) * (Double(counts[x]) - expected) / expected
                bins += 1
            }
        }
        if pooledExpected >= 1 {
            chi2 += (pooledObserved - pooledExpected) * (pooledObserved - pooledExpected) / pooledExpected
            bins += 1
        }
        return (chi2, bins - 1)
    }

    /// Upper quantile of χ²(df) at the tail probability of the standard normal quantile z
    /// (Wilson–Hilferty approximation, accurate to a few percent for df ≥ 10).
    public static func chiSquaredQuantile(df: Int, z: Double) -> Double {
        let k = Double(df)
        let t = 1 - 2 / (9 * k) + z * (2 / (9 * k)).squareRoot()
        return k * t * t * t
    }

    /// A random circuit for tests: `gates` gates with 1–2 generators each of weight
    /// 1…maxWeight, parameters uniform in [−π, π), from a seeded stream.
    public static func randomModel(nQubits n: Int, gates: Int, maxWeight: Int, seed: UInt64,
                            spinSym: Bool = false, kind: ModelKind = .iqp) throws -> IQPModel {
        var stream = KeyedStream(key: seed)
        var list: [[[Int]]] = []
        for _ in 0..<gates {
            var gate: [[Int]] = []
            for _ in 0..<(1 + stream.nextInt(below: 2)) {
                let w = 1 + stream.nextInt(below: min(maxWeight, n))
                var qubits = Set<Int>()
                while qubits.count < w { qubits.insert(stream.nextInt(below: n)) }
                gate.append(qubits.sorted())
            }
            list.append(gate)
        }
        let params = list.map { _ in (stream.nextUniform() * 2 - 1) * Double.pi }
        return try IQPModel(circuit: Circuit(nQubits: n, gates: list), params: params, spinSym: spinSym, kind: kind)
    }

    /// Outcome index of every row (n ≤ 62).
    public static func outcomes(_ m: BitMatrix) -> [Int] {
        (0..<m.rows).map { r in (0..<m.columns).reduce(0) { $0 | (m[r, $1] ? 1 << $1 : 0) } }
    }

    public static func counts(_ m: BitMatrix) -> [Int] {
        var c = [Int](repeating: 0, count: 1 << m.columns)
        for x in outcomes(m) { c[x] += 1 }
        return c
    }
}
