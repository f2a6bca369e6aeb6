import Foundation
@testable import IQPCore
import IQPTestSupport

/// Brute-force references for the exact path (docs/math.md §10), written without Walsh–Hadamard
/// transforms or Pauli-string expansions: the model's distribution from the gate-by-gate state
/// vector (or the bitflip model by enumeration), the MMD² in kernel form with the data–data
/// term as the U-statistic, and its gradient by the parameter-shift rule on the distribution.
enum ExactBruteForce {
    /// The model's exact distribution p(x) (n ≤ 12).
    static func distribution(_ model: IQPModel) -> [Double] {
        model.kind == .iqp ? Reference.stateVectorProbabilities(model) : Reference.bitflipDistribution(model)
    }

    /// k_σ(x, y) = exp(−d_W(x, y)/(2σ²)), d_W the Hamming distance on the wires only, as a table
    /// by distance.
    static func kernelByDistance(sigma: Double, maxDistance: Int) -> [Double] {
        (0...maxDistance).map { exp(-Double($0) / (2 * sigma * sigma)) }
    }

    /// The loss the exact path computes: mean over σ of Σ p p k − 2 Σ p q k + (data–data U-statistic),
    /// q the data's empirical distribution, strings restricted to `wires` (nil: all).
    static func loss(_ p: [Double], rows: [Int], sigmas: [Double], wires: [Int]? = nil) -> Double {
        let wireMask = (wires ?? Array(0..<Int(log2(Double(p.count))))).reduce(0) { $0 | (1 << $1) }
        let nd = Double(rows.count)
        var counts = [Double](repeating: 0, count: p.count)
        for x in rows { counts[x] += 1 }
        var total = 0.0
        for sigma in sigmas {
            let k = kernelByDistance(sigma: sigma, maxDistance: wireMask.nonzeroBitCount)
            var value = 0.0
            for x in 0..<p.count where p[x] != 0 || counts[x] != 0 {
                for y in 0..<p.count where p[y] != 0 || counts[y] != 0 {
                    let kv = k[((x ^ y) & wireMask).nonzeroBitCount]
                    let pairs = counts[x] * (x == y ? counts[y] - 1 : counts[y]) / (nd * (nd - 1))
                    value += kv * (p[x] * p[y] - 2 * p[x] * counts[y] / nd + pairs)
                }
            }
            total += value
        }
        return total / Double(sigmas.count)
    }

    /// ∂loss/∂p_x = mean over σ of 2 Σ_y (p_y − q_y) k_σ(x, y).
    static func lossGradientInP(_ p: [Double], rows: [Int], sigmas: [Double], wires: [Int]?) -> [Double] {
        let wireMask = (wires ?? Array(0..<Int(log2(Double(p.count))))).reduce(0) { $0 | (1 << $1) }
        var q = [Double](repeating: 0, count: p.count)
        for x in rows { q[x] += 1 / Double(rows.count) }
        var out = [Double](repeating: 0, count: p.count)
        for sigma in sigmas {
            let k = kernelByDistance(sigma: sigma, maxDistance: wireMask.nonzeroBitCount)
            for x in 0..<p.count {
                var s = 0.0
                for y in 0..<p.count where p[y] != q[y] { s += (p[y] - q[y]) * k[((x ^ y) & wireMask).nonzeroBitCount] }
                out[x] += 2 * s / Double(sigmas.count)
            }
        }
        return out
    }

    /// ∂loss/∂θ (per gate) by the parameter-shift rule: every generator's e^{iθ'X_g} (or bitflip
    /// probability sin²θ') makes p a trigonometric polynomial of frequency 2 in θ'_j, so
    /// ∂p/∂θ'_j = p(θ'_j + π/4) − p(θ'_j − π/4) exactly; then the chain rule through ∂loss/∂p
    /// and the sum over the generators of each gate.
    static func gradient(_ model: IQPModel, rows: [Int], sigmas: [Double], wires: [Int]? = nil) throws -> [Double] {
        let circuit = model.circuit
        let thetaPrime = circuit.generatorParameters(model.params)
        // One gate per generator, so a single generator can be shifted.
        let expanded = try Circuit(nQubits: circuit.nQubits, gates: circuit.generators.map { [$0] })
        func shifted(_ j: Int, by delta: Double) throws -> [Double] {
            var params = thetaPrime
            params[j] += delta
            return distribution(try IQPModel(circuit: expanded, params: params, spinSym: model.spinSym, kind: model.kind))
        }
        let dLdp = lossGradientInP(distribution(model), rows: rows, sigmas: sigmas, wires: wires)
        let generatorGradient = try (0..<circuit.generatorCount).map { j in
            let plus = try shifted(j, by: Double.pi / 4), minus = try shifted(j, by: -Double.pi / 4)
            return (0..<dLdp.count).reduce(0.0) { $0 + dLdp[$1] * (plus[$1] - minus[$1]) }
        }
        return circuit.gateGradient(generatorGradient)
    }

    /// Data rows drawn from a random IQP model's distribution (keyed stream), as outcome indices
    /// and as a matrix.
    static func data(nQubits n: Int, count: Int, seed: UInt64) throws -> (rows: [Int], matrix: BitMatrix) {
        let truth = try Reference.randomModel(nQubits: n, gates: 2 * n, maxWeight: 2, seed: seed)
        let rows = TestCircuits.sampleData(Reference.stateVectorProbabilities(truth), count: count, seed: seed + 1)
        return (rows, TestCircuits.bitMatrix(rows, n: n))
    }

    /// The training objective on the exact path (`--estimator exact`).
    static func objective(_ model: IQPModel, train: BitMatrix, sigmas: [Double], wires: [Int]? = nil,
                          memoryBudget: Int = 1 << 30) throws -> MMDObjective {
        try MMDObjective(model: model, train: train,
                         settings: LossSettings(sigmas: sigmas, wires: wires, memoryBudget: memoryBudget, estimator: .exact),
                         seed: 0)
    }
}
