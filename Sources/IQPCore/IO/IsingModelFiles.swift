import Foundation

/// An Ising model's couplings and biases from files (`iqp data ising --couplings FILE
/// [--bias-file FILE]`), so that a given model, such as the one behind the shipped
/// scale-free-1000 data (its `couplings.txt` and `bias.txt`), can be sampled exactly.
///
/// - Couplings: networkx's weighted edge list (`nx.write_weighted_edgelist`): one edge per line,
///   `i j J_ij`, separated by spaces or tabs; `#` starts a comment; blank lines are skipped. An
///   edge may be listed once, in either orientation. J_ij enters E(s) = −Σ J_ij s_i s_j − Σ b_i s_i
///   (`IsingModel`).
/// - Biases: one number b_i per line for nodes 0, 1, 2, … in order (comments and blank lines
///   skipped); their count is the number of spins.
///
/// Without a bias file the spins are 0 … (largest label in the edge list), biases 0 unless given
/// otherwise. Errors name the file and line.
public enum IsingModelFiles {
    /// The edges and couplings of a weighted edge list.
    public struct WeightedEdges: Sendable {
        public var edges: [(Int, Int)]
        public var couplings: [Double]
        /// 1 + the largest node label (0 for an empty list).
        public var labelBound: Int
    }

    public static func readCouplings(path: String) throws -> WeightedEdges {
        var result = WeightedEdges(edges: [], couplings: [], labelBound: 0)
        var seen: [Int: Int] = [:]   // key i·2³² + j (i < j) -> line
        for (line, fields) in try lines(path: path) {
            guard fields.count == 3 else {
                throw IQPError("expected 'i j J_ij' (3 fields), got \(fields.count)", file: path, line: line)
            }
            guard let i = Int(fields[0]), i >= 0, let j = Int(fields[1]), j >= 0, i < 1 << 31, j < 1 << 31 else {
                throw IQPError("'\(fields[0]) \(fields[1])' are not two node labels (non-negative integers)",
                               file: path, line: line)
            }
            guard i != j else { throw IQPError("edge (\(i), \(i)) is a self-loop", file: path, line: line) }
            guard let coupling = Double(fields[2]), coupling.isFinite else {
                throw IQPError("coupling '\(fields[2])' is not a finite number", file: path, line: line, field: "J_ij")
            }
            let key = min(i, j) << 32 | max(i, j)
            if let first = seen[key] {
                throw IQPError("edge (\(min(i, j)), \(max(i, j))) is listed again (first on line \(first))",
                               file: path, line: line)
            }
            seen[key] = line
            result.edges.append((i, j))
            result.couplings.append(coupling)
            result.labelBound = max(result.labelBound, max(i, j) + 1)
        }
        guard !result.edges.isEmpty else { throw IQPError("contains no edges", file: path) }
        return result
    }

    public static func readBiases(path: String) throws -> [Double] {
        try lines(path: path).map { line, fields in
            guard fields.count == 1, let b = Double(fields[0]), b.isFinite else {
                throw IQPError("expected one finite number b_i per line", file: path, line: line)
            }
            return b
        }
    }

    /// The graph of `edges` on `nodeCount` nodes and the couplings in the graph's edge order.
    public static func graph(_ weighted: WeightedEdges, nodeCount: Int, file: String) throws -> (Graph, [Double]) {
        if let (i, j) = weighted.edges.first(where: { max($0.0, $0.1) >= nodeCount }) {
            throw IQPError("edge (\(i), \(j)) has a node outside 0..<\(nodeCount) (the bias file's spins)", file: file)
        }
        let graph = try Graph(nodeCount: nodeCount, edges: weighted.edges)
        var coupling: [Int: Double] = [:]
        for ((i, j), value) in zip(weighted.edges, weighted.couplings) { coupling[min(i, j) << 32 | max(i, j)] = value }
        return (graph, graph.edges.map { coupling[$0.0 << 32 | $0.1]! })
    }

    /// Non-empty lines with their numbers, split at spaces and tabs, comments removed.
    static func lines(path: String) throws -> [(Int, [Substring])] {
        let bytes = try readWholeFile(path: path)
        let text = String(decoding: bytes, as: UTF8.self)
        var out: [(Int, [Substring])] = []
        for (k, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let content = raw.prefix { $0 != "#" }
            let fields = content.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
            if !fields.isEmpty { out.append((k + 1, fields)) }
        }
        return out
    }
}
