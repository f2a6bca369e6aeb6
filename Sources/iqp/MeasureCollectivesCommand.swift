import ArgumentParser
import Foundation
import IQPBench
import IQPCore
import IQPMPI

/// `iqp info measure-collectives`: the timings, the α–β fit per collective on root's stdout
/// and the CSV in `--out` (`IQPBench.CollectiveBenchmark`; docs/distributed.md, "Network model").
struct MeasureCollectivesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "measure-collectives",
        abstract: "Time allreduce, reduce, bcast, reduce-scatter and allgather on this job's ranks and fit t = α + β·bytes per collective.",
        discussion: """
            Times each collective on the ranks of this job (`mpirun -np 2 iqp info \
            measure-collectives`) at every power of two from 8 B to --max-bytes and fits the \
            latency–bandwidth model t(m) = α + β·m (docs/distributed.md, "Network model"). \
            `iqp info predict-scaling --collectives FILE` predicts step times from the CSV.
            """
    )

    @Option(name: .customLong("max-bytes"), help: "Largest message (e.g. 64M).")
    var maxBytes: String = "64M"

    @Option(help: "Write every timed size as CSV here (root, atomically).")
    var out: String?

    func validate() throws {
        if try ByteCount.parse(maxBytes, field: "max-bytes") < 8 { throw ValidationError("--max-bytes must be at least 8") }
    }

    func run() throws {
        let world = MPIRuntime.world
        if let out { try AtomicFile.checkTargets(outputs: [NamedPath("--out", out)], inputs: []) }
        let sizes = CollectiveBenchmark.sizes(maxBytes: try ByteCount.parse(maxBytes, field: "max-bytes"))
        let points = CollectiveBenchmark.measure(on: world, sizes: sizes)
        if world.isRoot { try report(points, sizes: sizes, ranks: world.size) }
        MPIRuntime.finalize()
    }

    /// Root: the fits as a table, the CSV in `--out`.
    private func report(_ points: [CollectiveBenchmark.Point], sizes: [Int], ranks: Int) throws {
        let fits = CollectiveBenchmark.fit(points)
        print("collective timings on \(ranks) ranks, \(sizes.first!) B … \(sizes.last!) B; fit t = α + β·bytes:")
        print(TextTable.row(["collective", "α (µs)", "β (ns/B)", "1/β (GB/s)"]))
        for fit in fits {
            print(TextTable.row([fit.operation.rawValue, String(format: "%.2f", fit.alpha * 1e6),
                                 String(format: "%.4f", fit.beta * 1e9), String(format: "%.2f", 1e-9 / fit.beta)]))
        }
        if let out {
            try AtomicFile.write(CollectiveBenchmark.csv(points, fits: fits, ranks: ranks), to: out)
        }
    }
}
