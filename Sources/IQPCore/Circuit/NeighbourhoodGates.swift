/// IQPopt's `nearest_neighbour_gates(G, distance, max_weight)`: for every node (the source) of a
/// graph, every gate of weight 1 … `maxWeight` made of the source and nodes within `distance`
/// of it (graph distance), each generator once.
///
/// Order, as IQPopt's loop makes it: sources in the graph's node order (for a file, networkx's
/// `read_adjlist` order: first appearance, see `GraphFile.Listing`; for a lattice, qubit
/// order); for each source, weight 1 (the source alone), then its neighbourhood combinations
/// of size 1, 2, … (`itertools.combinations` of the neighbours, lexicographic), each with the
/// source added, skipping a generator already made from an earlier source. A parameter file
/// from IQPopt for such a model therefore lines up gate by gate, with two caveats:
/// - IQPopt takes the neighbours from a Python `set`, whose iteration order is ascending for
///   small labels but not in general; here they are ascending. Lattices up to 4×4 and graphs on
///   few nodes give IQPopt's order exactly (checked in the tests); on the 1000-node scale-free
///   graph the same gates come out, but within a source's block in another order. To continue
///   from IQPopt's parameters there, pass its gate list too (`--gates-file`).
/// - IQPopt writes a generator as [neighbours…, source]; here its qubits are ascending (the same
///   generator).
///
/// Count: with distance 1 and weight 2, n + |E| gates (the 1000-node m = 2 graph: 2,996).
extension GateBuilders {
    public static func nearestNeighbour(graph: Graph, nodeOrder: [Int]? = nil, distance: Int,
                                        maxWeight: Int) throws -> [[[Int]]] {
        guard distance >= 1 else { throw IQPError("distance must be at least 1, got \(distance)", field: "gates") }
        guard maxWeight >= 1 else { throw IQPError("maximum weight must be at least 1, got \(maxWeight)", field: "gates") }
        let order = nodeOrder ?? Array(0..<graph.nodeCount)
        precondition(order.count == graph.nodeCount)
        var gates: [[[Int]]] = []
        var made = Set<[Int]>()
        for source in order {
            let neighbours = nodesWithinDistance(graph, of: source, distance: distance)
            for size in 0..<min(maxWeight, neighbours.count + 1) {
                var stop = false
                forEachCombination(of: neighbours, size: size) { combination in
                    let generator = (combination + [source]).sorted()
                    if made.insert(generator).inserted { gates.append([generator]) }
                    if gates.count > maximumGateCount { stop = true }
                    return !stop
                }
                if stop {
                    throw IQPError("nearest-neighbour gates of weight <= \(maxWeight) within distance \(distance) "
                                   + "are more than \(maximumGateCount) gates", field: "gates")
                }
            }
        }
        return gates
    }

    /// The nodes at graph distance 1 … `distance` from `source` (breadth-first), ascending.
    public static func nodesWithinDistance(_ graph: Graph, of source: Int, distance: Int) -> [Int] {
        var visited: Set<Int> = [source]
        var level = [source]
        for _ in 0..<distance where !level.isEmpty {
            var next: [Int] = []
            for node in level { for v in graph.neighbours(of: node) where visited.insert(v).inserted { next.append(v) } }
            level = next
        }
        visited.remove(source)
        return visited.sorted()
    }

    /// Calls `body` with every `size`-subset of `items` in lexicographic order of positions
    /// (`itertools.combinations`) until it returns false.
    static func forEachCombination(of items: [Int], size: Int, _ body: ([Int]) -> Bool) {
        guard size <= items.count else { return }
        var index = Array(0..<size)
        while true {
            guard body(index.map { items[$0] }) else { return }
            var i = size - 1
            while i >= 0 && index[i] == items.count - size + i { i -= 1 }
            if i < 0 { return }
            index[i] += 1
            for t in (i + 1)..<size { index[t] = index[t - 1] + 1 }
        }
    }
}
