import XCTest
@testable import IQPCore
import IQPTestSupport

/// The Monte Carlo objective (dense and fast paths) estimates exactly what the exact path
/// computes (docs/math.md §3, §10): its loss and a projection of its gradient, averaged over
/// independent steps (fixed seeds), agree with the exact values within a few standard errors.
final class ExactVersusMonteCarloTests: XCTestCase {
    func compare(_ model: IQPModel, path: EstimatorPath, sigmas: [Double], wires: [Int]? = nil,
                 file: StaticString = #filePath, line: UInt = #line) throws {
        let n = model.nQubits
        let data = try ExactBruteForce.data(nQubits: n, count: 400, seed: 61)
        let exact = try ExactBruteForce.objective(model, train: data.matrix, sigmas: sigmas, wires: wires)
            .evaluate(params: model.params, step: 0)
        let settings = LossSettings(sigmas: sigmas, stringsPerSigma: 100, samples: 100, wires: wires, estimator: path)
        let monteCarlo = try MMDObjective(model: model, train: data.matrix, settings: settings, seed: 2025)
        var stream = KeyedStream(key: 62)
        let direction = model.params.map { _ in stream.nextUniform() - 0.5 }
        let steps = 60
        var losses: [Double] = [], projections: [Double] = []
        for step in 0..<steps {
            let e = monteCarlo.evaluate(params: model.params, step: UInt64(step))
            if model.kind == .iqp { XCTAssertEqual(e.paths.first, path, file: file, line: line) }
            losses.append(e.loss)
            projections.append(zip(e.gradient, direction).reduce(0) { $0 + $1.0 * $1.1 })
        }
        let exactProjection = zip(exact.gradient, direction).reduce(0) { $0 + $1.0 * $1.1 }
        for (values, truth, what) in [(losses, exact.loss, "loss"), (projections, exactProjection, "gradient·d")] {
            let mean = values.reduce(0, +) / Double(steps)
            let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(steps - 1)
            let se = (variance / Double(steps)).squareRoot()
            XCTAssertGreaterThan(se, 0, file: file, line: line)
            XCTAssertLessThan(abs(mean - truth), 4 * se, "\(path) \(what): \(mean) ± \(se), exact \(truth)",
                              file: file, line: line)
        }
    }

    func testDensePathEstimatesTheExactLoss() throws {
        let model = try Reference.randomModel(nQubits: 8, gates: 20, maxWeight: 5, seed: 63, spinSym: true)
        try compare(model, path: .dense, sigmas: [0.8, 1.7])
    }

    func testFastPathEstimatesTheExactLoss() throws {
        let model = TestCircuits.model(n: 8, gates: TestCircuits.allSubsets(n: 8, maxWeight: 2), seed: 64)
        try compare(model, path: .fast, sigmas: [1.0, 2.5], wires: [0, 1, 2, 4, 6, 7])
    }

    func testBitflipStringEstimateMatchesTheExactLoss() throws {
        let model = try Reference.randomModel(nQubits: 8, gates: 20, maxWeight: 4, seed: 65, kind: .bitflip)
        try compare(model, path: .auto, sigmas: [1.2])
    }
}
