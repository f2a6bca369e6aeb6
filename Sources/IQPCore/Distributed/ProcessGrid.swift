/// The ranks of a job arranged as a 2-D grid: `rows` op groups (blocks of Pauli strings) ×
/// `columns` sample groups (blocks of the s samples z).
///
///                      sample block 0   sample block 1   sample block 2
///     string block 0  [ rank 0 (0,0) ] [ rank 1 (0,1) ] [ rank 2 (0,2) ]  ← row communicator
///     string block 1  [ rank 3 (1,0) ] [ rank 4 (1,1) ] [ rank 5 (1,2) ]
///                            ↑ column communicator
///
/// Ranks are numbered row-major: rank = row · columns + column. Rank (r, c) evaluates the pairs
/// (string a, sample z) of string block r × sample block c (see `block`). The ranks of one row
/// hold the same strings and different samples: they reduce the per-string sums (Σ cos φ,
/// Σ cos² φ) along the row, over the row communicator. See docs/distributed.md.
public struct ProcessGrid: Equatable, Hashable, Sendable, CustomStringConvertible {
    /// Number of op (string) groups.
    public let rows: Int
    /// Number of sample groups.
    public let columns: Int

    public var size: Int { rows * columns }

    /// `ROWSxCOLUMNS`, the form `parse` reads and `--grid` takes.
    public var description: String { "\(rows)x\(columns)" }

    /// A grid of `rows × columns` ranks; throws unless both are positive and their product is `size`.
    public init(size: Int, rows: Int, columns: Int) throws {
        guard rows >= 1, columns >= 1 else {
            throw IQPError("grid \(rows)x\(columns) needs at least one row and one column", field: "grid")
        }
        let (ranks, overflow) = rows.multipliedReportingOverflow(by: columns)
        guard !overflow, ranks == size else {
            throw IQPError("grid \(rows)x\(columns) has \(overflow ? "more than \(Int.max)" : "\(ranks)") ranks "
                           + "but the job has \(size)", field: "grid")
        }
        self.rows = rows
        self.columns = columns
    }

    /// Reads `ROWSxCOLUMNS` (e.g. `2x3`; `X` and `×` also accepted) for a job of `size` ranks.
    public static func parse(_ text: String, size: Int) throws -> ProcessGrid {
        let (rows, columns) = try shape(text)
        return try ProcessGrid(size: size, rows: rows, columns: columns)
    }

    /// The rows and columns of `ROWSxCOLUMNS`, each at least 1: what can be checked before the
    /// job's size is known (a usage error of `--grid`).
    public static func shape(_ text: String) throws -> (rows: Int, columns: Int) {
        let parts = text.lowercased().split(omittingEmptySubsequences: false, whereSeparator: { $0 == "x" || $0 == "×" })
        guard parts.count == 2, let rows = Int(parts[0]), let columns = Int(parts[1]) else {
            throw IQPError("'\(text)' is not ROWSxCOLUMNS, e.g. 2x3", field: "grid")
        }
        guard rows >= 1, columns >= 1 else {
            throw IQPError("grid \(text) needs at least one row and one column", field: "grid")
        }
        return (rows, columns)
    }

    /// The grid for `size` ranks, `strings` Pauli strings and `samples` samples per step.
    ///
    /// Rule, over all factorisations rows · columns = size:
    /// 1. keep those with no empty block (rows ≤ strings, columns ≤ samples), if any;
    /// 2. minimise the largest block, ⌈strings/rows⌉ · ⌈samples/columns⌉ pairs (the slowest
    ///    rank sets the step time: this is the load imbalance);
    /// 3. among equals, take the fewest rows. Work on one sample (its ζ row, or its local
    ///    fields σ(z)·J on the weight-≤2 path, docs/math.md §2 and §5) is repeated by every row, work
    ///    on one string (its row of S) by every column; the sample side is the larger one
    ///    (O(n²) vs O(m) per item on the fast path) and the only grid-dependent collective, the
    ///    row allreduce of 2·⌈strings/rows⌉ doubles, is small next to the gradient reduction.
    /// So on the usual problems (B, s ≫ ranks) the grid is 1 × size: every rank takes all
    /// strings and s/size samples.
    public static func automatic(size: Int, strings: Int, samples: Int) -> ProcessGrid {
        precondition(size >= 1, "a job has at least one rank")
        let factorisations = (1...size).filter { size % $0 == 0 }.map { (rows: $0, columns: size / $0) }
        let full = factorisations.filter { $0.rows <= max(strings, 1) && $0.columns <= max(samples, 1) }
        let candidates = full.isEmpty ? factorisations : full
        func largestBlock(_ f: (rows: Int, columns: Int)) -> Double {   // Double: no overflow for any sizes
            Double(ceilingDivision(max(strings, 0), f.rows)) * Double(ceilingDivision(max(samples, 0), f.columns))
        }
        let best = candidates.min { a, b in
            (largestBlock(a), a.rows) < (largestBlock(b), b.rows)
        }!
        return try! ProcessGrid(size: size, rows: best.rows, columns: best.columns)
    }

    /// (row, column) of `rank` (row-major numbering).
    public func coordinates(of rank: Int) -> (row: Int, column: Int) {
        precondition((0..<size).contains(rank), "rank \(rank) is not in a \(description) grid")
        return (rank / columns, rank % columns)
    }

    /// The rank at (row, column).
    public func rank(row: Int, column: Int) -> Int {
        precondition((0..<rows).contains(row) && (0..<columns).contains(column),
                     "(\(row), \(column)) is not in a \(description) grid")
        return row * columns + column
    }

    /// The strings of `rank`'s block, out of `strings`.
    public func stringBlock(of rank: Int, strings: Int) -> Range<Int> {
        ProcessGrid.block(of: strings, parts: rows, index: coordinates(of: rank).row)
    }

    /// The samples of `rank`'s block, out of `samples`.
    public func sampleBlock(of rank: Int, samples: Int) -> Range<Int> {
        ProcessGrid.block(of: samples, parts: columns, index: coordinates(of: rank).column)
    }

    /// Part `index` of 0..<count cut into `parts` contiguous blocks whose sizes differ by at
    /// most one, the larger ones first: with q = count / parts and r = count % parts, block i
    /// starts at i·q + min(i, r) and has q + (i < r ? 1 : 0) elements. Blocks are empty when
    /// count < parts.
    public static func block(of count: Int, parts: Int, index: Int) -> Range<Int> {
        precondition(count >= 0 && parts >= 1 && (0..<parts).contains(index),
                     "block(of: \(count), parts: \(parts), index: \(index)) is out of range")
        let quotient = count / parts, remainder = count % parts
        let lower = index * quotient + min(index, remainder)
        return lower..<(lower + quotient + (index < remainder ? 1 : 0))
    }

    /// The ranks of `communicator`'s row (same strings, all sample blocks), ordered by column.
    /// Collective: every rank of `communicator` must call it. Its size is `columns`.
    public func rowCommunicator(of communicator: Communicator) -> Communicator {
        precondition(communicator.size == size, "a \(description) grid needs \(size) ranks, not \(communicator.size)")
        let (row, column) = coordinates(of: communicator.rank)
        return communicator.split(color: row, key: column)
    }

    /// The ranks of `communicator`'s column (same samples, all string blocks), ordered by row.
    /// Collective: every rank of `communicator` must call it. Its size is `rows`.
    public func columnCommunicator(of communicator: Communicator) -> Communicator {
        precondition(communicator.size == size, "a \(description) grid needs \(size) ranks, not \(communicator.size)")
        let (row, column) = coordinates(of: communicator.rank)
        return communicator.split(color: column, key: row)
    }
}

private func ceilingDivision(_ a: Int, _ b: Int) -> Int { a / b + (a % b == 0 ? 0 : 1) }
