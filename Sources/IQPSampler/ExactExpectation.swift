import IQPCore

/// Exact <Z_a> of a model for a list of strings (`iqp expval --exact`), from the exact path's
/// kernel (docs/math.md §10): for an IQP circuit every <Z_a> = WHT(|WHT(F)|²)(a)/4ⁿ at once,
/// F = u·e^{if} (spin-symmetric start included), O(n·2ⁿ) in all and 40·2ⁿ bytes, admitted
/// against `memoryBudget`; then one lookup per string. The bitflip model uses its closed form
/// string by string (docs/math.md §9), at any n.
public enum ExactExpectation {
    public static func values(model: IQPModel, strings: BitMatrix,
                              memoryBudget: Int = DenseEstimator.defaultMemoryBudget) throws -> [Double] {
        guard strings.columns == model.nQubits else {
            throw IQPError("the Pauli strings have \(strings.columns) columns but the model has \(model.nQubits) qubits", field: "ops")
        }
        let thetaPrime = model.circuit.generatorParameters(model.params)
        if model.kind == .bitflip {
            return BitflipExpectation(circuit: model.circuit)
                .expectations(thetaPrime: thetaPrime, strings: strings, spinSym: model.spinSym)
        }
        let n = model.nQubits
        try ExactPathCost.admit(nQubits: n, kind: .iqp, dataSets: 0, memoryBudget: memoryBudget)
        let kernel = ExactIQPExpectations(circuit: model.circuit, spinSym: model.spinSym,
                                          layout: ExactVectorLayout(nQubits: n, communicator: LocalCommunicator()))
        kernel.forward(thetaPrime: thetaPrime)
        return (0..<strings.rows).map { r in kernel.values[Int(strings.words[r * strings.wordsPerRow])] }
    }
}
