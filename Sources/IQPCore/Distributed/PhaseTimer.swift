/// The parts of a training step that are timed separately on every rank.
public enum Phase: Int, CaseIterable, Sendable, CustomStringConvertible {
    /// Drawing the Pauli strings and samples of the rank's block.
    case sampling
    /// The rank's share of the estimator, loss and gradient (the GEMMs).
    case localCompute
    /// Allreduce of per-string sums and reduction of partial gradients.
    case reductions
    /// Adam on root (other ranks record ~0).
    case optimizer
    /// Broadcast of the new parameters.
    case broadcast
    /// Logs, checkpoints and model files (root).
    case io

    /// The name in the timings CSV: `sampling`, `local_compute`, `reductions`, `optimizer`,
    /// `broadcast`, `io`.
    public var description: String {
        switch self {
        case .sampling: "sampling"
        case .localCompute: "local_compute"
        case .reductions: "reductions"
        case .optimizer: "optimizer"
        case .broadcast: "broadcast"
        case .io: "io"
        }
    }
}

/// Wall seconds per `Phase` on one rank, from a monotonic clock (`Stopwatch`), plus the
/// total since the timer was created. Create it right before the first step.
///
/// Every rank keeps its own; `gathered(on:)` collects them on root, and `csv(gathered:steps:)`
/// writes the `--timings` file (format in docs/distributed.md):
///
///     rank,phase,seconds,steps
///     0,sampling,0.012500,100
///     …
///     0,total,1.250000,100
public struct PhaseTimer: Sendable {
    /// Seconds per phase, indexed by `Phase.rawValue`.
    public private(set) var seconds: [Double]
    /// How many times each phase was measured or added to, indexed by `Phase.rawValue`.
    public private(set) var reports: [Int]
    private let stopwatch = Stopwatch()

    public init() {
        seconds = Array(repeating: 0, count: Phase.allCases.count)
        reports = Array(repeating: 0, count: Phase.allCases.count)
    }

    /// Runs `body` and adds its wall time to `phase`.
    public mutating func measure<T>(_ phase: Phase, _ body: () throws -> T) rethrows -> T {
        let begin = Stopwatch()
        defer { add(begin.seconds, to: phase) }
        return try body()
    }

    /// Adds `elapsed` seconds to `phase` (for time measured elsewhere).
    public mutating func add(_ elapsed: Double, to phase: Phase) {
        seconds[phase.rawValue] += elapsed
        reports[phase.rawValue] += 1
    }

    /// Adds the seconds and reports of every phase of `other` (its total is not added).
    public mutating func add(_ other: PhaseTimer) {
        for i in seconds.indices {
            seconds[i] += other.seconds[i]
            reports[i] += other.reports[i]
        }
    }

    /// How many times `phase` was measured or added to.
    public func reports(of phase: Phase) -> Int { reports[phase.rawValue] }

    /// Seconds spent in `phase` so far.
    public subscript(phase: Phase) -> Double { seconds[phase.rawValue] }

    /// Wall seconds since the timer was created, or until `stop()` when it was stopped.
    public var total: Double { stoppedAt ?? stopwatch.seconds }

    private var stoppedAt: Double?

    /// Ends `total` now: what happens after the run (writing the model, gathering the rows)
    /// is not counted, on any rank.
    public mutating func stop() {
        if stoppedAt == nil { stoppedAt = stopwatch.seconds }
    }

    /// Collective: on `root`, one row per rank in rank order, each the rank's seconds per
    /// phase (in `Phase.allCases` order) followed by its total; an empty array elsewhere.
    public func gathered(on communicator: Communicator, root: Int = 0) -> [[Double]] {
        let row = seconds + [total]
        let all = communicator.gather(row, root: root)
        guard communicator.rank == root else { return [] }
        return stride(from: 0, to: all.count, by: row.count).map { Array(all[$0..<($0 + row.count)]) }
    }

    /// The timings CSV for rows from `gathered(on:)`: first `# note` lines (what the figures were
    /// measured with: BLAS kernel, threads, build target, ranks), then the header
    /// `rank,phase,seconds,steps` and for each rank one line per phase and a last `total` line,
    /// seconds with 6 decimals.
    public static func csv(gathered rows: [[Double]], steps: Int, notes: [String] = []) -> String {
        var text = notes.map { "# " + $0.replacingNewlines() + "\n" }.joined() + "rank,phase,seconds,steps\n"
        let names = Phase.allCases.map(\.description) + ["total"]
        for (rank, row) in rows.enumerated() {
            for (name, value) in zip(names, row) {
                text += "\(rank),\(name),\(formatSeconds(value)),\(steps)\n"
            }
        }
        return text
    }

    private static func formatSeconds(_ value: Double) -> String {
        // Fixed 6 decimals without Foundation's String(format:).
        let micro = (value * 1_000_000).rounded()
        guard micro.isFinite, abs(micro) < 9e15 else { return "\(value)" }
        let whole = Int64(micro)
        let sign = whole < 0 ? "-" : ""
        let magnitude = whole.magnitude
        let fraction = String(magnitude % 1_000_000)
        return sign + String(magnitude / 1_000_000) + "." + String(repeating: "0", count: 6 - fraction.count) + fraction
    }
}

extension String {
    /// The text on one line (newlines as spaces), for a `#` note line.
    func replacingNewlines() -> String { String(map { $0.isNewline ? " " : $0 }) }
}
