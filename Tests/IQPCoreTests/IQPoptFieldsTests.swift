import IQPTestSupport
import XCTest
@testable import IQPCore

/// IQPopt's `IqpSimulator` arguments in a model file: `init_gates` with `init_coefs` (a fixed
/// layer of gates whose parameters training keeps) and `"bitflip": true`. Each is checked
/// against a brute-force state vector (or distribution) built by the test from the file's own
/// lists, the init gates applied first as in IQPopt's circuit.
final class IQPoptFieldsTests: XCTestCase {
    /// IQPopt's `local_gates(4, 2)` (itertools.combinations by weight), with params, two init
    /// gates (the second with two generators) and their coefficients.
    static let gates: [[[Int]]] = [[[0]], [[1]], [[2]], [[3]], [[0, 1]], [[0, 2]], [[0, 3]], [[1, 2]], [[1, 3]], [[2, 3]]]
    static let params: [Double] = [0.11, -0.32, 0.45, 0.2, -0.61, 0.37, 0.09, -0.23, 0.52, -0.14]
    static let initGates: [[[Int]]] = [[[0, 1, 2]], [[3], [1, 3]]]
    static let initCoefs: [Double] = [0.83, -0.47]

    static func fileText(extra: String = "") -> String {
        func list(_ x: Any) -> String {
            String(decoding: try! JSONSerialization.data(withJSONObject: x), as: UTF8.self)
        }
        return """
        {"n_qubits": 4, "gates": \(list(gates)), "params": \(list(params)),
         "init_gates": \(list(initGates)), "init_coefs": \(list(initCoefs))\(extra)}
        """
    }

    /// The reference: init gates first (IQPopt applies them before the trainable gates).
    static func reference(kind: ModelKind = .iqp) throws -> IQPModel {
        try IQPModel(circuit: Circuit(nQubits: 4, gates: initGates + gates), params: initCoefs + params, kind: kind)
    }

    func testInitGatesAreAFixedLayerOfTheStateVector() throws {
        let model = try ModelFile.decode(text: Self.fileText(), file: "m.json")
        XCTAssertEqual(model.fixedGateCount, 2)
        XCTAssertEqual(model.trainableGates, 0..<10)
        XCTAssertEqual(Array(model.params[model.fixedGates]), Self.initCoefs)
        let p = Reference.stateVectorProbabilities(model)
        let expected = Reference.stateVectorProbabilities(try Self.reference())
        for x in 0..<16 { XCTAssertEqual(p[x], expected[x], accuracy: 1e-12, "p(\(x))") }
        // The init gates matter: without them the distribution is far from this one.
        let without = Reference.stateVectorProbabilities(
            try IQPModel(circuit: Circuit(nQubits: 4, gates: Self.gates), params: Self.params))
        XCTAssertGreaterThan(zip(without, expected).map { abs($0 - $1) }.max()!, 0.01)

        // The estimator the trainer and `iqp expval` use sees them too: <Z_a> within 4 standard errors.
        var strings = BitMatrix(rows: 15, columns: 4)
        for a in 1..<16 { for i in 0..<4 where a & (1 << i) != 0 { strings[a - 1, i] = true } }
        let estimates = try ExpectationEstimate.estimate(model: model, strings: strings, samples: 4000, seed: 3)
        for a in 1..<16 {
            let exact = Reference.expectationZ(expected, a: a), e = estimates[a - 1]
            XCTAssertEqual(e.mean, exact, accuracy: 4 * e.standardError + 1e-9, "<Z_\(a)>")
        }
    }

    func testBitflipFlagIsTheBitflipModel() throws {
        let model = try ModelFile.decode(text: Self.fileText(extra: #", "bitflip": true"#), file: "m.json")
        XCTAssertEqual(model.kind, .bitflip)
        let p = Reference.bitflipDistribution(try Self.reference(kind: .bitflip))
        var strings = BitMatrix(rows: 15, columns: 4)
        for a in 1..<16 { for i in 0..<4 where a & (1 << i) != 0 { strings[a - 1, i] = true } }
        let exact = try ExpectationEstimate.estimate(model: model, strings: strings, samples: 2, seed: 0)
        for a in 1..<16 { XCTAssertEqual(exact[a - 1].mean, Reference.expectationZ(p, a: a), accuracy: 1e-12) }
        XCTAssertEqual(try ModelFile.decode(text: Self.fileText(extra: #", "bitflip": false"#)).kind, .iqp)
        XCTAssertEqual(try ModelFile.decode(text: Self.fileText(extra: #", "bitflip": true, "model": "bitflip""#)).kind, .bitflip)
    }

    func testWrittenBackInIQPoptsShape() throws {
        let model = try ModelFile.decode(text: Self.fileText(extra: #", "note": "kept""#), file: "m.json")
        let text = ModelFile.encode(model)
        let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
        XCTAssertEqual(object["gates"] as? [[[Int]]], Self.gates)
        XCTAssertEqual(object["params"] as? [Double], Self.params)
        XCTAssertEqual(object["init_gates"] as? [[[Int]]], Self.initGates)
        XCTAssertEqual(object["init_coefs"] as? [Double], Self.initCoefs)
        XCTAssertEqual(object["note"] as? String, "kept")
        XCTAssertEqual(try ModelFile.decode(text: text), model)
        // A model without a fixed layer writes no init members.
        let plain = try IQPModel(circuit: Circuit(nQubits: 4, gates: Self.gates), params: Self.params)
        XCTAssertFalse(ModelFile.encode(plain).contains("init_"))
    }

    func testBadIQPoptFieldsNameTheField() {
        func error(_ text: String) -> String {
            do { _ = try ModelFile.decode(text: text, file: "m.json"); return "no error" } catch { return "\(error)" }
        }
        let base = #"{"n_qubits": 3, "gates": [[[0]], [[1, 2]]], "params": [0.1, 0.2]"#
        XCTAssertEqual(error(base + #", "init_gates": [[[0]]]}"#),
                       "m.json:1: field 'init_gates': needs init_coefs (IQPopt's fixed parameter of each init gate)")
        XCTAssertEqual(error(base + #", "init_coefs": [1]}"#),
                       "m.json:1: field 'init_coefs': needs init_gates (IQPopt's fixed gates, one per coefficient)")
        XCTAssertEqual(error(base + #", "init_gates": [[[0]]], "init_coefs": [1, 2]}"#),
                       "m.json:1: field 'init_coefs': has 2 values but there are 1 init gates")
        XCTAssertEqual(error(base + ",\n" + #""init_gates": [[[0]], [[3]]], "init_coefs": [1, 2]}"#),
                       "m.json:2: field 'init_gates[1][0]': qubit 3 is out of range 0..<3")
        XCTAssertEqual(error(base + #", "bitflip": true, "model": "iqp"}"#),
                       #"m.json:1: field 'bitflip': is true but 'model' is "iqp""#)
        XCTAssertEqual(error(base + #", "bitflip": 1}"#), "m.json:1: field 'bitflip': expected true or false, got an integer")
    }

    /// Training keeps the fixed layer's parameters exactly and moves the others; a checkpoint
    /// keeps the layer apart.
    func testTrainingKeepsTheFixedLayer() throws {
        let model = try ModelFile.decode(text: Self.fileText(), file: "m.json")
        let truth = TestCircuits.model(n: 4, gates: TestCircuits.allSubsets(n: 4, maxWeight: 2), seed: 3, scale: 0.6)
        let data = TestCircuits.bitMatrix(TestCircuits.sampleData(BruteForce.probabilities(truth), count: 200, seed: 4), n: 4)
        let objective = try MMDObjective(model: model, train: data,
                                         settings: LossSettings(sigmas: [1.0], stringsPerSigma: 30, samples: 30), seed: 2)
        let full = objective.evaluate(params: model.params, step: 0)
        XCTAssertGreaterThan(full.gradient[model.fixedGates].map(abs).max()!, 1e-4)   // not trivially zero
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("iqp-fixed-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("ckpt.json").path
        let result = try Trainer(objective: objective, options: TrainingOptions(
            steps: 5, learningRate: 0.05, checkpointPath: path, checkpointEvery: 5))
            .run(initialParams: model.params, dataFingerprint: data.fingerprint)
        XCTAssertEqual(Array(result.params[model.fixedGates]), Self.initCoefs)
        for k in model.trainableGates { XCTAssertNotEqual(result.params[k], model.params[k], "gate \(k)") }
        let checkpoint = try Checkpoint.read(path: path)
        XCTAssertEqual(checkpoint.model.fixedGateCount, 2)
        XCTAssertEqual(checkpoint.params, result.params)
    }
}
