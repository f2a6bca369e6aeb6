/// An IQP circuit (docs/math.md §1): `nQubits` qubits and a list of gates; gate k has one
/// trainable parameter θ_k and a list of generators (sets of qubits), each applying
/// exp(i θ_k X_g). The nested-list shape is IQPopt's `gates`:
/// `[[[0]], [[1]], [[0,1]], [[0,1],[2]]]`.
///
/// The flattened generator list is g_0 … g_{m-1}; `generatorGate[j]` is the gate that owns
/// generator j (the 0/1 matrix T of docs/math.md §1: θ' = T θ).
///
/// Storage is one flat generator table (`GeneratorTable`, CSR: offsets + qubit indices, 4 bytes
/// per qubit) and, only when some gate has more than one generator, the gate offsets — 12 bytes
/// per weight-2 generator instead of ~140 for nested Swift arrays (n = 4000, all pairs: 96 MB
/// instead of ~1.1 GB). `gates`, `generators` and `generatorGate` are built from it on each
/// access (O(m) allocations): hot paths read `table` or `generator(_:)` instead.
public struct Circuit: Equatable, Sendable {
    public let nQubits: Int
    /// The generators in gate order: generator j acts on the qubits
    /// `table.qubits[table.offsets[j] ..< table.offsets[j + 1]]`, in the order they were given.
    public let table: GeneratorTable
    /// Gate k owns generators gateOffsets[k] ..< gateOffsets[k + 1]; nil when every gate has
    /// exactly one generator (then gate k owns generator k and θ' = θ).
    public let gateOffsets: [Int32]?
    /// The largest generator weight (number of qubits).
    public let maxWeight: Int

    /// Builds and validates a circuit: every qubit index in 0..<nQubits, no qubit twice in
    /// a generator, no empty generator, no gate without generators.
    public init(nQubits: Int, gates: [[[Int]]]) throws {
        guard nQubits >= 1 else { throw IQPError("n_qubits must be at least 1, got \(nQubits)", field: "n_qubits") }
        var builder = GeneratorTable.Builder(nQubits: nQubits)
        var gateOffsets: [Int32] = [0]
        var oneEach = true
        for (k, gate) in gates.enumerated() {
            guard !gate.isEmpty else { throw IQPError("gate \(k) has no generators", field: "gates[\(k)]") }
            oneEach = oneEach && gate.count == 1
            for (gi, g) in gate.enumerated() {
                try builder.append(g, field: "gates[\(k)][\(gi)]")
            }
            gateOffsets.append(Int32(builder.count))
        }
        try self.init(nQubits: nQubits, table: builder.table, gateOffsets: oneEach ? nil : gateOffsets)
    }

    /// A circuit from a validated flat table (`GeneratorTable.Builder` checks every generator)
    /// and optional gate offsets (nil: one generator per gate).
    public init(nQubits: Int, table: GeneratorTable, gateOffsets: [Int32]? = nil) throws {
        guard nQubits >= 1 else { throw IQPError("n_qubits must be at least 1, got \(nQubits)", field: "n_qubits") }
        guard nQubits <= Circuit.maximumQubits else {
            throw IQPError("n_qubits \(nQubits) is more than \(Circuit.maximumQubits) (qubit indices are 32-bit)", field: "n_qubits")
        }
        precondition(table.nQubits == nQubits)
        if let gateOffsets {
            precondition(gateOffsets.first == 0 && Int(gateOffsets.last!) == table.count)
            for k in 0..<(gateOffsets.count - 1) where gateOffsets[k + 1] <= gateOffsets[k] {
                throw IQPError("gate \(k) has no generators", field: "gates[\(k)]")
            }
        }
        self.nQubits = nQubits
        self.table = table
        // One generator per gate is stored as nil, so equal circuits compare equal.
        self.gateOffsets = gateOffsets.flatMap { o in o.count == table.count + 1 ? nil : o }
        self.maxWeight = table.maxWeight
    }

    /// Every generator of weight 1 … `maxWeight` as its own gate, in the order of
    /// `GateBuilders.local` (IQPopt's `local_gates`), built flat (no nested arrays): the same
    /// circuit as `Circuit(nQubits: n, gates: GateBuilders.local(nQubits: n, maxWeight: k))`.
    public static func local(nQubits: Int, maxWeight: Int, gateLimit: Int = maximumLocalGateCount) throws -> Circuit {
        try GateBuilders.checkLocal(nQubits: nQubits, maxWeight: maxWeight)
        let k = min(maxWeight, nQubits)
        let total = try GateBuilders.localGateCount(nQubits: nQubits, maxWeight: maxWeight, limit: gateLimit)
        var builder = GeneratorTable.Builder(nQubits: nQubits)
        builder.reserve(generators: total, qubits: total * k)
        GateBuilders.forEachCombination(nQubits: nQubits, maxWeight: k) { builder.appendUnchecked($0) }
        return try Circuit(nQubits: nQubits, table: builder.table)
    }

    /// Most qubits a circuit may have: qubit indices are stored as `Int32`.
    public static let maximumQubits = Int(Int32.max)

    /// Largest `local` circuit built (n = 10,000 with all pairs is 50,005,000 gates).
    public static let maximumLocalGateCount = 200_000_000

    public var parameterCount: Int { gateOffsets.map { $0.count - 1 } ?? table.count }
    public var generatorCount: Int { table.count }

    /// The qubits of generator j.
    @inlinable
    public func generator(_ j: Int) -> ArraySlice<Int32> { table[j] }

    /// The qubits of gate k's generator when the gate has exactly one, else nil.
    public func singleGenerator(ofGate k: Int) -> ArraySlice<Int32>? {
        guard let gateOffsets else { return table[k] }
        return gateOffsets[k + 1] - gateOffsets[k] == 1 ? table[Int(gateOffsets[k])] : nil
    }

    /// Generators in gate order (built on each access; O(m) allocations).
    public var generators: [[Int]] { (0..<table.count).map { generator($0).map(Int.init) } }

    /// IQPopt's nested gate list (built on each access; O(m) allocations).
    public var gates: [[[Int]]] {
        guard let gateOffsets else { return (0..<table.count).map { [generator($0).map(Int.init)] } }
        return (0..<(gateOffsets.count - 1)).map { k in
            (Int(gateOffsets[k])..<Int(gateOffsets[k + 1])).map { generator($0).map(Int.init) }
        }
    }

    /// generatorGate[j] = index of the gate that owns generator j.
    public var generatorGate: [Int] {
        guard let gateOffsets else { return Array(0..<table.count) }
        var owner = [Int](repeating: 0, count: table.count)
        for k in 0..<(gateOffsets.count - 1) {
            for j in Int(gateOffsets[k])..<Int(gateOffsets[k + 1]) { owner[j] = k }
        }
        return owner
    }

    /// θ' = T θ: the parameter of every generator (θ itself when every gate has one generator).
    public func generatorParameters(_ theta: [Double]) -> [Double] {
        precondition(theta.count == parameterCount)
        guard let gateOffsets else { return theta }
        var out = [Double](repeating: 0, count: table.count)
        for k in 0..<theta.count {
            for j in Int(gateOffsets[k])..<Int(gateOffsets[k + 1]) { out[j] = theta[k] }
        }
        return out
    }

    /// ∂L/∂θ = Tᵀ ∂L/∂θ': sums generator gradients into their gates.
    public func gateGradient(_ generatorGradient: [Double]) -> [Double] {
        precondition(generatorGradient.count == table.count)
        guard let gateOffsets else { return generatorGradient }
        var g = [Double](repeating: 0, count: gateOffsets.count - 1)
        for k in 0..<g.count {
            for j in Int(gateOffsets[k])..<Int(gateOffsets[k + 1]) { g[k] += generatorGradient[j] }
        }
        return g
    }
}
