extension Graph {
    /// The nearest-neighbour graph of a `rows` × `columns` square lattice; node (r, c) is
    /// r·columns + c. With `periodic` each row and column closes into a ring (a torus, as
    /// networkx's `grid_2d_graph(rows, columns, periodic=True)`).
    ///
    /// Edges are listed once as (i, j) with i < j, in lexicographic order. A periodic
    /// dimension of length 2 adds no second edge between its two nodes (the wrap-around bond
    /// is the same bond), and a dimension of length 1 adds none (no self-loops), so a periodic
    /// L×W lattice has L·W·[W≥3] + L·[W=2] horizontal and W·L·[L≥3] + W·[L=2] vertical edges
    /// (4×4 periodic: 32; open: L(W−1) + W(L−1)).
    public static func lattice(rows: Int, columns: Int, periodic: Bool = true) throws -> Graph {
        guard rows >= 1 else { throw IQPError("lattice rows must be at least 1, got \(rows)", field: "rows") }
        guard columns >= 1 else {
            throw IQPError("lattice columns must be at least 1, got \(columns)", field: "columns")
        }
        let (n, overflow) = rows.multipliedReportingOverflow(by: columns)
        guard !overflow, n <= 1 << 24 else {
            throw IQPError("lattice \(rows)x\(columns) is too large", field: "lattice")
        }
        var edges = Set<Int64>()  // i·n + j with i < j
        func add(_ a: Int, _ b: Int) {
            guard a != b else { return }
            edges.insert(Int64(min(a, b)) * Int64(n) + Int64(max(a, b)))
        }
        for r in 0..<rows {
            for c in 0..<columns {
                let i = r * columns + c
                if c + 1 < columns { add(i, i + 1) } else if periodic { add(i, r * columns) }
                if r + 1 < rows { add(i, i + columns) } else if periodic { add(i, c) }
            }
        }
        let sorted = edges.sorted().map { (Int($0 / Int64(n)), Int($0 % Int64(n))) }
        return try Graph(nodeCount: n, edges: sorted)
    }

    /// A lattice from a spec `LxW` (periodic), `LxW:periodic` or `LxW:open`.
    public static func lattice(spec: String) throws -> Graph {
        let (rows, columns, periodic) = try latticeShape(spec: spec)
        return try lattice(rows: rows, columns: columns, periodic: periodic)
    }

    /// The sides and boundary of a lattice spec, read without building it: a caller that knows
    /// how many nodes it needs compares first (`lattice:4096x4096` for 6 qubits is refused
    /// before 16 million nodes are made).
    public static func latticeShape(spec: String) throws -> (rows: Int, columns: Int, periodic: Bool) {
        let fields = spec.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        var periodic = true
        if fields.count == 2 {
            switch fields[1] {
            case "open": periodic = false
            case "periodic": periodic = true
            default:
                throw IQPError("lattice '\(spec)': boundary '\(fields[1])' is not open or periodic", field: "lattice")
            }
        }
        let sides = fields[0].split(separator: "x", omittingEmptySubsequences: false)
        guard fields.count <= 2, sides.count == 2, let rows = Int(sides[0]), let columns = Int(sides[1]),
              rows >= 1, columns >= 1 else {
            throw IQPError("lattice '\(spec)' is not LxW, LxW:open or LxW:periodic with positive integers L and W",
                           field: "lattice")
        }
        return (rows, columns, periodic)
    }

    /// The node count of a lattice spec (nil when rows × columns overflows).
    public static func latticeNodeCount(spec: String) throws -> Int? {
        let shape = try latticeShape(spec: spec)
        let (n, overflow) = shape.rows.multipliedReportingOverflow(by: shape.columns)
        return overflow ? nil : n
    }
}
