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
    /// Free-form metadata kept in the file (training settings, seed, final loss, …),
    /// stored as already-encoded JSON values keyed by name.
    public var metadata: [String: JSONValue]

    public init(circuit: Circuit, params: [Double], spinSym: Bool = false,
                kind: ModelKind = .iqp, metadata: [String: JSONValue] = [:]) throws {
        guard params.count == circuit.parameterCount else {
            throw IQPError("has \(params.count) values but the circuit has \(circuit.parameterCount) gates", field: "params")
        }
        if let bad = params.firstIndex(where: { !$0.isFinite }) {
            throw IQPError("value \(params[bad]) is not finite", field: "params[\(bad)]")
        }
        self.circuit = circuit
        self.params = params
        self.spinSym = spinSym
        self.kind = kind
        self.metadata = metadata
    }

    public var nQubits: Int { circuit.nQubits }
}
