/// Where the circuit's gates come from (`iqp train --gates/--gates-file/--graph`).
public enum GateSource: Equatable, Sendable {
    /// A builder spec: `local:K`, `lattice:LxW`, `nn:D:K:graph:FILE`, `covariance:N`, … (see `GateBuilders.parse`).
    case spec(String)
    /// A JSON file: IQPopt's nested gate list `[[[0]], [[0,1]], …]`, or a model file (its gates,
    /// and its fixed layer `init_gates`/`init_coefs` if it has one).
    case file(String)
    /// Nearest neighbours (weights 1 and 2) on a graph in adjacency-list format.
    case graph(String)

    /// With ancillas the study keeps only weight-≤2 gates (`iqp_model_wrapped.py`:
    /// `gate_arg2 = 2` whenever `n_ancilla > 0`): `local:W` with W > 2 becomes `local:2`;
    /// every other source is kept.
    public static func cappedForAncillas(_ source: GateSource) -> GateSource {
        guard case .spec(let spec) = source, spec.hasPrefix("local:"),
              let weight = Int(spec.dropFirst("local:".count)), weight > 2 else { return source }
        return .spec("local:2")
    }

    /// IQPopt's fixed first layer of a model file (`init_gates` with `init_coefs`): gates
    /// appended to the trainable ones whose parameters training keeps.
    public struct FixedLayer: Sendable, Equatable {
        public var gates: [[[Int]]] = []
        public var params: [Double] = []
        public init(gates: [[[Int]]] = [], params: [Double] = []) { self.gates = gates; self.params = params }
    }

    /// The trainable gates for `nQubits` qubits (`data`: the training data, for `covariance:N`).
    public func gates(nQubits: Int, data: BitMatrix? = nil) throws -> [[[Int]]] {
        try layers(nQubits: nQubits, data: data).gates
    }

    /// The trainable gates for `nQubits` qubits and the fixed layer (empty but for a model
    /// file with `init_gates`).
    public func layers(nQubits: Int, data: BitMatrix? = nil) throws -> (gates: [[[Int]]], fixed: FixedLayer) {
        switch self {
        case .spec(let spec):
            return (try GateBuilders.parse(spec: spec, nQubits: nQubits, data: data), FixedLayer())
        case .graph(let path):
            let graph = try GraphFile.read(path: path)
            guard graph.nodeCount == nQubits else {
                throw IQPError("the graph has \(graph.nodeCount) nodes but the data has \(nQubits) columns", file: path)
            }
            return (try GateBuilders.graph(graph, maxWeight: 2), FixedLayer())
        case .file(let path):
            let root = try JSONParser.read(path: path)
            let field = JSONField(node: root, file: path)
            if case .object = root.content {
                let model = try ModelFile.decode(root: root, file: path)
                guard model.nQubits == nQubits else {
                    throw IQPError("the gates are for \(model.nQubits) qubits but the data has \(nQubits) columns", file: path, field: "n_qubits")
                }
                let trainable = model.trainableGates, fixed = model.fixedGates
                return (Array(model.circuit.gates[trainable]),
                        FixedLayer(gates: Array(model.circuit.gates[fixed]), params: Array(model.params[fixed])))
            }
            let gates = try ModelFile.gateList(field)
            do { _ = try Circuit(nQubits: nQubits, gates: gates) } catch let e as IQPError {
                var located = e.inFile(path)
                if let f = e.field, let node = root.node(atPath: String(f.dropFirst("gates".count))) { located.line = node.line }
                throw located
            }
            return (gates, FixedLayer())
        }
    }
}
