import XCTest
@testable import IQPCore
import IQPTestSupport

/// The Monte Carlo objective (dense and fast paths) estimates exactly what the exact path
/// computes (docs/math.md §3, §10): its loss and a projection of its gradient, averaged over
/// independent steps (fixed seeds), agree with the exact values within a few standard errors.
final class ExactVersusMonteCarloTests: XCTestCase {
    func compare(_ model: IQPModel, path: EstimatorPath, sigmas: [Double], wires: [Int]? = nil,
                 sharedSamples: Bool = false, precision: GEMMPrecision = .float64,
                 file: StaticString = #filePath, line: UInt = #line) throws {
        let n = model.nQubits
        let data = try ExactBruteForce.data(nQubits: n, count: 400, seed: 61)
        let exact = try ExactBruteForce.objective(model, train: data.matrix, sigmas: sigmas, wires: wires)
            .evaluate(params: model.params, step: 0)
        let settings = LossSettings(sigmas: sigmas, stringsPerSigma: 100, samples: 100, wires: wires, estimator: path,
                                    sharedSamples: sharedSamples, gemmPrecision: precision)
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

    /// `--shared-samples` (one sample block for every σ) and `--gemm-precision float32` still
    /// estimate the exact loss and gradient: each σ's term stays unbiased.
    func testFastPathWithSharedSamplesAndFloat32EstimatesTheExactLoss() throws {
        let model = TestCircuits.model(n: 8, gates: TestCircuits.allSubsets(n: 8, maxWeight: 2), seed: 66)
        try compare(model, path: .fast, sigmas: [0.7, 1.0, 2.5], sharedSamples: true, precision: .float32)
    }

    /// With shared samples a step draws one block, the one the first σ draws otherwise.
    func testSharedSamplesAreTheFirstBandwidthsBlock() throws {
        let samplers = [1.0, 2.0].map { PauliStringSampler(nQubits: 9, sigma: $0) }
        let separate = StepDraw.draw(samplers: samplers, stringsPerSigma: 5, seed: 3, step: 4, sampleBlock: 0..<7)
        let shared = StepDraw.draw(samplers: samplers, stringsPerSigma: 5, seed: 3, step: 4, sampleBlock: 0..<7, shared: true)
        XCTAssertEqual(separate.samples.count, 2)
        XCTAssertEqual(shared.samples.count, 1)
        XCTAssertEqual(shared.samples[0].words, separate.samples[0].words)
        XCTAssertNotEqual(separate.samples[1].words, separate.samples[0].words)
        XCTAssertEqual(shared.samples(for: 1).words, separate.samples[0].words)
        XCTAssertEqual(shared.strings.map(\.words), separate.strings.map(\.words))
    }

    func testBitflipStringEstimateMatchesTheExactLoss() throws {
        let model = try Reference.randomModel(nQubits: 8, gates: 20, maxWeight: 4, seed: 65, kind: .bitflip)
        try compare(model, path: .auto, sigmas: [1.2])
    }
}
