import Foundation
import XCTest
@testable import IQPCore

/// `--init-params FILE`: the parameters land on the gates they were trained for, or the file is refused.
final class InitialParametersTests: XCTestCase {
    private var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("iqp-init-\(getpid())-\(name.hashValue)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    private func write(_ text: String, _ name: String = "init.json") throws -> String {
        let path = dir.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    private let circuit = try! Circuit(nQubits: 3, gates: [[[0]], [[1]], [[2]], [[0, 1]], [[1, 2]]])

    func testModelFileWithTheSameGates() throws {
        // Generators compared as sets: IQPopt's [[1, 0]] is the circuit's [[0, 1]].
        let path = try write("""
            {"n_qubits": 3, "model": "bitflip",
             "gates": [[[0]], [[1]], [[2]], [[1, 0]], [[1, 2]]],
             "params": [0.1, 0.2, 0.3, 0.4, 0.5]}
            """)
        XCTAssertEqual(try InitialParametersFile.read(path: path, circuit: circuit), [0.1, 0.2, 0.3, 0.4, 0.5])
    }

    func testBareList() throws {
        XCTAssertEqual(try InitialParametersFile.read(path: try write("[1, 2, 3, 4, 5.5]"), circuit: circuit), [1, 2, 3, 4, 5.5])
        XCTAssertThrowsError(try InitialParametersFile.read(path: try write("[1, 2, 3]"), circuit: circuit)) { error in
            XCTAssertEqual("\(error)", "\(self.dir.path)/init.json:1: has 3 parameters but the circuit has 5 gates")
        }
    }

    func testOtherGatesAreRefusedWithTheirLine() throws {
        let path = try write("""
            {"n_qubits": 3,
             "gates": [[[0]], [[1]], [[2]],
                       [[0, 2]], [[1, 2]]],
             "params": [0.1, 0.2, 0.3, 0.4, 0.5]}
            """)
        XCTAssertThrowsError(try InitialParametersFile.read(path: path, circuit: circuit)) { error in
            let e = error as! IQPError
            XCTAssertEqual(e.line, 3)   // [[0, 2]] is on the third line
            XCTAssertEqual(e.field, "gates[3]")
            XCTAssertTrue(e.message.contains("gate 3 is [[0, 2]] but the circuit's gate 3 is [[0, 1]]"), e.message)
        }
        let fewer = try write(#"{"n_qubits": 3, "gates": [[[0]], [[1]], [[2]]], "params": [0, 0, 0]}"#)
        XCTAssertThrowsError(try InitialParametersFile.read(path: fewer, circuit: circuit))
        let wider = try write(#"{"n_qubits": 4, "gates": [[[0]], [[1]], [[2]], [[0, 1]], [[1, 2]]], "params": [0, 0, 0, 0, 0]}"#)
        XCTAssertThrowsError(try InitialParametersFile.read(path: wider, circuit: circuit)) { error in
            XCTAssertEqual((error as! IQPError).field, "n_qubits")
        }
    }

    /// The job starts from the file's parameters: with 0 steps the written model holds them.
    func testTrainingJobStartsFromTheFile() throws {
        let data = BitMatrix(rows: [[0, 1, 1], [1, 0, 1], [1, 1, 0], [0, 0, 1]], columns: 3)
        try DataFile.writeCSV(data, to: dir.appendingPathComponent("train.csv").path)
        var job = TrainingJob()
        job.dataPath = dir.appendingPathComponent("train.csv").path
        job.gates = .spec("local:2")
        job.outPath = dir.appendingPathComponent("model.json").path
        job.initParamsPath = try write("[0.1, 0.2, 0.3, 0.4, 0.5, 0.6]")
        job.options = TrainingOptions(steps: 0)
        let inputs = try job.prepare(ranks: 1)
        XCTAssertEqual(inputs.initialParams, [0.1, 0.2, 0.3, 0.4, 0.5, 0.6])
        let outcome = try job.run(inputs, communicator: LocalCommunicator())
        XCTAssertEqual(outcome.model.params, [0.1, 0.2, 0.3, 0.4, 0.5, 0.6])
        XCTAssertEqual(try ModelFile.read(path: job.outPath).params, [0.1, 0.2, 0.3, 0.4, 0.5, 0.6])
    }
}
