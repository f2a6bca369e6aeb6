import Foundation
@testable import IQPCore
import IQPTestSupport

/// Brute-force references for small n (≤ 12 qubits): the state vector built gate by gate
/// and exact expectations, kernels and MMD² by enumeration. Independent of the estimators.
enum BruteForce {
    /// The gate-by-gate state vector's probabilities (shared reference, docs/math.md §1, §8).
    static func probabilities(_ model: IQPModel) -> [Double] { Reference.stateVectorProbabilities(model) }

    /// Exact distribution of the bitflip model (docs/math.md §9), spin-symmetric start included.
    static func bitflipProbabilities(_ model: IQPModel) -> [Double] { Reference.bitflipDistribution(model) }

    /// <Z_a> = Σ_x P(x) (−1)^{a·x}.
    static func expectation(_ p: [Double], string a: Int) -> Double { Reference.expectationZ(p, a: a) }

    static func mask(_ m: BitMatrix, row r: Int) -> Int {
        (0..<m.columns).reduce(0) { $0 | (m[r, $1] ? 1 << $1 : 0) }
    }

    /// Gaussian kernel on bitstrings: exp(−d_H(x,y)/(2σ²)).
    static func kernel(_ x: Int, _ y: Int, sigma: Double) -> Double {
        exp(-Double((x ^ y).nonzeroBitCount) / (2 * sigma * sigma))
    }

    /// MMD² between model distribution p and a data set, with the data–data term as the
    /// U-statistic (exactly what the estimator targets, docs/math.md §3).
    static func mmdSquaredUnbiasedData(model p: [Double], data: [Int], sigma: Double) -> Double {
        let dim = p.count
        var kk = 0.0, kd = 0.0, dd = 0.0
        var k = [Double](repeating: 0, count: dim)
        for d in 0...(Int(log2(Double(dim)))) { k[d] = exp(-Double(d) / (2 * sigma * sigma)) }
        var q = [Double](repeating: 0, count: dim)
        for x in data { q[x] += 1 / Double(data.count) }
        for x in 0..<dim where p[x] > 0 {
            for y in 0..<dim {
                let kv = k[(x ^ y).nonzeroBitCount]
                kk += p[x] * p[y] * kv
                kd += p[x] * q[y] * kv
            }
        }
        // U-statistic: mean over distinct pairs i ≠ j of the data.
        var counts = [Int](repeating: 0, count: dim)
        for x in data { counts[x] += 1 }
        let occupied = (0..<dim).filter { counts[$0] > 0 }
        var pairSum = 0.0
        for x in occupied { for y in occupied {
            let c = Double(counts[x]) * Double(x == y ? counts[y] - 1 : counts[y])
            pairSum += c * k[(x ^ y).nonzeroBitCount]
        } }
        let n = Double(data.count)
        dd = pairSum / (n * (n - 1))
        return kk - 2 * kd + dd
    }

    /// MMD² (V-statistic) between two distributions p and q.
    static func mmdSquared(_ p: [Double], _ q: [Double], sigma: Double) -> Double {
        var s = 0.0
        for x in 0..<p.count { for y in 0..<p.count {
            s += (p[x] - q[x]) * (p[y] - q[y]) * kernel(x, y, sigma: sigma)
        } }
        return s
    }
}

/// Small circuits used across tests.
enum TestCircuits {
    static func allSubsets(n: Int, maxWeight: Int) -> [[[Int]]] {
        var out: [[[Int]]] = []
        func rec(_ start: Int, _ current: [Int], _ w: Int) {
            if current.count == w { out.append([current]); return }
            if start >= n { return }
            for q in start..<n { rec(q + 1, current + [q], w) }
        }
        for w in 1...maxWeight { rec(0, [], w) }
        return out
    }

    static func randomParams(_ count: Int, seed: UInt64, scale: Double = 1) -> [Double] {
        var s = KeyedStream(key: seed)
        return (0..<count).map { _ in (s.nextUniform() * 2 - 1) * scale }
    }

    static func model(n: Int, gates: [[[Int]]], seed: UInt64, spinSym: Bool = false,
                      kind: ModelKind = .iqp, scale: Double = 0.8) -> IQPModel {
        let c = try! Circuit(nQubits: n, gates: gates)
        return try! IQPModel(circuit: c, params: randomParams(c.parameterCount, seed: seed, scale: scale),
                             spinSym: spinSym, kind: kind)
    }

    /// Mixed weights up to 4 with shared parameters.
    static func mixed(n: Int) -> [[[Int]]] {
        var gates: [[[Int]]] = (0..<n).map { [[$0]] }
        for i in 0..<(n - 1) { gates.append([[i, i + 1]]) }
        gates.append([[0, 2, 4], [1, 3]])          // shared parameter, weights 3 and 2
        gates.append([[0, 1, 2, 3], [n - 1]])      // weight 4 with a weight-1 partner
        gates.append([[1, n - 2], [2, n - 1], [0]])
        return gates
    }

    /// Draws data rows from a distribution (inverse CDF with a keyed stream).
    static func sampleData(_ p: [Double], count: Int, seed: UInt64) -> [Int] {
        var cdf = p; for i in 1..<cdf.count { cdf[i] += cdf[i - 1] }
        var s = KeyedStream(key: seed)
        return (0..<count).map { _ in
            let u = s.nextUniform() * cdf.last!
            var lo = 0, hi = cdf.count - 1
            while lo < hi { let mid = (lo + hi) / 2; if cdf[mid] > u { hi = mid } else { lo = mid + 1 } }
            return lo
        }
    }

    static func bitMatrix(_ rows: [Int], n: Int) -> BitMatrix {
        var m = BitMatrix(rows: rows.count, columns: n)
        for (r, x) in rows.enumerated() { for i in 0..<n where x >> i & 1 == 1 { m[r, i] = true } }
        return m
    }
}
