import Foundation
import XCTest
import IQPCore

/// Phases are observed from outside the math: the objective and the optimizer step report to a
/// `PhaseRecorder`, and the trainer's `Result.timings` (the `--timings` file) holds what they
/// reported. The counts of reports per phase are the behaviour; the seconds are not asserted.
final class StepPhasesTests: XCTestCase {
    func problem(kind: ModelKind = .iqp) throws -> (IQPModel, BitMatrix) {
        let n = 5
        var gates: [[[Int]]] = (0..<n).map { [[$0]] }
        for i in 0..<(n - 1) { gates.append([[i, i + 1]]) }
        var stream = KeyedStream(key: 7)
        let circuit = try Circuit(nQubits: n, gates: gates)
        let model = try IQPModel(circuit: circuit, params: (0..<circuit.parameterCount).map { _ in stream.nextUniform() - 0.5 },
                                 kind: kind)
        var data = BitMatrix(rows: 40, columns: n)
        for r in 0..<40 { for i in 0..<n where stream.nextUniform() < 0.4 { data[r, i] = true } }
        return (model, data)
    }

    func reports(_ timer: PhaseTimer) -> [Int] { Phase.allCases.map { timer.reports(of: $0) } }

    /// One Monte Carlo evaluation: the draw, three local computations (data terms, forward,
    /// loss and backward) and three reductions (data terms, per-string sums, the step's sums).
    func testEvaluationReportsEachPhaseOfTheStep() throws {
        let (model, data) = try problem()
        for estimator in [EstimatorPath.dense, .fast] {
            let objective = try MMDObjective(model: model, train: data, settings: LossSettings(
                sigmas: [1, 2], stringsPerSigma: 10, samples: 12, estimator: estimator), seed: 3)
            XCTAssertTrue(objective.evaluate(params: model.params, step: 0).loss.isFinite)
            // sampling, localCompute, reductions, optimizer, broadcast, io
            XCTAssertEqual(reports(objective.phases.timings), [1, 3, 3, 0, 0, 0], "\(estimator)")
        }
        let exact = try MMDObjective(model: model, train: data, settings: LossSettings(
            sigmas: [1], stringsPerSigma: 10, samples: 12, estimator: .exact), seed: 3)
        _ = exact.evaluate(params: model.params, step: 0)
        XCTAssertEqual(reports(exact.phases.timings), [0, 1, 1, 0, 0, 0], "the exact path draws nothing")
        let bitflip = try MMDObjective(model: try problem(kind: .bitflip).0, train: data, settings: LossSettings(
            sigmas: [1], stringsPerSigma: 10, samples: 12, estimator: .dense), seed: 3)
        _ = bitflip.evaluate(params: model.params, step: 0)
        XCTAssertEqual(reports(bitflip.phases.timings), [1, 2, 2, 0, 0, 0], "no per-string sums to complete")
    }

    /// A run of 3 steps with a loss log and a checkpoint every 2 steps: the trainer restarts the
    /// objective's recorder, and the optimizer step and root's i/o report to it too.
    func testTrainerTimingsHoldEveryPhaseOfTheRun() throws {
        let (model, data) = try problem()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("iqp-phases-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let objective = try MMDObjective(model: model, train: data, settings: LossSettings(
            sigmas: [1], stringsPerSigma: 10, samples: 12, estimator: .dense), seed: 3)
        _ = objective.evaluate(params: model.params, step: 99)    // before the run: not in its timings
        for optimizer in [OptimizerKind.root, .sharded] {
            let options = TrainingOptions(steps: 3, learningRate: 0.01,
                                          checkpointPath: directory.appendingPathComponent("c.json").path,
                                          checkpointEvery: 2, logPath: directory.appendingPathComponent("\(optimizer).csv").path,
                                          optimizer: optimizer)
            let result = try Trainer(objective: objective, options: options).run(initialParams: model.params)
            // 3 steps of [1, 3, 2 + the optimizer's reduction]; Adam 3 times; θ sent before the
            // first step and after each; 3 log lines and checkpoints after steps 2 and 3.
            XCTAssertEqual(reports(result.timings), [3, 9, 9, 3, 4, 5], "\(optimizer)")
            XCTAssertGreaterThanOrEqual(result.timings.total, result.timings[.localCompute])
        }
    }
}
