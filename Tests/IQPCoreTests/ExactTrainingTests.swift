import XCTest
@testable import IQPCore
import IQPTestSupport

/// The exact path in a training job (docs/math.md §10): `--estimator auto` resolves to it only when
/// it is cheaper and fits the memory budget, `--estimator exact` is admitted before any work, a
/// job trains and evaluates on it, and the exact test MMD² is the mean of exact chunk losses.
final class ExactTrainingTests: XCTestCase {
    func circuit(n: Int, maxWeight: Int) throws -> Circuit {
        try Circuit(nQubits: n, gates: try GateBuilders.local(nQubits: n, maxWeight: maxWeight))
    }

    func testAutoResolvesToExactOnlyWhenCheaperAndWithinBudget() throws {
        let blobs = try circuit(n: 16, maxWeight: 6)   // the study's blobs-8 model
        let settings = LossSettings(sigmas: [1, 2], stringsPerSigma: 1000, samples: 1000)
        XCTAssertEqual(try ExactPathCost.resolve(settings, circuit: blobs, kind: .iqp, dataSets: 1).estimator, .exact)
        XCTAssertEqual(try ExactPathCost.resolve(settings, circuit: blobs, kind: .bitflip, dataSets: 1).estimator, .exact)
        var small = settings
        small.memoryBudget = 48 << 16 - 1                // one byte short of n = 16's vectors
        XCTAssertEqual(try ExactPathCost.resolve(small, circuit: blobs, kind: .iqp, dataSets: 1).estimator, .auto)
        small.memoryBudget = 48 << 16
        XCTAssertEqual(try ExactPathCost.resolve(small, circuit: blobs, kind: .iqp, dataSets: 1).estimator, .exact)
        XCTAssertEqual(try ExactPathCost.resolve(small, circuit: blobs, kind: .iqp, dataSets: 2).estimator, .auto)
        // 24 qubits with weight-≤2 gates: the fast path is cheaper (about 0.2 s against 1.4 s per step).
        let pairs = try circuit(n: 24, maxWeight: 2)
        var large = settings
        large.memoryBudget = 1 << 34
        XCTAssertEqual(try ExactPathCost.resolve(large, circuit: pairs, kind: .iqp, dataSets: 1).estimator, .auto)
        // Forced: admitted against the budget, with the error naming the option.
        small.estimator = .exact
        XCTAssertThrowsError(try ExactPathCost.resolve(small, circuit: blobs, kind: .iqp, dataSets: 2)) {
            XCTAssertEqual(($0 as? IQPError)?.field, "memoryBudget")
        }
        small.estimator = .dense
        XCTAssertEqual(try ExactPathCost.resolve(small, circuit: blobs, kind: .iqp, dataSets: 1).estimator, .dense)
        var wide = settings
        wide.estimator = .exact
        XCTAssertThrowsError(try ExactPathCost.resolve(wide, circuit: try circuit(n: 40, maxWeight: 1), kind: .iqp, dataSets: 1)) {
            XCTAssertEqual(($0 as? IQPError)?.field, "estimator")
        }
    }

    /// The exact test MMD² is the mean over chunks (row i in chunk i mod batches) of the
    /// brute-force loss of each chunk, with their spread as the standard error.
    func testExactEvaluationIsTheMeanOfExactChunkLosses() throws {
        let model = try Reference.randomModel(nQubits: 7, gates: 14, maxWeight: 7, seed: 81, spinSym: true)
        let data = try ExactBruteForce.data(nQubits: 7, count: 203, seed: 82)
        let estimates = try ModelEvaluation.exactMMDSquared(model: model, data: data.matrix, sigmas: [0.8, 1.9], batches: 5)
        let p = ExactBruteForce.distribution(model)
        for (k, sigma) in [0.8, 1.9].enumerated() {
            let chunks = (0..<5).map { b in
                ExactBruteForce.loss(p, rows: data.rows.enumerated().filter { $0.offset % 5 == b }.map(\.element), sigmas: [sigma])
            }
            let mean = chunks.reduce(0, +) / 5
            let se = (chunks.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 4 / 5).squareRoot()
            XCTAssertEqual(estimates[k].mmdSquared, mean, accuracy: 1e-10)
            XCTAssertEqual(estimates[k].standardError, se, accuracy: 1e-10)
            XCTAssertGreaterThan(se, 0)
        }
    }

    /// A job on the embedded 4×4 Ising set with `--estimator exact`: the loss falls, the model
    /// file says which estimator ran, the test MMD² is exact, and the seed changes nothing
    /// (there are no random strings or samples to draw).
    func testTrainingJobOnTheExactPath() throws {
        func run(seed: UInt64) throws -> TrainingJob.Outcome {
            var job = TrainingJob()
            job.loss = LossSettings(sigmas: [1.0, 2.0], estimator: .exact)
            job.options = TrainingOptions(steps: 8, learningRate: 0.02)
            job.seed = seed
            job.outPath = FileManager.default.temporaryDirectory.appendingPathComponent("iqp-exact-\(getpid())-\(seed).json").path
            defer { try? FileManager.default.removeItem(atPath: job.outPath) }
            let inputs = try job.prepare(ranks: 1)
            XCTAssertEqual(inputs.loss.estimator, .exact)
            let outcome = try job.run(inputs, communicator: LocalCommunicator())
            XCTAssertEqual(outcome.model.metadata["training"]?["estimator"], .string("exact"))
            return outcome
        }
        let a = try run(seed: 1), b = try run(seed: 2)
        let losses = a.result.history.map(\.loss)
        XCTAssertEqual(losses, b.result.history.map(\.loss))
        XCTAssertLessThan(losses.last!, 0.9 * losses.first!)
        XCTAssertEqual(a.testTrained.count, 2)
        XCTAssertLessThan(a.testTrained[0].mmdSquared, a.testInitial[0].mmdSquared)
        XCTAssertLessThan(a.testInitial[0].mmdSquared, a.testUniform[0].mmdSquared)

        var tooSmall = TrainingJob()
        tooSmall.loss = LossSettings(memoryBudget: 1 << 20, estimator: .exact)
        XCTAssertThrowsError(try tooSmall.prepare(ranks: 1)) { XCTAssertEqual(($0 as? IQPError)?.field, "memoryBudget") }
    }
}
