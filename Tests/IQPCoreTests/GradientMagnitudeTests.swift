import Foundation
@testable import IQPCore
import IQPTestSupport
import XCTest

/// `GradientMagnitude` (iqp diagnose gradients) against parameter-shift gradients of the exact
/// distribution: the exact path reproduces the brute-force mean square and variance, and the
/// paired Monte Carlo estimate is unbiased (within its standard error) while one estimate's
/// square carries the estimator's noise on top.
final class GradientMagnitudeTests: XCTestCase {
    func testMeanSquareAndVarianceMatchBruteForce() throws {
        let n = 5, draws = 6, seed: UInt64 = 11
        let (rows, data) = try ExactBruteForce.data(nQubits: n, count: 200, seed: 3)
        let circuit = try Circuit(nQubits: n, gates: try GateBuilders.parse(spec: "local:2", nQubits: n))
        let p = circuit.parameterCount
        let zero = try IQPModel(circuit: circuit, params: [Double](repeating: 0, count: p))

        // Brute force: per draw the exact gradient, then the two averages of GradientMagnitude.
        let gradients = try (0..<draws).map { r -> [Double] in
            let theta = try Initialization.random.parameters(for: circuit, data: data, seed: seed + UInt64(r))
            return try ExactBruteForce.gradient(try IQPModel(circuit: circuit, params: theta), rows: rows, sigmas: [1.0])
        }
        var sumSquares = 0.0, sumDeviations = 0.0
        for k in 0..<p {
            let column: [Double] = gradients.map { $0[k] }
            let mean: Double = column.reduce(0, +) / Double(draws)
            for g in column { sumSquares += g * g; sumDeviations += (g - mean) * (g - mean) }
        }
        let meanSquare = sumSquares / Double(draws * p)
        let variance = sumDeviations / Double((draws - 1) * p)

        let exact = try GradientMagnitude.measure(objective: ExactBruteForce.objective(zero, train: data, sigmas: [1.0]),
                                                  initialization: .random, data: data, draws: draws, seed: seed)
        XCTAssertEqual(exact.meanSquare, meanSquare, accuracy: 1e-10 * max(1, meanSquare))
        XCTAssertEqual(exact.variance, variance, accuracy: 1e-10 * max(1, variance))
        XCTAssertEqual(exact.naive, exact.meanSquare, accuracy: 1e-12)

        let sampled = try GradientMagnitude.measure(
            objective: MMDObjective(model: zero, train: data, settings: LossSettings(sigmas: [1.0], stringsPerSigma: 60, samples: 60),
                                    seed: 5),
            initialization: .random, data: data, draws: draws, seed: seed)
        XCTAssertGreaterThan(sampled.meanSquareError, 0)
        XCTAssertEqual(sampled.meanSquare, meanSquare, accuracy: 4 * sampled.meanSquareError)
        XCTAssertGreaterThan(sampled.naive, sampled.meanSquare)
    }
}
