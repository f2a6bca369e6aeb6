import Foundation
import XCTest
@testable import IQPCore
import IQPTestSupport

/// Ancilla qubits (`--ancillas K`, docs/math.md §12) against a brute-force state vector of all
/// n + K qubits with the ancillas traced out: the job's circuit, data and wires; the exact loss
/// and gradient equal the MMD² of the visible marginal; ⟨Z_a⟩ of visible strings equal the
/// marginal's; the model file keeps `n_ancilla`.
final class AncillaTests: XCTestCase {
    let visible = 3, ancillas = 2

    /// p(x) on the visible qubits: the brute-force distribution of all qubits summed over the ancillas.
    func marginal(_ p: [Double]) -> [Double] {
        var out = [Double](repeating: 0, count: 1 << visible)
        for (x, px) in p.enumerated() { out[x & ((1 << visible) - 1)] += px }
        return out
    }

    func job(dataPath: String) -> TrainingJob {
        var job = TrainingJob()
        job.dataPath = dataPath
        job.ancillas = ancillas
        job.gates = .spec("local:4")
        job.loss = LossSettings(sigmas: [0.7, 1.3], stringsPerSigma: 10, samples: 10, estimator: .exact)
        job.outPath = NSTemporaryDirectory() + "ancilla-model-\(getpid()).json"
        return job
    }

    func writeData(_ rows: [Int]) throws -> String {
        let path = NSTemporaryDirectory() + "ancilla-data-\(getpid()).csv"
        try DataFile.write(TestCircuits.bitMatrix(rows, n: visible), to: path)
        return path
    }

    func testJobPadsTheDataCapsTheGatesAndRestrictsTheWires() throws {
        let rows = [0, 1, 3, 5, 7, 2, 6, 6]
        let job = job(dataPath: try writeData(rows))
        let inputs = try job.prepare(ranks: 1)
        XCTAssertEqual(inputs.circuit.nQubits, visible + ancillas)
        // local:4 is capped at weight 2 (the study's iqp_model_wrapped.py): 5 + 10 gates on 5 qubits.
        XCTAssertEqual(inputs.circuit.parameterCount, 15)
        XCTAssertEqual(inputs.circuit.generators.map(\.count).max(), 2)
        XCTAssertEqual(inputs.loss.wires, [0, 1, 2])
        XCTAssertEqual(inputs.train.columns, 5)
        for (r, x) in rows.enumerated() {
            for q in 0..<5 { XCTAssertEqual(inputs.train[r, q], q < visible && (x >> q) & 1 == 1) }
        }
        // A wire on an ancilla is refused.
        var wrong = self.job(dataPath: job.dataPath!)
        wrong.loss.wires = [0, 3]
        XCTAssertThrowsError(try wrong.prepare(ranks: 1)) { XCTAssertEqual(($0 as? IQPError)?.field, "wires") }
    }

    func testExactLossAndGradientAreThoseOfTheVisibleMarginal() throws {
        let truth = try Reference.randomModel(nQubits: visible, gates: 6, maxWeight: 2, seed: 11)
        let rows = TestCircuits.sampleData(Reference.stateVectorProbabilities(truth), count: 40, seed: 12)
        let job = job(dataPath: try writeData(rows))
        let inputs = try job.prepare(ranks: 1)
        var model = try IQPModel(circuit: inputs.circuit,
                                 params: TestCircuits.randomParams(inputs.circuit.parameterCount, seed: 13))
        model.nAncilla = ancillas
        let objective = try MMDObjective(model: model, train: inputs.train, settings: inputs.loss, seed: 0)
        let evaluation = objective.evaluate(params: model.params, step: 0, gradient: true)

        let full = Reference.stateVectorProbabilities(model)
        let p = marginal(full)
        XCTAssertEqual(p.reduce(0, +), 1, accuracy: 1e-12)
        // The loss of the visible marginal against the data, on 3 qubits with no wires.
        let expected = ExactBruteForce.loss(p, rows: rows, sigmas: inputs.loss.sigmas)
        XCTAssertEqual(evaluation.loss, expected, accuracy: 1e-12)
        XCTAssertGreaterThan(abs(expected), 1e-4)
        // The ancillas matter: the same parameters read as a 5-qubit model with every wire give another loss.
        let allWires = ExactBruteForce.loss(full, rows: rows, sigmas: inputs.loss.sigmas, wires: nil)
        XCTAssertGreaterThan(abs(allWires - expected), 1e-4)
        // Gradient by the parameter-shift rule on the full state, traced out by the wires.
        let gradient = try ExactBruteForce.gradient(model, rows: rows, sigmas: inputs.loss.sigmas, wires: [0, 1, 2])
        XCTAssertEqual(evaluation.gradient.count, gradient.count)
        for (a, b) in zip(evaluation.gradient, gradient) { XCTAssertEqual(a, b, accuracy: 1e-10) }
    }

    func testVisibleExpectationsAreTheMarginals() throws {
        let circuit = try Circuit(nQubits: visible + ancillas, gates: try GateBuilders.local(nQubits: visible + ancillas, maxWeight: 2))
        var model = try IQPModel(circuit: circuit, params: TestCircuits.randomParams(circuit.parameterCount, seed: 21))
        model.nAncilla = ancillas
        let p = marginal(Reference.stateVectorProbabilities(model))
        let kernel = ExactIQPExpectations(circuit: circuit, spinSym: false,
                                          layout: ExactVectorLayout(nQubits: circuit.nQubits, communicator: LocalCommunicator()))
        kernel.forward(thetaPrime: circuit.generatorParameters(model.params))
        var spread = 0.0
        for a in 1..<(1 << visible) {
            let reference = Reference.expectationZ(p, a: a)
            XCTAssertEqual(kernel.values[a], reference, accuracy: 1e-12, "a = \(a)")
            spread = max(spread, abs(reference))
        }
        XCTAssertGreaterThan(spread, 0.05)
    }

    func testModelFileKeepsTheAncillas() throws {
        let circuit = try Circuit(nQubits: 5, gates: [[[0]], [[1, 4]]])
        var model = try IQPModel(circuit: circuit, params: [0.1, 0.2])
        model.nAncilla = 2
        let text = ModelFile.encode(model)
        XCTAssertTrue(text.contains("\"n_ancilla\": 2"), text)
        let back = try ModelFile.decode(text: text)
        XCTAssertEqual(back.nAncilla, 2)
        XCTAssertEqual(back.nVisible, 3)
        XCTAssertThrowsError(try ModelFile.decode(text: #"{"n_qubits": 2, "n_ancilla": 2, "gates": [[[0]]], "params": [0.1]}"#)) {
            XCTAssertEqual(($0 as? IQPError)?.field, "n_ancilla")
        }
        // The exported circuit measures every qubit and names the ancilla bits to drop.
        let qasm = try QASMExport(model: model, source: "model.json").text
        XCTAssertTrue(qasm.contains("n_ancilla 2: q[3]..q[4] are ancillas; every qubit is measured, keep c[0]..c[2]"), qasm)
        // Shots of all qubits lose the ancillas' columns.
        var shots = BitMatrix(rows: 2, columns: 5)
        shots[0, 0] = true; shots[0, 4] = true; shots[1, 2] = true
        let kept = model.visibleShots(shots)
        XCTAssertEqual(kept.columns, 3)
        XCTAssertEqual([kept[0, 0], kept[0, 1], kept[0, 2], kept[1, 2]], [true, false, false, true])
    }
}
