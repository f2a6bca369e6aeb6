import Foundation
import XCTest
@testable import IQPCore
import IQPTestSupport

/// A stop request on one rank (what SIGTERM/SIGUSR1 set) stops every rank after the same step,
/// root's checkpoint continues exactly, and the process-level signal wiring sets the request.
/// The real signal under mpirun is tested end to end in IntegrationTests (MPIStopTests).
final class StopRequestTests: XCTestCase {
    func problem() throws -> (IQPModel, BitMatrix) {
        let n = 6
        var gates: [[[Int]]] = (0..<n).map { [[$0]] }
        for i in 0..<(n - 1) { gates.append([[i, i + 1]]) }
        gates.append([[0, 2, 4], [1, 3]])
        var stream = KeyedStream(key: 7)
        let circuit = try Circuit(nQubits: n, gates: gates)
        let model = try IQPModel(circuit: circuit, params: (0..<circuit.parameterCount).map { _ in stream.nextUniform() - 0.5 })
        var data = BitMatrix(rows: 80, columns: n)
        for r in 0..<80 { for i in 0..<n where stream.nextUniform() < 0.25 + 0.1 * Double(i) { data[r, i] = true } }
        return (model, data)
    }

    let settings = LossSettings(sigmas: [0.9, 2.0], stringsPerSigma: 21, samples: 19)

    /// Rank 1 is asked to stop while root reports step 3; it raises its flag in step 4's
    /// reduction, so all three ranks leave after step 4 (5 steps done) and root writes the
    /// checkpoint of step 5. Resumed on 2 ranks to step 10, the run equals the uninterrupted
    /// one to 1e-12.
    func testStopOnOneRankStopsAllAfterTheSameStepAndResumesExactly() throws {
        let (model, data) = try problem()
        let settings = self.settings
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("iqp-stop-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("stop.json").path

        let full = try Trainer(objective: MMDObjective(model: model, train: data, settings: settings, seed: 4),
                               options: TrainingOptions(steps: 10, learningRate: 0.05))
            .run(initialParams: model.params, dataFingerprint: data.fingerprint)

        let requests = (0..<3).map { _ in StopRequest() }
        let stopped = try ThreadCommunicator.run(ranks: 3) { comm in
            var options = TrainingOptions(steps: 10, learningRate: 0.05)
            options.stop = requests[comm.rank]
            options.stopCheckpointPath = path
            let objective = try MMDObjective(model: model, train: data, settings: settings, seed: 4, communicator: comm,
                                             grid: try ProcessGrid(size: 3, rows: 3, columns: 1))
            return try Trainer(objective: objective, options: options)
                .run(initialParams: model.params, dataFingerprint: data.fingerprint) { record in
                    if record.step == 3 { requests[1].request(signal: SIGTERM) }
                }
        }
        for rank in 0..<3 {
            XCTAssertTrue(stopped[rank].stopRequested, "rank \(rank)")
            XCTAssertEqual(stopped[rank].stepsCompleted, 5, "rank \(rank)")
        }
        XCTAssertNil(requests[0].signalNumber)
        XCTAssertEqual(requests[1].signalNumber, SIGTERM)
        let checkpoint = try Checkpoint.read(path: path)
        XCTAssertEqual(checkpoint.step, 5)
        XCTAssertEqual(checkpoint.params, stopped[0].params)

        let resumed = try ThreadCommunicator.run(ranks: 2) { comm in
            let objective = try MMDObjective(model: model, train: data, settings: settings, seed: 4, communicator: comm)
            return try Trainer(objective: objective, options: TrainingOptions(steps: 10, learningRate: 0.05))
                .run(initialParams: model.params, resume: checkpoint, dataFingerprint: data.fingerprint)
        }
        XCTAssertFalse(resumed[0].stopRequested)
        XCTAssertEqual(resumed[0].history.count, 10)
        for (a, b) in zip(resumed[0].history, full.history) {
            XCTAssertEqual(a.loss, b.loss, accuracy: 1e-12 * max(abs(b.loss), 1e-6), "step \(a.step)")
        }
        for (a, b) in zip(resumed[1].params, full.params) { XCTAssertEqual(a, b, accuracy: 1e-12) }
    }

    /// A watched signal sent to this process sets the request instead of ending the process.
    func testWatchedSignalSetsTheRequest() throws {
        let request = StopRequest()
        request.watch(signals: [SIGUSR1])
        XCTAssertFalse(request.isRequested)
        kill(getpid(), SIGUSR1)
        let deadline = Date().addingTimeInterval(30)
        while !request.isRequested && Date() < deadline { usleep(1000) }
        request.stopWatching()
        XCTAssertEqual(request.signalNumber, SIGUSR1)
        // A later request keeps the first signal.
        request.request(signal: SIGTERM)
        XCTAssertEqual(request.signalNumber, SIGUSR1)
    }
}
