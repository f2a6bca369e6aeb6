/// Where the circuit's gates come from (`iqp train --gates/--gates-file/--graph`).
public enum GateSource: Equatable, Sendable {
    /// A builder spec: `local:K`, `lattice:LxW`, `nn:D:K:graph:FILE`, `covariance:N`, … (see `GateBuilders.parse`).
    case spec(String)
    /// A JSON file: IQPopt's nested gate list `[[[0]], [[0,1]], …]`, or a model file (its gates).
    case file(String)
    /// Nearest neighbours (weights 1 and 2) on a graph in adjacency-list format.
    case graph(String)

    /// The gates for `nQubits` qubits (`data`: the training data, for `covariance:N`).
    public func gates(nQubits: Int, data: BitMatrix? = nil) throws -> [[[Int]]] {
        switch self {
        case .spec(let spec):
            return try GateBuilders.parse(spec: spec, nQubits: nQubits, data: data)
        case .graph(let path):
            let graph = try GraphFile.read(path: path)
            guard graph.nodeCount == nQubits else {
                throw IQPError("the graph has \(graph.nodeCount) nodes but the data has \(nQubits) columns", file: path)
            }
            return try GateBuilders.graph(graph, maxWeight: 2)
        case .file(let path):
            let root = try JSONParser.read(path: path)
            let field = JSONField(node: root, file: path)
            if case .object = root.content {
                let model = try ModelFile.decode(root: root, file: path)
                guard model.nQubits == nQubits else {
                    throw IQPError("the gates are for \(model.nQubits) qubits but the data has \(nQubits) columns", file: path, field: "n_qubits")
                }
                return model.circuit.gates
            }
            let gates = try field.array("a list of gates").enumerated().map { k, gate in
                try gate.array("a list of generators").map { g in try g.array("a list of qubit indices").map { try $0.int() } }
            }
            do { _ = try Circuit(nQubits: nQubits, gates: gates) } catch let e as IQPError {
                var located = e.inFile(path)
                if let f = e.field, let node = root.node(atPath: String(f.dropFirst("gates".count))) { located.line = node.line }
                throw located
            }
            return gates
        }
    }
}
