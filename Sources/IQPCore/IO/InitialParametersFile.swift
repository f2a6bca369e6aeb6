/// The starting parameters of `iqp train --init-params FILE` (the study's `param_init_file`),
/// checked against the circuit that is about to be trained.
///
/// FILE is either
/// - a model file (docs/file-formats.md: `n_qubits`, `gates`, `params`; a model trained before,
///   or `json.dump({"n_qubits": n, "gates": gates, "params": params.tolist()}, f, default=int)`
///   from IQPopt): its `n_qubits` must be the circuit's and its gates the circuit's gates in the
///   same order, each generator compared as a set of qubits (`[[1, 0]]` is `[[0, 1]]`), so every
///   θ_k lands on the gate it was trained for; or
/// - a bare JSON list of numbers, one per gate (`json.dump(params.tolist(), f)`), or a `.npy`
///   array of float64/float32 (`np.save("params.npy", params)`): only the count can be checked.
/// The model kind (iqp/bitflip) and `spin_sym` of a model file are not checked: the parameters of
/// one model are a legitimate start for the other.
public enum InitialParametersFile {
    public static func read(path: String, circuit: Circuit) throws -> [Double] {
        if DataFile.isNpy(path) {
            let params = try readWholeFile(path: path).withUnsafeBytes { try NpyFormat.parseDoubles(bytes: $0, file: path) }
            guard params.count == circuit.parameterCount else {
                throw IQPError("has \(params.count) parameters but the circuit has \(circuit.parameterCount) gates", file: path)
            }
            guard params.allSatisfy(\.isFinite) else { throw IQPError("a parameter is not finite", file: path) }
            return params
        }
        let root = try JSONParser.read(path: path)
        if case .array = root.content {
            let params = try JSONField(node: root, file: path).array("a list of numbers (one per gate)")
                .map { try $0.double() }
            guard params.count == circuit.parameterCount else {
                throw IQPError("has \(params.count) parameters but the circuit has \(circuit.parameterCount) gates",
                               file: path, line: root.line)
            }
            try check(finite: params, root: root, path: "", file: path)
            return params
        }
        let model = try ModelFile.decode(root: root, file: path)
        guard model.nQubits == circuit.nQubits else {
            throw IQPError("the model has \(model.nQubits) qubits, the circuit \(circuit.nQubits)", file: path,
                           line: root.node(atPath: "n_qubits")?.line, field: "n_qubits")
        }
        guard model.circuit.parameterCount == circuit.parameterCount else {
            throw IQPError("has \(model.circuit.parameterCount) gates but the circuit has \(circuit.parameterCount) "
                           + "(give the same gate options as the model was trained with)",
                           file: path, line: root.node(atPath: "gates")?.line, field: "gates")
        }
        for (k, (mine, theirs)) in zip(circuit.gates, model.circuit.gates).enumerated()
        where canonical(mine) != canonical(theirs) {
            throw IQPError("gate \(k) is \(theirs) but the circuit's gate \(k) is \(mine): the gates must be the "
                           + "same, in the same order", file: path, line: root.node(atPath: "gates[\(k)]")?.line,
                           field: "gates[\(k)]")
        }
        return model.params
    }

    /// A gate as a comparable value: each generator's qubits sorted.
    static func canonical(_ gate: [[Int]]) -> [[Int]] { gate.map { $0.sorted() } }

    static func check(finite params: [Double], root: JSONNode, path: String, file: String) throws {
        if let k = params.firstIndex(where: { !$0.isFinite }) {
            throw IQPError("value \(params[k]) is not finite", file: file,
                           line: root.node(atPath: "\(path)[\(k)]")?.line, field: "params[\(k)]")
        }
    }
}
