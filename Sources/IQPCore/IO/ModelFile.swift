import Foundation

/// The model file: one JSON object (docs/file-formats.md)
///
///     {"n_qubits": 16, "model": "iqp", "spin_sym": false, …metadata…,
///      "gates": [[[0]], [[0, 1]], …], "params": [0.1, …]}
///
/// `n_qubits`, `gates` (IQPopt's list of gates, each a list of generators, each a list of
/// qubit indices) and `params` (one θ per gate) are required; `spin_sym` (default false)
/// and `model` (`"iqp"` or `"bitflip"`, default `"iqp"`) are optional, so a plain
/// `json.dump({"n_qubits": …, "gates": …, "params": …})` from IQPopt reads. Every other
/// top-level member is kept as metadata and written back unchanged.
///
/// Every error is one line naming the file, the line and the field, e.g.
/// `model.json:7: field 'gates[3][1]': qubit 16 is out of range 0..<16`.
public enum ModelFile {
    /// The members the format itself defines (never metadata).
    public static let reservedKeys: Set<String> = ["n_qubits", "gates", "params", "spin_sym", "model"]

    public static func read(path: String) throws -> IQPModel {
        let data = try readWholeFile(path: path)
        let root = try JSONParser.parse(data: data, file: path)
        return try decode(root: root, file: path)
    }

    /// Decodes the text of a model file; `file` names it in errors.
    public static func decode(text: String, file: String? = nil) throws -> IQPModel {
        try decode(root: JSONParser.parse(text, file: file), file: file)
    }

    /// Decodes a parsed model file.
    public static func decode(root: JSONNode, file: String?) throws -> IQPModel {
        let object = try JSONField(node: root, file: file)
            .object("a JSON object with n_qubits, gates and params at the top level")

        let nQubitsField = try object.required("n_qubits")
        let nQubits = try nQubitsField.int("an integer number of qubits")
        guard nQubits >= 1 else { throw nQubitsField.error("must be at least 1, got \(nQubits)") }

        let gatesField = try object.required("gates")
        var gates: [[[Int]]] = []
        let gateFields = try gatesField.array("a list of gates (each a list of generators, each a list of qubits)")
        gates.reserveCapacity(gateFields.count)
        for gateField in gateFields {
            let generatorFields = try gateField.array("a gate: a list of generators (each a list of qubits)")
            var gate: [[Int]] = []
            gate.reserveCapacity(generatorFields.count)
            for generatorField in generatorFields {
                let qubitFields = try generatorField.array("a generator: a list of qubit indices")
                var generator: [Int] = []
                generator.reserveCapacity(qubitFields.count)
                for q in qubitFields { generator.append(try q.int("an integer qubit index")) }
                gate.append(generator)
            }
            gates.append(gate)
        }

        let paramsField = try object.required("params")
        let params = try paramsField.array("a list of numbers (one per gate)").map { try $0.double() }

        let spinSym = try object.optional("spin_sym")?.bool() ?? false

        var kind = ModelKind.iqp
        if let modelField = object.optional("model") {
            let name = try modelField.string("a model name (\"iqp\" or \"bitflip\")")
            guard let k = ModelKind(rawValue: name) else {
                throw modelField.error("unknown model '\(name)' (expected \"iqp\" or \"bitflip\")")
            }
            kind = k
        }

        var metadata: [String: JSONValue] = [:]
        for member in object.members where !reservedKeys.contains(member.key) {
            metadata[member.key] = member.node.value
        }

        do {
            let circuit = try Circuit(nQubits: nQubits, gates: gates)
            return try IQPModel(circuit: circuit, params: params, spinSym: spinSym, kind: kind, metadata: metadata)
        } catch var error as IQPError {
            // Locate the initialisers' field-level errors in the file.
            error.file = error.file ?? file
            if error.line == nil {
                error.line = error.field.flatMap { root.node(atPath: $0)?.line } ?? root.line
            }
            throw error
        }
    }

    /// The file's text: fixed members first, then metadata in key order, then the gates
    /// (one per line) and params (wrapped). Metadata keys that clash with `reservedKeys`
    /// are not written.
    public static func encode(_ model: IQPModel) -> String {
        JSONWriter.encode(jsonValue(model))
    }

    /// The file's members as a JSON value (a checkpoint embeds it as its `model`).
    public static func jsonValue(_ model: IQPModel) -> JSONValue {
        var members: [JSONMember] = [
            JSONMember("n_qubits", .number(Double(model.nQubits))),
            JSONMember("model", .string(model.kind.rawValue)),
            JSONMember("spin_sym", .bool(model.spinSym)),
        ]
        for key in model.metadata.keys.sorted() where !reservedKeys.contains(key) {
            members.append(JSONMember(key, model.metadata[key]!))
        }
        members.append(JSONMember("gates", .array(model.circuit.gates.map { gate in
            .array(gate.map { generator in .array(generator.map { .number(Double($0)) }) })
        })))
        members.append(JSONMember("params", .array(model.params.map { .number($0) })))
        return .object(members)
    }

    /// Writes the model atomically (temporary file, fsync, rename).
    public static func write(_ model: IQPModel, to path: String) throws {
        try AtomicFile.write(encode(model), to: path)
    }
}
