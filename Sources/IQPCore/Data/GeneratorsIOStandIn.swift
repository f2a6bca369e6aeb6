// TEMPORARY stand-in for the file-IO helper's types (Graph, GraphFile, DataFile), so that the
// generators build on their own branch. Deleted at merge; the generators use only these names.
import Foundation

/// An undirected simple graph on nodes 0..<nodeCount; `edges` holds each edge once as (i, j), i < j.
public struct Graph: Sendable {
    public let nodeCount: Int
    public let edges: [(Int, Int)]
    private let adjacency: [[Int]]

    public init(nodeCount: Int, edges: [(Int, Int)]) {
        self.nodeCount = nodeCount
        self.edges = edges
        var adjacency = [[Int]](repeating: [], count: nodeCount)
        for (i, j) in edges {
            adjacency[i].append(j)
            adjacency[j].append(i)
        }
        self.adjacency = adjacency.map { $0.sorted() }
    }

    public func neighbours(of node: Int) -> [Int] { adjacency[node] }
    public func degree(of node: Int) -> Int { adjacency[node].count }
}

/// Reads networkx adjacency-list files (a node, then its neighbours; '#' starts a comment).
public enum GraphFile {
    public static func read(path: String) throws -> Graph {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw IQPError("cannot read the file", file: path)
        }
        var pairs = Set<[Int]>()
        var maxNode = -1
        for (lineIndex, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
            guard let first = fields.first else { continue }
            var nodes: [Int] = []
            for (f, field) in fields.enumerated() {
                guard let v = Int(field), v >= 0 else {
                    throw IQPError("'\(field)' is not a node number", file: path, line: lineIndex + 1,
                                   field: "node \(f + 1)")
                }
                nodes.append(v)
            }
            _ = first
            maxNode = max(maxNode, nodes.max()!)
            for v in nodes.dropFirst() where v != nodes[0] {
                pairs.insert([min(v, nodes[0]), max(v, nodes[0])])
            }
        }
        let edges = pairs.map { ($0[0], $0[1]) }.sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
        return Graph(nodeCount: maxNode + 1, edges: edges)
    }
}

/// Writes data sets as CSV rows of comma-separated 0/1 (atomically: temp file, then rename).
public enum DataFile {
    public static func writeCSV(_ m: BitMatrix, to path: String) throws {
        var text = ""
        text.reserveCapacity(m.rows * (2 * m.columns))
        for r in 0..<m.rows {
            for c in 0..<m.columns {
                if c > 0 { text += "," }
                text += m[r, c] ? "1" : "0"
            }
            text += "\n"
        }
        let url = URL(fileURLWithPath: path)
        let temp = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).tmp-\(ProcessInfo.processInfo.processIdentifier)")
        do {
            try text.write(to: temp, atomically: false, encoding: .utf8)
            if FileManager.default.fileExists(atPath: url.path) {
                _ = try FileManager.default.replaceItemAt(url, withItemAt: temp)
            } else {
                try FileManager.default.moveItem(at: temp, to: url)
            }
        } catch {
            try? FileManager.default.removeItem(at: temp)
            throw IQPError("cannot write the file: \(error.localizedDescription)", file: path)
        }
    }
}
