/// A simple undirected graph on the nodes 0..<nodeCount (no self-loops, no multi-edges),
/// e.g. the lattice or scale-free graph that couples the spins of an Ising data set.
public struct Graph: Equatable, Sendable {
    public let nodeCount: Int
    /// Every edge once, as (i, j) with i < j, sorted lexicographically.
    public let edges: [(Int, Int)]
    /// adjacency[i] = neighbours of i, ascending.
    private let adjacency: [[Int]]

    /// Builds a graph from edges in any order and orientation; repeated edges (also (j, i)
    /// after (i, j)) count once. Nodes must lie in 0..<nodeCount; a self-loop is an error.
    public init(nodeCount: Int, edges: some Sequence<(Int, Int)>) throws {
        guard nodeCount >= 0 else { throw IQPError("node count must not be negative, got \(nodeCount)") }
        var adjacency = [[Int]](repeating: [], count: nodeCount)
        for (a, b) in edges {
            for v in [a, b] where !(0..<nodeCount).contains(v) {
                throw IQPError("node \(v) is out of range 0..<\(nodeCount)")
            }
            guard a != b else { throw IQPError("self-loop at node \(a) is not allowed") }
            adjacency[a].append(b)
            adjacency[b].append(a)
        }
        var sorted: [(Int, Int)] = []
        for i in 0..<nodeCount {
            var seen = adjacency[i]
            seen.sort()
            var unique: [Int] = []
            unique.reserveCapacity(seen.count)
            for v in seen where unique.last != v { unique.append(v) }
            adjacency[i] = unique
            for j in unique where j > i { sorted.append((i, j)) }
        }
        self.nodeCount = nodeCount
        self.adjacency = adjacency
        self.edges = sorted
    }

    public var edgeCount: Int { edges.count }

    /// The neighbours of `node`, ascending.
    public func neighbours(of node: Int) -> [Int] { adjacency[node] }

    public func degree(of node: Int) -> Int { adjacency[node].count }

    public static func == (lhs: Graph, rhs: Graph) -> Bool {
        lhs.nodeCount == rhs.nodeCount && lhs.adjacency == rhs.adjacency
    }
}
