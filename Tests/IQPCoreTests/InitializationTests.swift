import XCTest
@testable import IQPCore
import IQPTestSupport

/// `--init data|random|zero` (docs/math.md §6), beyond the default data rule that
/// `TrainingTests.testDataInitialisationReproducesMarginals` checks.
final class InitializationTests: XCTestCase {
    func data(n: Int, rows: Int, seed: UInt64) -> BitMatrix {
        let truth = TestCircuits.model(n: n, gates: TestCircuits.allSubsets(n: n, maxWeight: 2), seed: seed, scale: 0.6)
        return TestCircuits.bitMatrix(TestCircuits.sampleData(BruteForce.probabilities(truth), count: rows, seed: seed + 1), n: n)
    }

    /// `--init-scale c`: a single pair generator {i,k} gets C_ik·π·c/max|C|; every gate that is
    /// not a single generator of weight 1 or 2 gets N(0, noise²), a single weight-1 generator
    /// still arcsin √μ_i.
    func testUserScaleAndParameterNoise() throws {
        let n = 10
        let x = data(n: n, rows: 400, seed: 101)
        var gates = try GateBuilders.local(nQubits: n, maxWeight: 3)       // 10 + 45 + 120 gates
        for i in 0..<n { gates.append([[i], [(i + 1) % n]]) }             // two weight-1 generators
        for i in 0..<(n - 1) { gates.append([[i, i + 1], [(i + 3) % n]]) } // a pair and a single
        let circuit = try Circuit(nQubits: n, gates: gates)
        let noise = 0.2, scale = 0.7
        let theta = try Initialization.data.parameters(for: circuit, data: x, seed: 5, scale: scale, paramNoise: noise)
        let cov = Initialization.spinCovariance(x)
        let maxAbs = cov.map(abs).max()!
        let means = x.columnMeans()
        var others: [Double] = []
        for (k, gate) in gates.enumerated() {
            if gate.count == 1 && gate[0].count == 1 {
                XCTAssertEqual(theta[k], asin(means[gate[0][0]].squareRoot()), accuracy: 1e-15)
            } else if gate.count == 1 && gate[0].count == 2 {
                XCTAssertEqual(theta[k], cov[gate[0][0] * n + gate[0][1]] * Double.pi * scale / maxAbs, accuracy: 1e-14)
            } else {
                others.append(theta[k])
            }
        }
        let pairMax = gates.indices.filter { gates[$0].count == 1 && gates[$0][0].count == 2 }.map { abs(theta[$0]) }.max()!
        XCTAssertEqual(pairMax, Double.pi * scale, accuracy: 1e-14)
        // 139 draws of N(0, 0.2²): mean within 4 standard errors, standard deviation within 25%.
        XCTAssertEqual(others.count, 120 + n + (n - 1))
        let mean = others.reduce(0, +) / Double(others.count)
        let sd = (others.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(others.count - 1)).squareRoot()
        XCTAssertEqual(mean, 0, accuracy: 4 * noise / Double(others.count).squareRoot())
        XCTAssertEqual(sd, noise, accuracy: 0.25 * noise)
        // Without noise those gates start at 0.
        let quiet = try Initialization.data.parameters(for: circuit, data: x, seed: 5)
        for (k, gate) in gates.enumerated() where gate.count > 1 || gate[0].count > 2 { XCTAssertEqual(quiet[k], 0) }
    }

    /// Uniform in [0, 2π), keyed by (seed, gate): the same seed gives the same values, another
    /// seed other ones; the mean and the fraction below π/2 match the uniform law.
    func testRandomInitialisationIsUniformAndKeyed() throws {
        let circuit = try Circuit(nQubits: 63, gates: try GateBuilders.local(nQubits: 63, maxWeight: 2))  // 2016 gates
        let theta = try Initialization.random.parameters(for: circuit, data: nil, seed: 12)
        XCTAssertEqual(theta, try Initialization.random.parameters(for: circuit, data: nil, seed: 12))
        XCTAssertNotEqual(theta, try Initialization.random.parameters(for: circuit, data: nil, seed: 13))
        XCTAssertTrue(theta.allSatisfy { $0 >= 0 && $0 < 2 * Double.pi })
        let count = Double(theta.count)
        let mean = theta.reduce(0, +) / count
        XCTAssertEqual(mean, Double.pi, accuracy: 4 * (2 * Double.pi / 12.0.squareRoot()) / count.squareRoot())
        let quarter = Double(theta.filter { $0 < Double.pi / 2 }.count) / count
        XCTAssertEqual(quarter, 0.25, accuracy: 4 * (0.25 * 0.75 / count).squareRoot())
    }

    /// θ = 0 is a stationary point: every <Z_a> is even in θ', so the gradient is exactly zero
    /// (plain start, spin-symmetric start, bitflip model) — and not zero nearby.
    func testZeroIsAStationaryPoint() throws {
        let n = 6
        let x = data(n: n, rows: 80, seed: 111)
        for (spinSym, kind) in [(false, .iqp), (true, .iqp), (false, .bitflip), (true, .bitflip)] as [(Bool, ModelKind)] {
            let circuit = try Circuit(nQubits: n, gates: TestCircuits.mixed(n: n))
            let zero = try Initialization.zero.parameters(for: circuit, data: nil, seed: 1)
            XCTAssertEqual(zero, [Double](repeating: 0, count: circuit.parameterCount))
            let model = try IQPModel(circuit: circuit, params: zero, spinSym: spinSym, kind: kind)
            let objective = try MMDObjective(model: model, train: x,
                                             settings: LossSettings(sigmas: [0.8, 1.5], stringsPerSigma: 40, samples: 30),
                                             seed: 3)
            let atZero = objective.evaluate(params: zero, step: 0)
            XCTAssertEqual(atZero.gradient, [Double](repeating: 0, count: zero.count), "spinSym \(spinSym), \(kind)")
            XCTAssertGreaterThan(atZero.loss, 1e-3, "the data are far from the start")
            let near = objective.evaluate(params: zero.map { _ in 0.05 }, step: 0)
            XCTAssertGreaterThan(near.gradient.map(abs).max()!, 1e-3, "spinSym \(spinSym), \(kind)")
        }
    }
}
