import IQPCore

extension DataCommand.Ising {
    /// The model the options describe: the graph from --lattice, --graph or --couplings, the
    /// couplings drawn (J_ij ~ U(0, --coupling)) or read (--couplings), the biases constant,
    /// per degree or read (--bias-file).
    func isingModel() throws -> IsingModel {
        let biases = try biasFile.map { try IsingModelFiles.readBiases(path: $0) }
        guard let couplings else {
            let g = try lattice.map { try IQPCore.Graph.lattice(spec: $0) } ?? GraphFile.read(path: graph!)
            if let biases, let biasFile, biases.count != g.nodeCount {
                throw IQPError("has \(biases.count) biases for \(g.nodeCount) spins", file: biasFile)
            }
            let drawn = try IsingModel.random(graph: g, couplingScale: coupling,
                                              bias: biasPerDegree.map { .perDegree($0) } ?? .constant(bias ?? 0),
                                              temperature: temperature, seed: seed)
            guard let biases else { return drawn }
            return try IsingModel(graph: IQPCore.Graph(nodeCount: g.nodeCount, edges: drawn.edges),
                                  couplings: drawn.couplings, biases: biases, temperature: temperature)
        }
        let weighted = try IsingModelFiles.readCouplings(path: couplings)
        let (g, values) = try IsingModelFiles.graph(weighted, nodeCount: biases?.count ?? weighted.labelBound,
                                                    file: couplings)
        let b = biases ?? (0..<g.nodeCount).map { node in
            biasPerDegree.map { $0 * Double(g.degree(of: node)) } ?? (bias ?? 0)
        }
        return try IsingModel(graph: g, couplings: values, biases: b, temperature: temperature)
    }
}
