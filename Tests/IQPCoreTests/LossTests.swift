import XCTest
@testable import IQPCore
import IQPTestSupport

/// The MMD² loss (docs/math.md §3) and its exact gradient (docs/math.md §4).
final class LossTests: XCTestCase {
    /// MMD² (V-statistic, kernel form) = E_a[(<Z_a>_p − <Z_a>_q)²] with a ~ Bernoulli(p(σ))ⁿ,
    /// checked exactly by enumerating all 2⁶ strings.
    func testMMDEqualsExpectationOverPauliStrings() {
        let n = 6
        let model = TestCircuits.model(n: n, gates: TestCircuits.mixed(n: n), seed: 7)
        let p = BruteForce.probabilities(model)
        let other = TestCircuits.model(n: n, gates: TestCircuits.allSubsets(n: n, maxWeight: 2), seed: 8)
        let q = BruteForce.probabilities(other)
        for sigma in [0.5, 1.0, 2.3] {
            let prob = PauliStringSampler.probability(sigma: sigma)
            var viaStrings = 0.0
            for a in 0..<(1 << n) {
                let w = a.nonzeroBitCount
                let pa = pow(prob, Double(w)) * pow(1 - prob, Double(n - w))
                let d = BruteForce.expectation(p, string: a) - BruteForce.expectation(q, string: a)
                viaStrings += pa * d * d
            }
            let viaKernel = BruteForce.mmdSquared(p, q, sigma: sigma)
            XCTAssertEqual(viaStrings, viaKernel, accuracy: 1e-13)
            XCTAssertGreaterThan(viaKernel, 1e-4)
        }
    }

    /// The loss estimator averaged over many independent steps matches the exact MMD² with the
    /// data–data U-statistic, within a few standard errors.
    func lossMatchesExact(_ model: IQPModel, sigmas: [Double], file: StaticString = #filePath, line: UInt = #line) throws {
        let n = model.nQubits
        let truth = TestCircuits.model(n: n, gates: TestCircuits.allSubsets(n: n, maxWeight: 2), seed: 99, scale: 0.5)
        let pTruth = BruteForce.probabilities(truth)
        let rows = TestCircuits.sampleData(pTruth, count: 300, seed: 17)
        let data = TestCircuits.bitMatrix(rows, n: n)
        let pModel = model.kind == .bitflip ? BruteForce.bitflipProbabilities(model) : BruteForce.probabilities(model)
        let exact = sigmas.map { BruteForce.mmdSquaredUnbiasedData(model: pModel, data: rows, sigma: $0) }
            .reduce(0, +) / Double(sigmas.count)
        let objective = try MMDObjective(model: model, train: data,
                                         settings: LossSettings(sigmas: sigmas, stringsPerSigma: 200, samples: 200),
                                         seed: 2024)
        let values = (0..<40).map {
            objective.evaluate(params: model.params, step: UInt64($0), gradient: false).loss
        }
        let mean = values.reduce(0, +) / Double(values.count)
        let sd = (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count - 1)).squareRoot()
        let se = sd / Double(values.count).squareRoot()
        XCTAssertLessThan(abs(mean - exact), 4 * se + 1e-12, "estimate \(mean) ± \(se), exact \(exact)",
                          file: file, line: line)
        XCTAssertGreaterThan(se, 0, file: file, line: line)
    }

    /// The V-statistic MMD² between the model and the data (the data as an empirical
    /// distribution): exactly E_a[(<Z_a> − t_a)²] over all strings, exactly the U-statistic form
    /// plus (1 − dd_U)/N, and estimated without bias by the loss plus mean_a (1 − t_a²)/(N − 1)
    /// with the same strings — checked within a few standard errors.
    func testVStatisticFormMatchesEstimator() throws {
        let n = 6, sigma = 1.1
        let model = TestCircuits.model(n: n, gates: TestCircuits.mixed(n: n), seed: 51)
        let truth = TestCircuits.model(n: n, gates: TestCircuits.allSubsets(n: n, maxWeight: 2), seed: 52, scale: 0.5)
        let rows = TestCircuits.sampleData(BruteForce.probabilities(truth), count: 60, seed: 53)
        let data = TestCircuits.bitMatrix(rows, n: n)
        let p = BruteForce.probabilities(model)
        var q = [Double](repeating: 0, count: 1 << n)
        for x in rows { q[x] += 1 / Double(rows.count) }
        let vKernel = BruteForce.mmdSquared(p, q, sigma: sigma)
        let prob = PauliStringSampler.probability(sigma: sigma)
        var vStrings = 0.0
        for a in 0..<(1 << n) {
            let w = a.nonzeroBitCount
            let d = BruteForce.expectation(p, string: a) - BruteForce.expectation(q, string: a)
            vStrings += pow(prob, Double(w)) * pow(1 - prob, Double(n - w)) * d * d
        }
        XCTAssertEqual(vStrings, vKernel, accuracy: 1e-13)
        let u = BruteForce.mmdSquaredUnbiasedData(model: p, data: rows, sigma: sigma)
        // dd_U from the data alone: U-statistic of the kernel over distinct pairs.
        var pairs = 0.0
        for i in 0..<rows.count { for j in 0..<rows.count where i != j {
            pairs += BruteForce.kernel(rows[i], rows[j], sigma: sigma)
        } }
        let dataU = pairs / Double(rows.count * (rows.count - 1))
        XCTAssertEqual(vKernel, u + (1 - dataU) / Double(rows.count), accuracy: 1e-13)

        let b = 300, steps = 40
        let objective = try MMDObjective(model: model, train: data,
                                         settings: LossSettings(sigmas: [sigma], stringsPerSigma: b, samples: 300), seed: 54)
        let sampler = PauliStringSampler(nQubits: n, sigma: sigma)
        let values: [Double] = (0..<steps).map { t in
            let loss = objective.evaluate(params: model.params, step: UInt64(t), gradient: false).loss
            let strings = sampler.strings(seed: 54, step: UInt64(t), sigmaIndex: 0, range: 0..<b)
            let tA = Reference.paritySums(strings: strings, data: data).map { $0 / Double(rows.count) }
            return loss + tA.map { (1 - $0 * $0) / Double(rows.count - 1) }.reduce(0, +) / Double(b)
        }
        let mean = values.reduce(0, +) / Double(steps)
        let se = (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(steps - 1) / Double(steps)).squareRoot()
        XCTAssertLessThan(abs(mean - vKernel), 4 * se + 1e-12, "V estimate \(mean) ± \(se), exact \(vKernel)")
        XCTAssertGreaterThan(abs(vKernel - u), 2 * se, "the two forms should be distinguishable here")
    }

    func testLossMatchesExactMMD() throws {
        try lossMatchesExact(TestCircuits.model(n: 6, gates: TestCircuits.mixed(n: 6), seed: 21), sigmas: [0.7, 1.6])
    }

    func testSpinSymmetricLossMatchesExactMMD() throws {
        try lossMatchesExact(TestCircuits.model(n: 6, gates: TestCircuits.allSubsets(n: 6, maxWeight: 3), seed: 22,
                                                spinSym: true, scale: 0.5), sigmas: [1.0])
    }

    func testBitflipLossMatchesExactMMD() throws {
        try lossMatchesExact(TestCircuits.model(n: 6, gates: TestCircuits.mixed(n: 6), seed: 23, kind: .bitflip),
                             sigmas: [0.8, 2.0])
    }

    /// Gradient vs central finite differences with the random strings and samples fixed.
    func checkGradient(_ model: IQPModel, wires: [Int]? = nil, file: StaticString = #filePath, line: UInt = #line) throws {
        let n = model.nQubits
        let rows = TestCircuits.sampleData([Double](repeating: 1.0 / Double(1 << n), count: 1 << n), count: 40, seed: 3)
        let objective = try MMDObjective(model: model, train: TestCircuits.bitMatrix(rows, n: n),
                                         settings: LossSettings(sigmas: [0.9, 1.7], stringsPerSigma: 30, samples: 25, wires: wires),
                                         seed: 77)
        let step: UInt64 = 5
        let g = objective.evaluate(params: model.params, step: step).gradient
        let h = 1e-5
        var fd = [Double](repeating: 0, count: g.count)
        for k in 0..<g.count {
            var plus = model.params, minus = model.params
            plus[k] += h; minus[k] -= h
            fd[k] = (objective.evaluate(params: plus, step: step, gradient: false).loss
                     - objective.evaluate(params: minus, step: step, gradient: false).loss) / (2 * h)
        }
        let scale = g.map { abs($0) }.max()!
        XCTAssertGreaterThan(scale, 1e-4, file: file, line: line)
        for k in 0..<g.count {
            XCTAssertEqual(g[k], fd[k], accuracy: 1e-7 * scale, "parameter \(k)", file: file, line: line)
        }
    }

    func testGradientMatchesFiniteDifferences() throws {
        try checkGradient(TestCircuits.model(n: 7, gates: TestCircuits.mixed(n: 7), seed: 31))
    }

    func testSpinSymmetricGradientMatchesFiniteDifferences() throws {
        try checkGradient(TestCircuits.model(n: 6, gates: TestCircuits.allSubsets(n: 6, maxWeight: 3), seed: 32, spinSym: true))
    }

    func testBitflipGradientMatchesFiniteDifferences() throws {
        try checkGradient(TestCircuits.model(n: 6, gates: TestCircuits.mixed(n: 6), seed: 33, kind: .bitflip))
    }

    func testSpinSymmetricBitflipGradientMatchesFiniteDifferences() throws {
        try checkGradient(TestCircuits.model(n: 6, gates: TestCircuits.mixed(n: 6), seed: 35, spinSym: true, kind: .bitflip))
    }

    func testGradientWithWiresMatchesFiniteDifferences() throws {
        try checkGradient(TestCircuits.model(n: 7, gates: TestCircuits.mixed(n: 7), seed: 34), wires: [0, 2, 3, 6])
    }

    /// Strings restricted to wires never touch other qubits, and their weight follows p(σ).
    func testPauliStringsFollowBernoulliOnWires() {
        let wires = [1, 4, 5, 9, 60, 70]
        let sampler = PauliStringSampler(nQubits: 80, sigma: 0.9, wires: wires)
        let m = sampler.strings(seed: 1, step: 2, sigmaIndex: 0, range: 0..<20000)
        var ones = 0
        for r in 0..<m.rows {
            for q in 0..<80 where m[r, q] { XCTAssertTrue(wires.contains(q)); ones += 1 }
        }
        let expected = Double(m.rows) * sampler.expectedWeight
        let sd = (expected * (1 - sampler.probability)).squareRoot()
        XCTAssertEqual(Double(ones), expected, accuracy: 4 * sd)
        // Index-keyed: a sub-range equals the same rows of the full draw.
        let part = sampler.strings(seed: 1, step: 2, sigmaIndex: 0, range: 100..<130)
        XCTAssertEqual(part, m.rows(100..<130))
    }
}
