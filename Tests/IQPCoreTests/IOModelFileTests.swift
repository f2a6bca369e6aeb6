import Foundation
import XCTest
@testable import IQPCore

final class IOModelFileTests: XCTestCase {
    var directory: String = ""

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "iqp-io-model-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// The one-line error decoding `text` gives (fails the test when it decodes).
    func decodeError(_ text: String, line: UInt = #line) -> String? {
        do {
            _ = try ModelFile.decode(text: text, file: "m.json")
            XCTFail("expected an error", line: line)
            return nil
        } catch {
            return (error as? IQPError)?.description
        }
    }

    func sampleModel() throws -> IQPModel {
        // All generators of weight ≤ 2 on 5 qubits plus a two-generator gate; random θ.
        var gates: [[[Int]]] = (0..<5).map { [[$0]] }
        for i in 0..<5 { for j in (i + 1)..<5 { gates.append([[i, j]]) } }
        gates.append([[0, 1, 2], [3]])
        var stream = KeyedStream(key: 7)
        let params = gates.indices.map { _ in stream.nextGaussian() * 0.3 }
        let circuit = try Circuit(nQubits: 5, gates: gates)
        return try IQPModel(circuit: circuit, params: params + [], spinSym: true, kind: .bitflip, metadata: [
            "seed": .number(1234),
            "final_loss": .number(0.0012345678901234567),
            "training": .object([JSONMember("lr", .number(0.001)), JSONMember("steps", .number(1000)),
                                 JSONMember("bandwidths", .array([.number(1), .number(2.5)]))]),
            "note": .string("Ising 4×4 \"T=3\""),
            "none": .null,
        ])
    }

    func testRoundTripThroughFileIsExact() throws {
        let model = try sampleModel()
        let path = directory + "/model.json"
        try ModelFile.write(model, to: path)
        let back = try ModelFile.read(path: path)
        XCTAssertEqual(back, model)
        XCTAssertEqual(back.params.map(\.bitPattern), model.params.map(\.bitPattern))
        // Writing again gives the same bytes (deterministic key order).
        XCTAssertEqual(ModelFile.encode(back), try String(contentsOfFile: path, encoding: .utf8))
        // Only the model file is left in the directory (no temporary files).
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory), ["model.json"])
    }

    func testLayoutOneGatePerLine() throws {
        let text = ModelFile.encode(try sampleModel())
        XCTAssertTrue(text.hasPrefix("{\n  \"n_qubits\": 5,\n  \"model\": \"bitflip\",\n  \"spin_sym\": true,\n"), text)
        XCTAssertTrue(text.contains("\n    [[0, 1]],\n"), text)
        XCTAssertTrue(text.contains("\n    [[0, 1, 2], [3]]\n  ],\n"), text)
        // Metadata sorted by key, between the fixed fields and the arrays.
        let order = ["\"final_loss\"", "\"none\"", "\"note\"", "\"seed\"", "\"training\"", "\"gates\"", "\"params\""]
            .map { text.range(of: $0)!.lowerBound }
        XCTAssertEqual(order, order.sorted())
    }

    func testReadsIQPoptStyleMinimalFile() throws {
        // What `json.dump({"n_qubits": 3, "gates": gates, "params": params.tolist()}, f)` writes.
        let text = #"{"n_qubits": 3, "gates": [[[0]], [[1]], [[2]], [[0, 1], [1, 2]]], "params": [0.1, -0.25, 1e-05, 3.0]}"#
        let model = try ModelFile.decode(text: text, file: "iqpopt.json")
        XCTAssertEqual(model.nQubits, 3)
        XCTAssertEqual(model.circuit.gates, [[[0]], [[1]], [[2]], [[0, 1], [1, 2]]])
        XCTAssertEqual(model.circuit.generatorGate, [0, 1, 2, 3, 3])
        XCTAssertEqual(model.params, [0.1, -0.25, 1e-05, 3.0])
        XCTAssertFalse(model.spinSym)
        XCTAssertEqual(model.kind, .iqp)
        XCTAssertEqual(model.metadata, [:])
    }

    func testMissingAndMistypedFields() {
        XCTAssertEqual(decodeError("{\n\"gates\": [[[0]]],\n \"params\": [0.1]\n}"),
                       "m.json:1: field 'n_qubits': missing required field")
        XCTAssertEqual(decodeError("{\"n_qubits\": 1,\n\"gates\": [[[0]]]}"),
                       "m.json:1: field 'params': missing required field")
        XCTAssertEqual(decodeError("{\n\"n_qubits\": \"4\",\n\"gates\": [[[0]]], \"params\": [0.1]}"),
                       "m.json:2: field 'n_qubits': expected an integer number of qubits, got a string")
        XCTAssertEqual(decodeError("{\"n_qubits\": 4.5, \"gates\": [[[0]]], \"params\": [0.1]}"),
                       "m.json:1: field 'n_qubits': expected an integer number of qubits, got 4.5")
        XCTAssertEqual(decodeError("{\"n_qubits\": 0, \"gates\": [], \"params\": []}"),
                       "m.json:1: field 'n_qubits': must be at least 1, got 0")
        XCTAssertEqual(decodeError("{\"n_qubits\": 2, \"gates\": [[[0]]], \"params\": [0.1],\n \"spin_sym\": 1}"),
                       "m.json:2: field 'spin_sym': expected true or false, got an integer")
        XCTAssertEqual(decodeError("{\"n_qubits\": 2, \"gates\": [[[0]]], \"params\": [0.1],\n\n \"model\": \"qcbm\"}"),
                       "m.json:3: field 'model': unknown model 'qcbm' (expected \"iqp\" or \"bitflip\")")
        XCTAssertEqual(decodeError("{\"n_qubits\": 2, \"gates\": [[[0]]], \"params\": [0.1], \"model\": 1}"),
                       "m.json:1: field 'model': expected a model name (\"iqp\" or \"bitflip\"), got an integer")
        XCTAssertEqual(decodeError("[1, 2]"),
                       "m.json:1: expected a JSON object with n_qubits, gates and params at the top level, got a list")
    }

    func testBadGates() {
        let head = "{\"n_qubits\": 3,\n\"params\": [0.1, 0.2],\n\"gates\": [\n"
        XCTAssertEqual(decodeError(head + "[[0]],\n [[1.5]]]}"),
                       "m.json:5: field 'gates[1][0][0]': expected an integer qubit index, got 1.5")
        XCTAssertEqual(decodeError(head + "[[0]],\n [[\"1\"]]]}"),
                       "m.json:5: field 'gates[1][0][0]': expected an integer qubit index, got a string")
        XCTAssertEqual(decodeError(head + "[[0]],\n [1]]}"),
                       "m.json:5: field 'gates[1][0]': expected a generator: a list of qubit indices, got an integer")
        XCTAssertEqual(decodeError(head + "[[0]],\n 1]}"),
                       "m.json:5: field 'gates[1]': expected a gate: a list of generators (each a list of qubits), got an integer")
        XCTAssertEqual(decodeError("{\"n_qubits\": 3, \"params\": [],\n \"gates\": {}}"),
                       "m.json:2: field 'gates': expected a list of gates (each a list of generators, each a list of qubits), got an object")
        XCTAssertEqual(decodeError(head + "[[0]],\n [[0], [1, 3]]]}"),
                       "m.json:5: field 'gates[1][1]': qubit 3 is out of range 0..<3")
        XCTAssertEqual(decodeError(head + "[[0]],\n [[-1]]]}"),
                       "m.json:5: field 'gates[1][0]': qubit -1 is out of range 0..<3")
        XCTAssertEqual(decodeError(head + "[[0]],\n\n [[2, 1, 2]]]}"),
                       "m.json:6: field 'gates[1][0]': qubit 2 appears twice in one generator")
        XCTAssertEqual(decodeError(head + "[[0]],\n [[]]]}"),
                       "m.json:5: field 'gates[1][0]': generator is empty")
        XCTAssertEqual(decodeError(head + "[[0]],\n []]}"),
                       "m.json:5: field 'gates[1]': gate 1 has no generators")
    }

    func testBadParams() {
        let head = "{\"n_qubits\": 2, \"gates\": [[[0]], [[1]], [[0, 1]]],\n"
        XCTAssertEqual(decodeError(head + "\"params\": [0.1,\n 0.2]}"),
                       "m.json:2: field 'params': has 2 values but the circuit has 3 gates")
        XCTAssertEqual(decodeError(head + "\"params\": [0.1,\n 0.2,\n \"x\"]}"),
                       "m.json:4: field 'params[2]': expected a number, got a string")
        XCTAssertEqual(decodeError(head + "\"params\": [0.1,\n null, 0.3]}"),
                       "m.json:3: field 'params[1]': expected a number, got null")
        XCTAssertEqual(decodeError(head + "\"params\": [0.1, 0.2,\n NaN]}"),
                       "m.json:3: invalid JSON: NaN is not valid JSON (numbers must be finite)")
        XCTAssertEqual(decodeError(head + "\"params\": [0.1, 0.2,\n\n 1e400]}"),
                       "m.json:4: invalid JSON: number 1e400 is out of range")
        XCTAssertEqual(decodeError(head + "\"params\": [0.1, 0.2, 0.3],\n\n\"params\": [0.1, 0.2, 0.3]}"),
                       "m.json:4: invalid JSON: duplicate key 'params'")
        XCTAssertEqual(decodeError(head + "\"params\": 0.5}"),
                       "m.json:2: field 'params': expected a list of numbers (one per gate), got a number")
    }

    func testMetadataIsKept() throws {
        let text = """
        {"n_qubits": 1, "gates": [[[0]]], "params": [0.5], "spin_sym": false,
         "trainer": {"version": "0.1.0", "steps": [1, 2]}, "loss": 0.25}
        """
        let model = try ModelFile.decode(text: text)
        XCTAssertEqual(model.metadata["loss"], .number(0.25))
        XCTAssertEqual(model.metadata["trainer"]?["version"], .string("0.1.0"))
        XCTAssertEqual(Set(model.metadata.keys), ["trainer", "loss"])
        XCTAssertEqual(try ModelFile.decode(text: ModelFile.encode(model)), model)
    }

    func testReadErrorsNameThePath() {
        let missing = directory + "/none.json"
        XCTAssertThrowsError(try ModelFile.read(path: missing)) { error in
            XCTAssertEqual((error as? IQPError)?.description, "\(missing): cannot read file: no such file")
        }
        let bad = directory + "/bad.json"
        _ = FileManager.default.createFile(atPath: bad, contents: Data("{\"n_qubits\": 1,\n\"gates\": [[[0]]],\n\"params\": [0.1,]}".utf8))
        XCTAssertThrowsError(try ModelFile.read(path: bad)) { error in
            XCTAssertEqual((error as? IQPError)?.description, "\(bad):3: invalid JSON: expected a value, found ']'")
        }
    }

    func testWriteIntoMissingDirectoryThrowsAndLeavesNothing() throws {
        let model = try sampleModel()
        let path = directory + "/missing/model.json"
        XCTAssertThrowsError(try ModelFile.write(model, to: path)) { error in
            let text = (error as? IQPError)?.description ?? ""
            XCTAssertTrue(text.hasPrefix(path + ": cannot write file: directory '\(self.directory)/missing' does not exist"), text)
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory), [])
    }

    func testOverwriteReplacesAtomically() throws {
        let path = directory + "/m.json"
        var model = try sampleModel()
        try ModelFile.write(model, to: path)
        model.params[0] = 0.5
        try ModelFile.write(model, to: path)
        XCTAssertEqual(try ModelFile.read(path: path).params[0], 0.5)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory), ["m.json"])
    }
}
