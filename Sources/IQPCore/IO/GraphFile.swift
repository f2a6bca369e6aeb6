/// Graph files in networkx's adjacency-list format (`networkx.write_adjlist`):
///
///     # comment
///     0 1 2 5
///     1 4
///     2
///
/// Each line holds a node label followed by (some of) its neighbours, separated by spaces or
/// tabs; `#` starts a comment that runs to the end of the line. The graph is undirected and
/// an edge may be listed once or from both ends. Labels are the node numbers themselves:
/// with n distinct labels in the file they must be exactly 0..<n (no relabelling).
/// Errors name the file and line, e.g. `graph.adjlist:7: node 5 is listed as its own neighbour`.
public enum GraphFile {
    public static func read(path: String) throws -> Graph {
        let data = try readWholeFile(path: path)
        return try data.withUnsafeBytes { try parse(bytes: $0, file: path) }
    }

    /// Parses the text of an adjacency-list file; `file` names it in errors.
    public static func parse(text: String, file: String? = nil) throws -> Graph {
        var text = text
        return try text.withUTF8 { try parse(bytes: UnsafeRawBufferPointer($0), file: file) }
    }

    /// Parses the bytes of an adjacency-list file; `file` names it in errors.
    public static func parse(bytes: UnsafeRawBufferPointer, file: String?) throws -> Graph {
        try parseListing(bytes: bytes, file: file).graph
    }

    /// A graph with its nodes in the order networkx's `read_adjlist` adds them (`G.nodes`):
    /// the order of first appearance in the file, as a line's head or as a neighbour.
    public struct Listing: Sendable {
        public var graph: Graph
        public var nodeOrder: [Int]
    }

    /// Reads a file keeping networkx's node order (IQPopt's `nearest_neighbour_gates` walks it).
    public static func readListing(path: String) throws -> Listing {
        let data = try readWholeFile(path: path)
        return try data.withUnsafeBytes { try parseListing(bytes: $0, file: path) }
    }

    public static func parseListing(bytes: UnsafeRawBufferPointer, file: String?) throws -> Listing {
        var edges: [(Int, Int)] = []
        var nodeOrder: [Int] = []
        var firstLine: [Int: Int] = [:]  // label -> line of its first appearance
        var maxLabel = -1
        var maxLabelLine = 0
        var line = 0
        var position = 0
        while position < bytes.count {
            line += 1
            var end = position
            while end < bytes.count && bytes[end] != 0x0A { end += 1 }
            var stop = position
            while stop < end && bytes[stop] != UInt8(ascii: "#") { stop += 1 }
            var head: Int? = nil
            var column = 0
            var i = position
            while let label = try nextLabel(bytes, from: &i, before: stop, file: file, line: line, column: column + 1) {
                column += 1
                if firstLine[label] == nil { firstLine[label] = line; nodeOrder.append(label) }
                if label > maxLabel { maxLabel = label; maxLabelLine = line }
                guard let head else { head = label; continue }
                guard label != head else {
                    throw IQPError("node \(head) is listed as its own neighbour (self-loops are not allowed)",
                                   file: file, line: line)
                }
                edges.append((head, label))
            }
            position = end + 1
        }
        let n = firstLine.count
        guard n > 0 else { throw IQPError("contains no nodes", file: file) }
        guard maxLabel == n - 1 else {
            throw IQPError("node \(maxLabel) is out of range: the file has \(n) distinct nodes, "
                           + "so the labels must be 0..<\(n)", file: file, line: maxLabelLine)
        }
        return Listing(graph: try Graph(nodeCount: n, edges: edges), nodeOrder: nodeOrder)
    }

    /// The next node label at or after `i` and before `stop` (skipping spaces, tabs and `\r`),
    /// with `i` moved past it; nil when none is left. A label is a non-negative integer of at
    /// most 18 digits; anything else is an error naming `column`.
    private static func nextLabel(_ bytes: UnsafeRawBufferPointer, from i: inout Int, before stop: Int,
                                  file: String?, line: Int, column: Int) throws -> Int? {
        func isBlank(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0D }
        while i < stop && isBlank(bytes[i]) { i += 1 }
        guard i < stop else { return nil }
        var j = i
        while j < stop && !isBlank(bytes[j]) { j += 1 }
        var label = 0
        // At most 18 digits, checked before any digit is added: 19 nines overflow Int.
        var valid = j - i <= 18
        for k in i..<j where valid {
            let d = bytes[k]
            guard d >= 0x30 && d <= 0x39 else { valid = false; break }
            label = label * 10 + Int(d - 0x30)
        }
        guard valid else {
            let token = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[i..<j]), as: UTF8.self)
            throw IQPError("'\(token)' is not a node label (a non-negative integer)",
                           file: file, line: line, field: "column \(column)")
        }
        i = j
        return label
    }
}
