import XCTest
@testable import IQPCore

/// Checkpoints: written atomically, read back exactly, and a resumed run continues exactly as
/// the uninterrupted one (the streams are keyed by step, MATH-independent; docs/random-streams.md).
final class CheckpointTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("iqp-ckpt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: directory) }

    func makeObjective() throws -> (MMDObjective, [Double], BitMatrix) {
        let n = 6
        let truth = TestCircuits.model(n: n, gates: TestCircuits.allSubsets(n: n, maxWeight: 2), seed: 3, scale: 0.5)
        let data = TestCircuits.bitMatrix(TestCircuits.sampleData(BruteForce.probabilities(truth), count: 200, seed: 4), n: n)
        let model = TestCircuits.model(n: n, gates: TestCircuits.mixed(n: n), seed: 5)
        let objective = try MMDObjective(model: model, train: data, validation: data,
                                         settings: LossSettings(sigmas: [0.8, 1.5], stringsPerSigma: 40, samples: 30),
                                         seed: 11)
        return (objective, model.params, data)
    }

    func testResumedRunEqualsUninterruptedRun() throws {
        let (objective, initial, data) = try makeObjective()
        let full = try Trainer(objective: objective, options: TrainingOptions(steps: 12, learningRate: 0.05, validationEvery: 4))
            .run(initialParams: initial, dataFingerprint: data.fingerprint)

        let path = directory.appendingPathComponent("ckpt.json").path
        let log = directory.appendingPathComponent("loss.csv").path
        let first = try Trainer(objective: objective, options: TrainingOptions(
            steps: 7, learningRate: 0.05, validationEvery: 4, checkpointPath: path, checkpointEvery: 7, logPath: log))
            .run(initialParams: initial, dataFingerprint: data.fingerprint)
        XCTAssertEqual(first.stepsCompleted, 7)
        let checkpoint = try Checkpoint.read(path: path)
        XCTAssertEqual(checkpoint.step, 7)
        XCTAssertEqual(checkpoint.params, first.params)
        XCTAssertEqual(checkpoint.adam, first.adam)
        XCTAssertEqual(checkpoint.history, first.history)
        try checkpoint.checkCompatible(model: objective.model, settings: objective.settings, seed: 11,
                                       dataFingerprint: data.fingerprint, file: path)

        let resumed = try Trainer(objective: objective, options: TrainingOptions(
            steps: 12, learningRate: 0.05, validationEvery: 4, logPath: log))
            .run(initialParams: initial, resume: checkpoint, dataFingerprint: data.fingerprint)
        XCTAssertEqual(resumed.params, full.params)
        XCTAssertEqual(resumed.history.map(\.loss), full.history.map(\.loss))
        // Validation every 4 steps and at the last step of each run (so also at step 6 of the first part).
        XCTAssertEqual(resumed.history[7...].map(\.validationLoss), full.history[7...].map(\.validationLoss))
        for (a, b) in zip(resumed.history, full.history) where b.validationLoss != nil {
            XCTAssertEqual(a.validationLoss, b.validationLoss)
        }
        XCTAssertEqual(resumed.adam, full.adam)
        // The log holds every step once: header + 12 lines.
        let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines.count, 13)
        XCTAssertEqual(lines[0], "step,loss,validation_loss,seconds")
        XCTAssertEqual(lines.dropFirst().map { Int($0.split(separator: ",")[0])! }, Array(0..<12))
    }

    func testIncompatibleResumeIsRefused() throws {
        let (objective, initial, data) = try makeObjective()
        let path = directory.appendingPathComponent("ckpt.json").path
        _ = try Trainer(objective: objective, options: TrainingOptions(steps: 2, learningRate: 0.05, checkpointPath: path, checkpointEvery: 1))
            .run(initialParams: initial, dataFingerprint: data.fingerprint)
        let checkpoint = try Checkpoint.read(path: path)
        var other = objective.settings
        other.samples = 31
        XCTAssertThrowsError(try checkpoint.checkCompatible(model: objective.model, settings: other, seed: 11,
                                                            dataFingerprint: data.fingerprint, file: path)) { error in
            XCTAssertTrue("\(error)".contains("samples"), "\(error)")
        }
        XCTAssertThrowsError(try checkpoint.checkCompatible(model: objective.model, settings: objective.settings, seed: 11,
                                                            dataFingerprint: "0000000000000000", file: path)) { error in
            XCTAssertTrue("\(error)".contains("training data"), "\(error)")
        }
        // A damaged checkpoint names the file and line.
        let text = try String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(of: "\"adam_count\"", with: "\"adam_count\": \"x\", \"y\"")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try Checkpoint.read(path: path)) { error in
            XCTAssertTrue("\(error)".hasPrefix(path + ":"), "\(error)")
        }
    }

    /// The checkpoint's `model` member is the model file's object with the checkpoint's
    /// params (metadata and kind included), and it reads back to the same circuit and params.
    func testModelMemberIsTheModelFileObject() throws {
        var model = TestCircuits.model(n: 5, gates: TestCircuits.mixed(n: 5), seed: 8)
        model.spinSym = true
        model.metadata = ["note": .string("kept"), "trained": .object([JSONMember("steps", .number(3))])]
        let params = model.params.map { $0 * 0.5 - 0.1 }
        let checkpoint = Checkpoint(step: 3, seed: 9, model: model, params: params,
                                    adam: Adam.State(m: [Double](repeating: 0.01, count: params.count),
                                                     v: [Double](repeating: 0.001, count: params.count), count: 3),
                                    history: (0..<3).map { TrainingRecord(step: $0, loss: 0.25, validationLoss: nil, seconds: 0.5 * Double($0 + 1)) },
                                    settings: LossSettings(sigmas: [1.0], stringsPerSigma: 10, samples: 10),
                                    learningRate: 0.01, dataFingerprint: "00000000000abcd1")
        let written = try JSONParser.parse(checkpoint.encode()).value["model"]
        var expected = model
        expected.params = params
        XCTAssertEqual(written, try JSONParser.parse(ModelFile.encode(expected)).value)

        let path = directory.appendingPathComponent("ckpt.json").path
        try checkpoint.write(to: path)
        let read = try Checkpoint.read(path: path)
        XCTAssertEqual(read.params, params)
        XCTAssertEqual(read.model.circuit, model.circuit)
        XCTAssertTrue(read.model.spinSym)
    }
}
