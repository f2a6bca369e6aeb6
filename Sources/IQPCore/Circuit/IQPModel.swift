/// Which model the parameters describe.
public enum ModelKind: String, Sendable, Codable, CaseIterable {
    /// The IQP circuit (docs/math.md §1–§2).
    case iqp
    /// The classical baseline with the same parameters (docs/math.md §9): each generator flips
    /// its bits with probability sin²θ'_j.
    case bitflip
}

/// A trained or trainable model: circuit, gate parameters θ, and options.
/// This is what the model file (JSON, see docs/file-formats.md) holds:
/// `{"n_qubits": n, "gates": [[[…]]], "params": [...], "spin_sym": false, "model": "iqp"}`.
public struct IQPModel: Equatable, Sendable {
    public var circuit: Circuit
    public var params: [Double]
    /// Start from (|0…0> + |1…1>)/√2 (docs/math.md §8).
    public var spinSym: Bool
    public var kind: ModelKind
    /// IQPopt's `init_gates`: the last `fixedGateCount` gates of the circuit are a fixed layer
    /// whose parameters (IQPopt's `init_coefs`) training leaves unchanged. IQP gates commute,
    /// so where they sit in the circuit does not matter; the model file keeps them apart
    /// (`init_gates`, `init_coefs`), in IQPopt's generator order (trainable gates first).
    public var fixedGateCount: Int
    /// Ancilla qubits (IQPopt's and the study's `n_ancilla`, `iqp train --ancillas K`): the
    /// circuit's last `nAncilla` qubits. The model's distribution is the marginal on the first
    /// `nQubits − nAncilla` (visible) qubits: the loss's strings act on those only, and sampling
    /// measures every qubit and drops the ancillas' bits (docs/math.md §12).
    public var nAncilla: Int = 0
    /// Free-form metadata kept in the file (training settings, seed, final loss, …),
    /// stored as already-encoded JSON values keyed by name.
    public var metadata: [String: JSONValue]

    public init(circuit: Circuit, params: [Double], spinSym: Bool = false,
                kind: ModelKind = .iqp, fixedGateCount: Int = 0, metadata: [String: JSONValue] = [:]) throws {
        guard params.count == circuit.parameterCount else {
            throw IQPError("has \(params.count) values but the circuit has \(circuit.parameterCount) gates", field: "params")
        }
        if let bad = params.firstIndex(where: { !$0.isFinite }) {
            throw IQPError("value \(params[bad]) is not finite", field: "params[\(bad)]")
        }
        guard fixedGateCount >= 0 && fixedGateCount <= circuit.parameterCount else {
            throw IQPError("has \(fixedGateCount) fixed gates but the circuit has \(circuit.parameterCount) gates", field: "init_gates")
        }
        self.circuit = circuit
        self.params = params
        self.spinSym = spinSym
        self.kind = kind
        self.fixedGateCount = fixedGateCount
        self.metadata = metadata
    }

    /// The gates training changes (the circuit's first gates).
    public var trainableGates: Range<Int> { 0..<(circuit.parameterCount - fixedGateCount) }
    /// The fixed layer (IQPopt's `init_gates`): the circuit's last `fixedGateCount` gates.
    public var fixedGates: Range<Int> { (circuit.parameterCount - fixedGateCount)..<circuit.parameterCount }

    public var nQubits: Int { circuit.nQubits }
    /// The qubits the data describes: all but the ancillas.
    public var nVisible: Int { circuit.nQubits - nAncilla }

    /// Shots of all `nQubits` qubits with the ancillas' bits dropped (the visible qubits' shots).
    public func visibleShots(_ shots: BitMatrix) -> BitMatrix {
        nAncilla > 0 && shots.columns == nQubits ? shots.leadingColumns(nVisible) : shots
    }
}
