/// An IQP circuit (docs/math.md §1): `nQubits` qubits and a list of gates; gate k has one
/// trainable parameter θ_k and a list of generators (sets of qubits), each applying
/// exp(i θ_k X_g). The nested-list shape is IQPopt's `gates`:
/// `[[[0]], [[1]], [[0,1]], [[0,1],[2]]]`.
///
/// The flattened generator list is g_0 … g_{m-1}; `generatorGate[j]` is the gate that owns
/// generator j (the 0/1 matrix T of docs/math.md §1: θ' = T θ).
public struct Circuit: Equatable, Sendable {
    public let nQubits: Int
    public let gates: [[[Int]]]
    /// Generators in gate order (flattened).
    public let generators: [[Int]]
    /// generatorGate[j] = index of the gate that owns generator j.
    public let generatorGate: [Int]

    /// Builds and validates a circuit: every qubit index in 0..<nQubits, no qubit twice in
    /// a generator, no empty generator, no gate without generators.
    public init(nQubits: Int, gates: [[[Int]]]) throws {
        guard nQubits >= 1 else { throw IQPError("n_qubits must be at least 1, got \(nQubits)", field: "n_qubits") }
        var generators: [[Int]] = []
        var owner: [Int] = []
        for (k, gate) in gates.enumerated() {
            guard !gate.isEmpty else { throw IQPError("gate \(k) has no generators", field: "gates[\(k)]") }
            for (gi, g) in gate.enumerated() {
                guard !g.isEmpty else { throw IQPError("generator is empty", field: "gates[\(k)][\(gi)]") }
                var seen = Set<Int>()
                for q in g {
                    guard q >= 0 && q < nQubits else {
                        throw IQPError("qubit \(q) is out of range 0..<\(nQubits)", field: "gates[\(k)][\(gi)]")
                    }
                    guard seen.insert(q).inserted else {
                        throw IQPError("qubit \(q) appears twice in one generator", field: "gates[\(k)][\(gi)]")
                    }
                }
                generators.append(g)
                owner.append(k)
            }
        }
        self.nQubits = nQubits
        self.gates = gates
        self.generators = generators
        self.generatorGate = owner
    }

    public var parameterCount: Int { gates.count }
    public var generatorCount: Int { generators.count }
    /// The largest generator weight (number of qubits).
    public var maxWeight: Int { generators.map(\.count).max() ?? 0 }

    /// θ' = T θ: the parameter of every generator.
    public func generatorParameters(_ theta: [Double]) -> [Double] {
        precondition(theta.count == gates.count)
        return generatorGate.map { theta[$0] }
    }

    /// ∂L/∂θ = Tᵀ ∂L/∂θ': sums generator gradients into their gates.
    public func gateGradient(_ generatorGradient: [Double]) -> [Double] {
        precondition(generatorGradient.count == generators.count)
        var g = [Double](repeating: 0, count: gates.count)
        for (j, k) in generatorGate.enumerated() { g[k] += generatorGradient[j] }
        return g
    }
}
