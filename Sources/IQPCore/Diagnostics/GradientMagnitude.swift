import COpenBLAS

/// How large the loss gradient (docs/math.md §3–§4) is at the start of training (`iqp diagnose
/// gradients`, docs/diagnostics.md): the quantity of the barren-plateau literature, for one model
/// size and one initialisation (docs/math.md §6).
///
/// Draw r = 0 … R−1 takes θ_r from the initialisation with seed `seed + r` (uniform angles for
/// `random`; the data rule, plus its `paramNoise` on gates of weight ≥ 3, for `data`; zero for
/// `zero`) and estimates the gradient g(θ_r) twice, with independent strings and samples (steps
/// 2r and 2r + 1 of the keyed streams): g¹_r, g²_r. Independent unbiased estimates make the
/// products unbiased for the true gradient, so the estimator's noise cancels:
///
///     mean square  M = 1/(R·P) Σ_r Σ_k g¹_rk g²_rk        ≈ E_θ[ mean_k (∂_k L)² ],
///     variance     V = 1/P Σ_k 1/(R−1) Σ_r (g¹_rk − ḡ¹_k)(g²_rk − ḡ²_k)  ≈ mean_k Var_θ[∂_k L],
///
/// with P parameters (the variance of Thanasilp et al.'s barren-plateau statements; for the
/// random initialisation E_θ[∂_k L] = 0, so V ≈ M). The standard error of M is the spread of the
/// per-draw means over √R. With the exact estimator the two estimates coincide and are exact.
/// `naive` = 1/(R·P) Σ g¹_rk² shows the estimator's noise floor (it is M plus that noise).
public enum GradientMagnitude {
    public struct Measurement: Sendable, Equatable {
        public var meanSquare: Double
        public var meanSquareError: Double
        public var variance: Double
        public var naive: Double
        public var draws: Int
        public var parameters: Int
    }

    /// Collective over `objective.communicator`; the numbers are valid on root.
    public static func measure(objective: MMDObjective, initialization: Initialization, data: BitMatrix,
                               draws: Int, seed: UInt64, paramNoise: Double = 0, scale: Double? = nil,
                               independentPairs: Bool = true) throws -> Measurement {
        precondition(draws >= 2)
        let circuit = objective.model.circuit
        let p = circuit.parameterCount
        var first: [[Double]] = [], second: [[Double]] = []
        for r in 0..<draws {
            let theta = try initialization.parameters(for: circuit, data: data, seed: seed &+ UInt64(r),
                                                      scale: scale, paramNoise: paramNoise)
            let g1 = objective.evaluate(params: theta, step: UInt64(2 * r), gradient: true).gradient
            let g2 = independentPairs ? objective.evaluate(params: theta, step: UInt64(2 * r + 1), gradient: true).gradient : g1
            first.append(g1)
            second.append(g2)
        }
        guard objective.communicator.isRoot else {
            return Measurement(meanSquare: 0, meanSquareError: 0, variance: 0, naive: 0, draws: draws, parameters: p)
        }
        let perDraw = (0..<draws).map { r in dot(first[r], second[r]) / Double(p) }
        let mean = perDraw.reduce(0, +) / Double(draws)
        let spread = perDraw.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(draws - 1)
        let mean1 = columnMeans(first), mean2 = columnMeans(second)
        var covariance = 0.0
        for r in 0..<draws { covariance += dot(zip(first[r], mean1).map { $0 - $1 }, zip(second[r], mean2).map { $0 - $1 }) }
        let naive = first.map { dot($0, $0) }.reduce(0, +) / Double(draws * p)
        return Measurement(meanSquare: mean, meanSquareError: (spread / Double(draws)).squareRoot(),
                           variance: covariance / Double((draws - 1) * p), naive: naive, draws: draws, parameters: p)
    }

    static func dot(_ a: [Double], _ b: [Double]) -> Double {
        precondition(a.count == b.count)
        return cblas_ddot(blasint(a.count), a, 1, b, 1)
    }

    static func columnMeans(_ rows: [[Double]]) -> [Double] {
        var m = [Double](repeating: 0, count: rows[0].count)
        for row in rows { for i in row.indices { m[i] += row[i] } }
        return m.map { $0 / Double(rows.count) }
    }
}
