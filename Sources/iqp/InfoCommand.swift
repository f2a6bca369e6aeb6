import ArgumentParser
import COpenBLAS
import Foundation
import IQPCore
import IQPMPI

/// `iqp info`: what this binary was built with and how a job would be laid out.
struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Print the versions, MPI rank count, process grid, BLAS, CPU target of this build and the inner loops' variant.",
        discussion: """
            Run it as the job would run: `iqp info` alone is one rank; `mpirun -np 4 iqp info` \
            reports 4 ranks (only rank 0 prints). With --ops and --samples it shows the grid \
            `iqp train` would choose automatically and every rank's block of strings and \
            samples; --grid shows a grid of your choice instead. --ranks previews another rank \
            count without starting that many processes.

            --check-collectives runs every collective the trainer uses on the ranks of this \
            job with exact expected values (sums, maxima, broadcasts, gathers, grid \
            sub-communicators) and exits non-zero if any rank got a wrong value: a quick check \
            that a cluster's MPI works before a long run.
            """
    )

    @Option(help: ArgumentHelp("Process grid ROWSxCOLUMNS (op groups x sample groups) to lay out.", valueName: "grid"))
    var grid: String?

    @Option(help: "Pauli strings per step (all bandwidths), for the automatic grid and the blocks.")
    var ops: Int?

    @Option(help: "Model samples per step, for the automatic grid and the blocks.")
    var samples: Int?

    @Option(help: "Lay out this many ranks instead of the ranks of this job.")
    var ranks: Int?

    @Flag(help: "Run every collective on the ranks of this job and check the results.")
    var checkCollectives = false

    @Flag(name: .customLong("measure-collectives"),
          help: "Time allreduce, reduce, bcast, reduce-scatter and allgather on this job's ranks from 8 B to --max-bytes and fit t = α + β·bytes per collective.")
    var measureCollectives = false
    @Option(name: .customLong("max-bytes"), help: "Largest message of --measure-collectives (e.g. 64M).")
    var maxBytes: String = "64M"
    @Option(help: "With --measure-collectives: write every timed size as CSV here (root, atomically). With --predict-scaling: a folder for prediction-1000.csv and prediction-10000.csv.")
    var out: String?
    @Flag(name: .customLong("predict-scaling"),
          help: "Predict step time and efficiency on 1…1024 ranks for the 1000- and 10,000-qubit models, root and sharded Adam, on 100 Gb/s InfiniBand and 25 Gb/s Ethernet (docs/distributed.md).")
    var predictScaling = false
    @Option(help: "With --predict-scaling: add the network of this --measure-collectives CSV (its bcast fit).")
    var collectives: String?
    @Option(name: .customLong("compute-seconds"), help: "With --predict-scaling: one rank's compute per step of the 1000- and the 10,000-qubit model.")
    var computeSeconds: String = "0.2633,14.06"
    @Option(name: .customLong("adam-ns"), help: "With --predict-scaling: Adam's nanoseconds per parameter.")
    var adamNanoseconds: Double = 6.6

    @Option(help: ArgumentHelp("Test hook: this rank kills itself with SIGKILL before the collective check.",
                               visibility: .hidden))
    var killRank: Int?

    @Option(help: ArgumentHelp("Test hook: this rank calls MPI_Abort before the collective check.",
                               visibility: .hidden))
    var abortRank: Int?

    /// The most ranks --ranks lays out (about a million: far beyond any MPI job it previews).
    static let maxRanks = 1 << 20

    func validate() throws {
        if let ops, ops < 1 { throw ValidationError("--ops must be at least 1, not \(ops)") }
        if let samples, samples < 1 { throw ValidationError("--samples must be at least 1, not \(samples)") }
        if let ranks, !(1...InfoCommand.maxRanks).contains(ranks) {
            throw ValidationError("--ranks must be 1…\(InfoCommand.maxRanks), not \(ranks)")
        }
        if (ops == nil) != (samples == nil) { throw ValidationError("give --ops and --samples together") }
        if out != nil && !measureCollectives && !predictScaling {
            throw ValidationError("--out is for --measure-collectives or --predict-scaling")
        }
        if measureCollectives && predictScaling { throw ValidationError("give --measure-collectives or --predict-scaling, not both") }
        if try CommandSupport.doubles(computeSeconds, option: "--compute-seconds").count != 2 {
            throw ValidationError("--compute-seconds needs two values: the 1000- and the 10,000-qubit model")
        }
        if try ByteCount.parse(maxBytes, field: "max-bytes") < 8 { throw ValidationError("--max-bytes must be at least 8") }
        if ranks != nil && (checkCollectives || measureCollectives || killRank != nil || abortRank != nil) {
            throw ValidationError("--check-collectives runs on the ranks of this job; drop --ranks")
        }
        // With --ranks the grid is checked against it here: a mismatch is a usage error (64).
        if let ranks, let grid {
            try CommandSupport.usage { try ProcessGrid.parse(grid, size: ranks) }
        }
    }

    func run() throws {
        let world = MPIRuntime.world
        let size = ranks ?? world.size
        // Every rank validates the grid, so a bad --grid fails the same way everywhere.
        let layout: ProcessGrid?
        do {
            if let grid {
                layout = try ProcessGrid.parse(grid, size: size)
            } else if let ops, let samples {
                layout = ProcessGrid.automatic(size: size, strings: ops, samples: samples)
            } else {
                layout = nil
            }
        } catch {
            // Every rank fails alike; only rank 0 prints the reason.
            MPIRuntime.finalize()
            if world.isRoot { throw error }
            throw ExitCode.failure
        }

        if world.isRoot {
            print(report(ranks: size, grid: layout))
        }
        var failed = false
        if checkCollectives || killRank != nil || abortRank != nil {
            if world.rank == killRank { kill(getpid(), SIGKILL) }
            if world.rank == abortRank { world.abort("--abort-rank \(world.rank) was given", code: 3) }
            let outcome = CommunicatorSelfTest.run(on: world, grid: layout)
            for failure in outcome.localFailures { writeToStandardError("iqp: \(failure)\n") }
            failed = outcome.totalFailures > 0
            if world.isRoot {
                print(failed
                      ? "collectives: \(outcome.totalFailures) check(s) FAILED on \(world.size) ranks"
                      : "collectives: ok on \(world.size) ranks (allreduce, reduce, broadcast, gather, reduce-scatter, allgather, split, barrier)")
            }
        }
        if measureCollectives { try measure(on: world) }
        if predictScaling && world.isRoot { try predict() }
        MPIRuntime.finalize()
        if failed { throw ExitCode(1) }
    }

    /// `--measure-collectives`: the timings, the α–β fit per collective on root's stdout and
    /// the CSV in `--out`.
    private func measure(on world: MPICommunicator) throws {
        if let out { try AtomicFile.checkTargets(outputs: [NamedPath("--out", out)], inputs: []) }
        let sizes = CollectiveBenchmark.sizes(maxBytes: try ByteCount.parse(maxBytes, field: "max-bytes"))
        let points = CollectiveBenchmark.measure(on: world, sizes: sizes)
        guard world.isRoot else { return }
        let fits = CollectiveBenchmark.fit(points)
        print("collective timings on \(world.size) ranks, \(sizes.first!) B … \(sizes.last!) B; fit t = α + β·bytes:")
        print(TextTable.row(["collective", "α (µs)", "β (ns/B)", "1/β (GB/s)"]))
        for fit in fits {
            print(TextTable.row([fit.operation.rawValue, String(format: "%.2f", fit.alpha * 1e6),
                                 String(format: "%.4f", fit.beta * 1e9), String(format: "%.2f", 1e-9 / fit.beta)]))
        }
        if let out {
            try AtomicFile.write(CollectiveBenchmark.csv(points, fits: fits, ranks: world.size), to: out)
        }
    }

    /// `--predict-scaling`: the summary on stdout, the CSVs in `--out`.
    private func predict() throws {
        let seconds = try CommandSupport.doubles(computeSeconds, option: "--compute-seconds")
        let fabrics = try ScalingPrediction.assumedFabrics + (collectives.map { [try ScalingPrediction.measuredFabric(csv: $0)] } ?? [])
        let prediction = ScalingPrediction(sizes: [.init(qubits: 1000, computeSeconds: seconds[0]),
                                                   .init(qubits: 10_000, computeSeconds: seconds[1])],
                                           fabrics: fabrics, adamSecondsPerParameter: adamNanoseconds * 1e-9)
        print(prediction.summary())
        if let out {
            // The folder is made if it is not there (`--out prediction/`).
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            for size in prediction.sizes {
                try AtomicFile.write(prediction.csv(size), to: (out as NSString).appendingPathComponent("prediction-\(size.qubits).csv"))
            }
        }
    }

    private func report(ranks size: Int, grid layout: ProcessGrid?) -> String {
        var lines = VersionReport.lines
        let launcher = MPIRuntime.isUnderLauncher ? "started by a launcher" : "no launcher: single-process run"
        lines.append("ranks: \(MPIRuntime.world.size) (\(launcher))" + (ranks.map { "; laying out \($0)" } ?? ""))
        if let layout {
            let how = grid != nil ? "from --grid" : "automatic for \(ops!) strings, \(samples!) samples"
            lines.append("grid: \(layout) = \(layout.rows) op group(s) x \(layout.columns) sample group(s) (\(how))")
            if let ops, let samples {
                let shown = min(layout.size, 16)
                for rank in 0..<shown {
                    let (row, column) = layout.coordinates(of: rank)
                    let strings = layout.stringBlock(of: rank, strings: ops)
                    let sampleRange = layout.sampleBlock(of: rank, samples: samples)
                    lines.append("  rank \(rank) (\(row),\(column)): strings \(strings.lowerBound)..<\(strings.upperBound), "
                                 + "samples \(sampleRange.lowerBound)..<\(sampleRange.upperBound)")
                }
                if layout.size > shown { lines.append("  … \(layout.size - shown) more ranks") }
            }
        } else {
            lines.append("grid: give --ops and --samples (or --grid) to see the layout")
        }
        if let warning = BLASKernel.current.warning { lines.append("warning: \(warning)") }
        lines.append("BLAS threads: \(BLAS.threadCount), \(BLASThreading.current) (OPENBLAS_NUM_THREADS=\(ProcessInfo.processInfo.environment["OPENBLAS_NUM_THREADS"] ?? "unset"); use 1 per rank under MPI)")
        let compiled = BuildTarget.compiledFeatures
        let cpu = BuildTarget.cpuFeatures.map { $0.isEmpty ? "none of them" : $0.joined(separator: " ") } ?? "unknown"
        lines.append("CPU target: Swift code built \(compiled.isEmpty ? "for baseline x86-64" : "with " + compiled.joined(separator: " ")); "
                     + "this CPU has \(cpu); \(ProcessInfo.processInfo.activeProcessorCount) cores")
        lines.append("Inner loops: \(KernelVariant.summary)")
        return lines.joined(separator: "\n")
    }
}

/// The text of `iqp --version` and the first lines of `iqp info`. Does not start MPI.
enum VersionReport {
    static var lines: [String] {
        let kernel = BLASKernel.current
        return [
            "iqp \(IQPVersion.string)",
            "MPI: \(MPIRuntime.libraryVersion) (MPI \(MPIRuntime.standardVersion))",
            "BLAS: \(kernel.summary)",
        ]
    }

    static var text: String { lines.joined(separator: "\n") }
}
