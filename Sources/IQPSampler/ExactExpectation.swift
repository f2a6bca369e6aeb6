import IQPCore

/// Exact <Z_a> from the state vector (`iqp expval --exact`, n ≤ 20):
///
///     <Z_a> = Σ_x p(x) (−1)^{a·x} = WHT(p)[a],
///
/// the probabilities p from `ExactIQPSimulator` (two FWHTs, docs/math.md §7, spin-symmetric start
/// included) and one more FWHT gives every <Z_a> at once: O(n·2ⁿ) in all. The bitflip model
/// uses its closed form (docs/math.md §9).
public enum ExactExpectation {
    public static let maxQubits = 20

    public static func values(model: IQPModel, strings: BitMatrix) throws -> [Double] {
        guard strings.columns == model.nQubits else {
            throw IQPError("the Pauli strings have \(strings.columns) columns but the model has \(model.nQubits) qubits", field: "ops")
        }
        if model.kind == .bitflip {
            return BitflipExpectation(circuit: model.circuit)
                .expectations(thetaPrime: model.circuit.generatorParameters(model.params), strings: strings, spinSym: model.spinSym)
        }
        guard model.nQubits <= maxQubits else {
            throw IQPError("exact expectation values need at most \(maxQubits) qubits, the model has \(model.nQubits)", field: "n_qubits")
        }
        var p = try ExactIQPSimulator(model: model, precision: .complex128).probabilities()
        let n = model.nQubits
        try p.withUnsafeMutableBufferPointer { try WalshHadamard.transform($0.baseAddress!, totalBits: n, bits: 0..<n) }
        return (0..<strings.rows).map { r in
            var index = 0
            for i in 0..<n where strings[r, i] { index |= 1 << i }
            return p[index]
        }
    }
}
