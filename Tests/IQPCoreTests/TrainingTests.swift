import XCTest
@testable import IQPCore

/// Initialisation, Adam, the convergence rule, and training end to end on the embedded data.
final class TrainingTests: XCTestCase {
    /// Data-dependent init: the single-qubit gates reproduce the data's marginals exactly
    /// (P(x_i = 1) = sin²θ, docs/math.md §1, §6), checked with the brute-force state vector.
    func testDataInitialisationReproducesMarginals() throws {
        let n = 6
        let truth = TestCircuits.model(n: n, gates: TestCircuits.allSubsets(n: n, maxWeight: 2), seed: 41, scale: 0.6)
        let rows = TestCircuits.sampleData(BruteForce.probabilities(truth), count: 2000, seed: 5)
        let data = TestCircuits.bitMatrix(rows, n: n)
        let circuit = try Circuit(nQubits: n, gates: (0..<n).map { [[$0]] })
        let params = try Initialization.data.parameters(for: circuit, data: data, seed: 1)
        let p = BruteForce.probabilities(try IQPModel(circuit: circuit, params: params))
        let means = data.columnMeans()
        XCTAssertTrue(means.contains { $0 > 0.05 && $0 < 0.95 })
        for i in 0..<n {
            XCTAssertEqual(BruteForce.expectation(p, string: 1 << i), 1 - 2 * means[i], accuracy: 1e-12)
        }
        // Pair gates follow the spin covariance with the documented scale.
        let pairs = try Circuit(nQubits: n, gates: TestCircuits.allSubsets(n: n, maxWeight: 2))
        let theta = try Initialization.data.parameters(for: pairs, data: data, seed: 1)
        let cov = Initialization.spinCovariance(data)
        var sumSq = 0.0
        for i in 0..<n { for k in 0..<n where i != k { sumSq += cov[i * n + k] * cov[i * n + k] } }
        // Independent covariance of columns 0 and 1 (ddof = 1).
        let s0 = (0..<data.rows).map { data[$0, 0] ? -1.0 : 1.0 }, s1 = (0..<data.rows).map { data[$0, 1] ? -1.0 : 1.0 }
        let m0 = s0.reduce(0, +) / Double(data.rows), m1 = s1.reduce(0, +) / Double(data.rows)
        let c01 = zip(s0, s1).map { ($0 - m0) * ($1 - m1) }.reduce(0, +) / Double(data.rows - 1)
        XCTAssertEqual(cov[1], c01, accuracy: 1e-12)
        let index01 = pairs.gates.firstIndex { $0 == [[0, 1]] }!
        XCTAssertEqual(theta[index01], c01 * (2 * Double(n) / sumSq).squareRoot(), accuracy: 1e-12)
    }

    /// Adam reproduces optax's first steps on f(θ) = Σ θ² by hand.
    func testAdamMatchesOptaxFormula() {
        var params = [1.0, -2.0]
        var state = Adam.State(parameterCount: 2)
        let adam = Adam(learningRate: 0.1)
        adam.update(&params, gradient: [2.0, -4.0], state: &state)
        // Step 1: m̂ = g, v̂ = g², update = lr·g/(|g| + ε).
        XCTAssertEqual(params[0], 1 - 0.1 * 2 / (2 + 1e-8), accuracy: 1e-15)
        XCTAssertEqual(params[1], -2 + 0.1 * 4 / (4 + 1e-8), accuracy: 1e-15)
        let g2 = [2 * params[0], 2 * params[1]]
        let m = (0.9 * 0.1 * 2.0 + 0.1 * g2[0]) / (1 - 0.81), v = (0.999 * 0.001 * 4.0 + 0.001 * g2[0] * g2[0]) / (1 - 0.999 * 0.999)
        let expected = params[0] - 0.1 * m / (v.squareRoot() + 1e-8)
        adam.update(&params, gradient: g2, state: &state)
        XCTAssertEqual(params[0], expected, accuracy: 1e-14)
        XCTAssertEqual(state.count, 2)
    }

    /// The embedded data set's defaults belong to the job: the spin-symmetric start without
    /// data and gates (IQP model only); a data file without a test file has no test set.
    func testEmbeddedDataPolicy() throws {
        var job = TrainingJob()
        XCTAssertTrue(job.startsSpinSymmetric)
        job.kind = .bitflip
        XCTAssertFalse(job.startsSpinSymmetric)
        job.kind = .iqp
        job.gates = .spec("local:2")
        XCTAssertTrue(job.startsSpinSymmetric, "the default gates spelled out change nothing")
        job.spinSym = false
        XCTAssertFalse(job.startsSpinSymmetric)
        job.spinSym = true
        XCTAssertTrue(job.startsSpinSymmetric)

        let path = FileManager.default.temporaryDirectory.appendingPathComponent("iqp-policy-\(getpid()).csv").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "0,1,1\n1,0,1\n1,1,0\n".write(toFile: path, atomically: true, encoding: .utf8)
        var fileJob = TrainingJob()
        fileJob.dataPath = path
        fileJob.outPath = FileManager.default.temporaryDirectory.appendingPathComponent("iqp-policy.json").path
        XCTAssertFalse(fileJob.startsSpinSymmetric)
        let inputs = try fileJob.prepare(ranks: 1)
        XCTAssertNil(inputs.test)
        XCTAssertFalse(inputs.embedded)
        XCTAssertEqual(inputs.train.rows, 3)
    }

    /// Training on the embedded 4×4 Ising data lowers the test MMD² well below the initial
    /// model's and the uniform distribution's, measured with independent evaluation strings.
    func testTrainingOnEmbeddedDataLowersTestMMD() throws {
        let data = EmbeddedDataset.isingLattice4x4(seed: 0)
        var job = TrainingJob()
        job.gates = .spec("local:2")
        job.spinSym = true
        job.initialization = .data
        job.loss = LossSettings(sigmas: [1.0], stringsPerSigma: 200, samples: 200)
        job.options = TrainingOptions(steps: 150, learningRate: 0.03)
        job.outPath = FileManager.default.temporaryDirectory.appendingPathComponent("iqp-train-test-\(getpid()).json").path
        job.evalOps = 2000
        job.evalSamples = 500
        defer { try? FileManager.default.removeItem(atPath: job.outPath) }
        let train = try job.prepare(ranks: 1)
        XCTAssertEqual(train.train, data.train)
        let outcome = try job.run(train, communicator: LocalCommunicator())
        let trained = outcome.testTrained[0], initial = outcome.testInitial[0], uniform = outcome.testUniform[0]
        print("test MMD²: trained \(trained.mmdSquared) ± \(trained.standardError), initial \(initial.mmdSquared) ± \(initial.standardError), uniform \(uniform.mmdSquared) ± \(uniform.standardError)")
        XCTAssertLessThan(trained.mmdSquared + 3 * trained.standardError, 0.5 * initial.mmdSquared)
        XCTAssertLessThan(trained.mmdSquared + 3 * trained.standardError, 0.5 * uniform.mmdSquared)
        let written = try ModelFile.read(path: job.outPath)
        XCTAssertEqual(written.params, outcome.model.params)
    }
}

/// Byte counts of `--memory-budget` and `iqp serve --max-memory`.
final class ByteCountTests: XCTestCase {
    func testUnitsAndErrors() throws {
        XCTAssertEqual(try ByteCount.parse("4096", field: "f"), 4096)
        XCTAssertEqual(try ByteCount.parse("4096B", field: "f"), 4096)
        XCTAssertEqual(try ByteCount.parse("512M", field: "f"), 512 << 20)
        XCTAssertEqual(try ByteCount.parse("1.5GiB", field: "f"), 3 << 29)
        XCTAssertEqual(try ByteCount.parse("2gb", field: "f"), 2 << 30)
        XCTAssertEqual(try ByteCount.parse("1T", field: "f"), 1 << 40)
        for bad in ["", "lots", "-1G", "0", "1e300G", "G"] {
            XCTAssertThrowsError(try ByteCount.parse(bad, field: "memory-budget"), bad) { error in
                XCTAssertTrue("\(error)".hasPrefix("field 'memory-budget': "), "\(error)")
            }
        }
    }
}
