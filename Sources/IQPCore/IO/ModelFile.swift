import Foundation

/// The model file: one JSON object (docs/file-formats.md)
///
///     {"n_qubits": 16, "model": "iqp", "spin_sym": false, …metadata…,
///      "gates": [[[0]], [[0, 1]], …], "params": [0.1, …]}
///
/// `n_qubits`, `gates` (IQPopt's list of gates, each a list of generators, each a list of
/// qubit indices) and `params` (one θ per gate) are required; `spin_sym` (default false)
/// and `model` (`"iqp"` or `"bitflip"`, default `"iqp"`) are optional, so a plain
/// `json.dump({"n_qubits": …, "gates": …, "params": …})` from IQPopt reads. IQPopt's other
/// `IqpSimulator` arguments are read too: `init_gates` with `init_coefs` (a fixed first layer:
/// gates whose parameters training leaves unchanged, `IQPModel.fixedGateCount`) and
/// `"bitflip": true` (the same as `"model": "bitflip"`), and `n_ancilla` (the study's: the last
/// K of the `n_qubits` qubits are ancillas, `IQPModel.nAncilla`). Every other top-level member is kept
/// as metadata and written back unchanged.
///
/// Every error is one line naming the file, the line and the field, e.g.
/// `model.json:7: field 'gates[3][1]': qubit 16 is out of range 0..<16`.
public enum ModelFile {
    /// The members the format itself defines (never metadata).
    public static let reservedKeys: Set<String> = ["n_qubits", "gates", "params", "spin_sym", "model",
                                                   "init_gates", "init_coefs", "bitflip", "n_ancilla"]

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

        let gates = try gateList(object.required("gates"))
        let params = try object.required("params").array("a list of numbers (one per gate)").map { try $0.double() }
        let (initGates, initCoefs) = try fixedLayer(object, nQubits: nQubits)
        let spinSym = try object.optional("spin_sym")?.bool() ?? false
        let kind = try modelKind(object)
        var nAncilla = 0
        if let ancillaField = object.optional("n_ancilla") {
            nAncilla = try ancillaField.int("an integer number of ancilla qubits")
            guard nAncilla >= 0 && nAncilla < nQubits else {
                throw ancillaField.error("must be in 0..<\(nQubits) (n_qubits counts the ancillas), got \(nAncilla)")
            }
        }

        var metadata: [String: JSONValue] = [:]
        for member in object.members where !reservedKeys.contains(member.key) {
            metadata[member.key] = member.node.value
        }

        do {
            let circuit = try Circuit(nQubits: nQubits, gates: gates + initGates)
            guard params.count == gates.count else {
                throw IQPError("has \(params.count) values but the circuit has \(gates.count) gates", field: "params")
            }
            var model = try IQPModel(circuit: circuit, params: params + initCoefs, spinSym: spinSym, kind: kind,
                                     fixedGateCount: initGates.count, metadata: metadata)
            model.nAncilla = nAncilla
            return model
        } catch var error as IQPError {
            // Locate the initialisers' field-level errors in the file.
            error.file = error.file ?? file
            if error.line == nil {
                error.line = error.field.flatMap { root.node(atPath: $0)?.line } ?? root.line
            }
            throw error
        }
    }

    /// A list of gates (IQPopt's nested lists): `gates` or `init_gates`.
    static func gateList(_ field: JSONField) throws -> [[[Int]]] {
        try field.array("a list of gates (each a list of generators, each a list of qubits)").map { gateField in
            try gateField.array("a gate: a list of generators (each a list of qubits)").map { generatorField in
                try generatorField.array("a generator: a list of qubit indices").map {
                    try $0.int("an integer qubit index")
                }
            }
        }
    }

    /// IQPopt's fixed first layer: `init_gates` and `init_coefs` (both or neither, one
    /// coefficient per gate), checked on their own so an error names their field.
    static func fixedLayer(_ object: JSONObjectReader, nQubits: Int) throws -> ([[[Int]]], [Double]) {
        let gatesField = object.optional("init_gates"), coefsField = object.optional("init_coefs")
        if gatesField == nil, coefsField == nil { return ([], []) }
        guard let gatesField else {
            throw coefsField!.error("needs init_gates (IQPopt's fixed gates, one per coefficient)")
        }
        guard let coefsField else {
            throw gatesField.error("needs init_coefs (IQPopt's fixed parameter of each init gate)")
        }
        let gates = try gateList(gatesField)
        let coefs = try coefsField.array("a list of numbers (one per init gate)").map { try $0.double() }
        guard coefs.count == gates.count else {
            throw coefsField.error("has \(coefs.count) values but there are \(gates.count) init gates")
        }
        if let bad = coefs.firstIndex(where: { !$0.isFinite }) {
            throw coefsField.error("value \(coefs[bad]) is not finite")
        }
        do { _ = try Circuit(nQubits: nQubits, gates: gates) } catch var error as IQPError {
            error.field = error.field.map { "init_" + $0 }
            error.line = error.field.flatMap { gatesField.node.node(atPath: String($0.dropFirst("init_gates".count)))?.line }
                ?? gatesField.line
            error.file = gatesField.file
            throw error
        }
        return (gates, coefs)
    }

    /// `model` (`"iqp"`, `"bitflip"`) and IQPopt's `"bitflip": true|false`, which must agree.
    static func modelKind(_ object: JSONObjectReader) throws -> ModelKind {
        var kind: ModelKind?
        if let modelField = object.optional("model") {
            let name = try modelField.string("a model name (\"iqp\" or \"bitflip\")")
            guard let k = ModelKind(rawValue: name) else {
                throw modelField.error("unknown model '\(name)' (expected \"iqp\" or \"bitflip\")")
            }
            kind = k
        }
        if let flagField = object.optional("bitflip") {
            let flag: ModelKind = try flagField.bool() ? .bitflip : .iqp
            if let kind, kind != flag {
                throw flagField.error("is \(flag == .bitflip) but 'model' is \"\(kind.rawValue)\"")
            }
            kind = flag
        }
        return kind ?? .iqp
    }

    /// The file's text: `value(model)` pretty-printed, so the gates sit one per line and the
    /// params are wrapped.
    public static func encode(_ model: IQPModel) -> String {
        JSONWriter.encode(value(model))
    }

    /// The file's JSON object: fixed members first, then metadata in key order, then the
    /// gates and params. Metadata keys that clash with `reservedKeys` are not written.
    /// (A checkpoint embeds this object as its `model` member.)
    public static func value(_ model: IQPModel) -> JSONValue {
        var members: [JSONMember] = [
            JSONMember("n_qubits", .number(Double(model.nQubits))),
            JSONMember("model", .string(model.kind.rawValue)),
            JSONMember("spin_sym", .bool(model.spinSym)),
        ]
        if model.nAncilla > 0 { members.append(JSONMember("n_ancilla", .number(Double(model.nAncilla)))) }
        for key in model.metadata.keys.sorted() where !reservedKeys.contains(key) {
            members.append(JSONMember(key, model.metadata[key]!))
        }
        func gates(_ range: Range<Int>) -> JSONValue {
            .array(model.circuit.gates[range].map { gate in
                .array(gate.map { generator in .array(generator.map { .number(Double($0)) }) })
            })
        }
        func numbers(_ range: Range<Int>) -> JSONValue { .array(model.params[range].map { .number($0) }) }
        members.append(JSONMember("gates", gates(model.trainableGates)))
        members.append(JSONMember("params", numbers(model.trainableGates)))
        if model.fixedGateCount > 0 {
            members.append(JSONMember("init_gates", gates(model.fixedGates)))
            members.append(JSONMember("init_coefs", numbers(model.fixedGates)))
        }
        return .object(members)
    }

    /// Writes the model atomically (temporary file, fsync, rename).
    public static func write(_ model: IQPModel, to path: String) throws {
        try AtomicFile.write(encode(model), to: path)
    }
}
