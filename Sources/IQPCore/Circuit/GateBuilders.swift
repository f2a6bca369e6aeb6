/// Builders of the standard gate lists (docs/math.md §1), in IQPopt's nested shape `[[[Int]]]`:
/// every gate has exactly one generator, so gate k is `[[q₁, …, q_w]]` with q₁ < … < q_w.
///
/// Order (the same for every builder, and the order of IQPopt's `local_gates(n, k)`): all
/// weight-1 gates in qubit order, then all weight-2 gates in lexicographic order, then weight
/// 3, … — i.e. `itertools.combinations(range(n), w)` for w = 1, 2, …. Parameter k of a model
/// built from these lists is therefore the same gate as in IQPopt.
public enum GateBuilders {
    /// Largest gate list a builder returns (guards against asking for, e.g., all weight-3
    /// gates on 1000 qubits: 1.7·10⁸ gates).
    public static let maximumGateCount = 20_000_000

    /// All generators of weight 1 … `maxWeight` on `nQubits` qubits: Σ_{w=1}^{k} C(n, w) gates
    /// (n = 16: k = 4 gives 2,516; k = 6 gives 14,892). A `maxWeight` above n means n.
    public static func local(nQubits: Int, maxWeight: Int) throws -> [[[Int]]] {
        try checkLocal(nQubits: nQubits, maxWeight: maxWeight)
        let total = try localGateCount(nQubits: nQubits, maxWeight: maxWeight)
        var gates: [[[Int]]] = []
        gates.reserveCapacity(total)
        forEachCombination(nQubits: nQubits, maxWeight: min(maxWeight, nQubits)) { gates.append([Array($0)]) }
        return gates
    }

    /// The arguments of `local` (and of the flat `Circuit.local`): both at least 1.
    static func checkLocal(nQubits: Int, maxWeight: Int) throws {
        guard nQubits >= 1 else { throw IQPError("n_qubits must be at least 1, got \(nQubits)", field: "n_qubits") }
        guard maxWeight >= 1 else {
            throw IQPError("maximum gate weight must be at least 1, got \(maxWeight)", field: "max_weight")
        }
    }

    /// Calls `body` with every set of 1 … `maxWeight` qubits (ascending), in the builders'
    /// order: weight 1, then weight 2 in lexicographic order, … (`itertools.combinations`).
    static func forEachCombination(nQubits: Int, maxWeight k: Int, _ body: (ArraySlice<Int>) -> Void) {
        guard k >= 1 else { return }
        var combo = [Int](repeating: 0, count: k)
        for w in 1...k {
            // Lexicographic combinations of size w: advance the rightmost index that can move.
            for t in 0..<w { combo[t] = t }
            while true {
                body(combo[0..<w])
                var i = w - 1
                while i >= 0 && combo[i] == nQubits - w + i { i -= 1 }
                if i < 0 { break }
                combo[i] += 1
                for t in (i + 1)..<w { combo[t] = combo[t - 1] + 1 }
            }
        }
    }

    /// Σ_{w=1}^{k} C(n, w), or an error when it exceeds `limit` (nested lists: `maximumGateCount`;
    /// the flat `Circuit.local` allows `Circuit.maximumLocalGateCount`).
    public static func localGateCount(nQubits: Int, maxWeight: Int, limit: Int = maximumGateCount) throws -> Int {
        var total = 0
        var binomial = 1  // C(n, w), built as C(n, w-1)·(n-w+1)/w (exact at every step)
        for w in 1...max(1, min(maxWeight, nQubits)) {
            let (product, overflow) = binomial.multipliedReportingOverflow(by: nQubits - w + 1)
            binomial = product / w
            total += binomial
            if overflow || total > limit {
                throw IQPError("all gates of weight <= \(maxWeight) on \(nQubits) qubits are more than "
                               + "\(limit) gates", field: "gates")
            }
        }
        return total
    }

    /// A weight-1 gate on every node of `graph`, then (for `maxWeight` 2) a weight-2 gate on
    /// every edge, edges in lexicographic order: n + |E| gates.
    public static func graph(_ graph: Graph, maxWeight: Int = 2) throws -> [[[Int]]] {
        guard maxWeight == 1 || maxWeight == 2 else {
            throw IQPError("graph gates have weight 1 or 2, got maximum weight \(maxWeight)", field: "max_weight")
        }
        var gates: [[[Int]]] = (0..<graph.nodeCount).map { [[$0]] }
        if maxWeight == 2 {
            var seen = Set<[Int]>()
            var pairs: [[Int]] = []
            for (a, b) in graph.edges where a != b {
                let pair = [min(a, b), max(a, b)]
                if seen.insert(pair).inserted { pairs.append(pair) }
            }
            pairs.sort { $0[0] != $1[0] ? $0[0] < $1[0] : $0[1] < $1[1] }
            gates += pairs.map { [$0] }
        }
        return gates
    }

    /// Nearest-neighbour gates of a `rows` × `columns` lattice (qubit r·columns + c): a
    /// weight-1 gate on every qubit, then one weight-2 gate per lattice bond (see
    /// `Graph.lattice`; periodic 4×4: 16 + 32 = 48 gates).
    public static func lattice(rows: Int, columns: Int, periodic: Bool = true) throws -> [[[Int]]] {
        try graph(Graph.lattice(rows: rows, columns: columns, periodic: periodic), maxWeight: 2)
    }

    /// Gates from a command-line spec:
    /// - `local:K` — all generators of weight ≤ K (`local(nQubits:maxWeight:)`);
    /// - `lattice:LxW` or `lattice:LxW:periodic` — periodic nearest-neighbour lattice, L·W = n;
    /// - `lattice:LxW:open` — the same without wrap-around bonds;
    /// - `graph:FILE` — weight 1 and 2 on the nodes and edges of a networkx adjacency-list file
    ///   with n nodes;
    /// - `nn:D:K:lattice:LxW[:open]` or `nn:D:K:graph:FILE` — IQPopt's nearest-neighbour gates
    ///   (`nearestNeighbour`): weight ≤ K within graph distance D, in IQPopt's order;
    /// - `covariance:N` or `covariance:N:local` — the N most correlated pairs of `data`
    ///   (`covariance`), with `local` after the n weight-1 gates.
    public static func parse(spec: String, nQubits: Int, data: BitMatrix? = nil) throws -> [[[Int]]] {
        let parts = spec.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let usage = "gate spec '\(spec)' is not local:K, lattice:LxW, lattice:LxW:open, graph:FILE, "
            + "nn:D:K:lattice:LxW, nn:D:K:graph:FILE or covariance:N[:local]"
        guard parts.count == 2 else { throw IQPError(usage, field: "gates") }
        switch parts[0] {
        case "nn":
            return try nearestNeighbour(spec: spec, arguments: parts[1], nQubits: nQubits, usage: usage)
        case "covariance":
            let arguments = parts[1].split(separator: ":", omittingEmptySubsequences: false)
            guard let count = Int(arguments[0]), arguments.count == 1 || (arguments.count == 2 && arguments[1] == "local")
            else { throw IQPError(usage, field: "gates") }
            guard let data else { throw IQPError("gate spec '\(spec)' needs the training data", field: "gates") }
            return try covariance(data: data, pairCount: count, local: arguments.count == 2)
        case "local":
            guard let k = Int(parts[1]), k >= 1 else {
                throw IQPError("in gate spec '\(spec)': weight '\(parts[1])' is not a positive integer", field: "gates")
            }
            return try local(nQubits: nQubits, maxWeight: k)
        case "lattice":
            let g: Graph
            do {
                let n = try Graph.latticeNodeCount(spec: parts[1])
                guard n == nQubits else {
                    throw IQPError("the lattice has \(n.map(String.init) ?? "too many") qubits, the model has \(nQubits)")
                }
                g = try Graph.lattice(spec: parts[1])
            } catch let error as IQPError {
                throw IQPError("in gate spec '\(spec)': \(error.message)", field: "gates")
            }
            return try graph(g, maxWeight: 2)
        case "graph":
            guard !parts[1].isEmpty else { throw IQPError(usage, field: "gates") }
            let g = try GraphFile.read(path: parts[1])
            guard g.nodeCount == nQubits else {
                throw IQPError("graph has \(g.nodeCount) nodes, the model has \(nQubits) qubits", file: parts[1])
            }
            return try graph(g, maxWeight: 2)
        default:
            throw IQPError(usage, field: "gates")
        }
    }

    /// The files a gate spec reads (`graph:FILE`, `nn:D:K:graph:FILE`): inputs of the command like
    /// any file named by an option, so no output may replace them (`AtomicFile.checkTargets`).
    public static func files(inSpec spec: String) -> [String] {
        let parts = spec.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        if parts.count >= 2, parts[0] == "graph" { return [parts.dropFirst().joined(separator: ":")] }
        if parts.count >= 5, parts[0] == "nn", parts[3] == "graph" { return [parts.dropFirst(4).joined(separator: ":")] }
        return []
    }

    /// The circuit of a command-line spec (see `parse(spec:nQubits:)`); `local:K` is built flat
    /// (`Circuit.local`), so it reaches sizes whose nested lists would not fit in memory
    /// (n = 10,000, K = 2: 50,005,000 gates in 600 MB).
    public static func circuit(spec: String, nQubits: Int) throws -> Circuit {
        if spec.hasPrefix("local:"), let k = Int(spec.dropFirst(6)), k >= 1 {
            return try Circuit.local(nQubits: nQubits, maxWeight: k)
        }
        return try Circuit(nQubits: nQubits, gates: parse(spec: spec, nQubits: nQubits))
    }

    /// `nn:D:K:lattice:LxW[:open]` or `nn:D:K:graph:FILE` (`arguments` is what follows `nn:`).
    static func nearestNeighbour(spec: String, arguments: String, nQubits: Int, usage: String) throws -> [[[Int]]] {
        let fields = arguments.split(separator: ":", maxSplits: 3, omittingEmptySubsequences: false).map(String.init)
        guard fields.count == 4, let distance = Int(fields[0]), let weight = Int(fields[1]) else {
            throw IQPError(usage, field: "gates")
        }
        let graph: Graph, order: [Int]?
        switch fields[2] {
        case "lattice":
            let n = try Graph.latticeNodeCount(spec: fields[3])
            guard n == nQubits else {
                throw IQPError("in gate spec '\(spec)': the graph has \(n.map(String.init) ?? "too many") nodes, "
                               + "the model has \(nQubits) qubits", field: "gates")
            }
            (graph, order) = (try Graph.lattice(spec: fields[3]), nil)
        case "graph":
            let listing = try GraphFile.readListing(path: fields[3])
            (graph, order) = (listing.graph, listing.nodeOrder)
        default:
            throw IQPError(usage, field: "gates")
        }
        guard graph.nodeCount == nQubits else {
            throw IQPError("in gate spec '\(spec)': the graph has \(graph.nodeCount) nodes, the model has \(nQubits) qubits",
                           field: "gates")
        }
        return try nearestNeighbour(graph: graph, nodeOrder: order, distance: distance, maxWeight: weight)
    }
}
