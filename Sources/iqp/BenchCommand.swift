import ArgumentParser
import Foundation
import IQPBench
import IQPCore
import IQPMPI

/// `iqp bench`: the speed table of docs/performance.md.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time training steps (loss + gradient) of all-weight-≤2 models on the fast and dense paths.",
        discussion: """
        Prints one table. Each row is one model size: n qubits with every generator of weight 1 \
        and 2 (n(n+1)/2 parameters), B Pauli strings and s samples per bandwidth σ, random data \
        (1000 rows). "mean |a|" is the expected string weight n·p(σ) per σ; "path" is the path \
        each σ's block took (auto: the cheaper by the cost model); "s/step" is the median wall \
        time of a full step through the trainer's objective (strings, samples, data term, \
        forward, loss, backward) over --repetitions steps after --warmup steps; "GEMM GFLOP/s" \
        is the achieved rate of the BLAS calls inside those steps; "range" the fastest and \
        slowest step; "step/loss" the time of a full step over that of a loss-only evaluation of \
        the same strings and samples (the cost of the gradient; 2 means it costs one more loss); \
        "peak RSS/rank" the largest peak resident memory of a rank during them. With \
        --breakdown, the milliseconds per step in GEMM, sin/cos, the fast path's pair loops, the \
        data term, and the rest ("other": drawing strings and samples, index building, the \
        loss, gradient bookkeeping). The dense path runs on a row when its predicted time (from \
        its GEMM flops at the measured dgemm rate) is at most --dense-limit seconds per step. \
        The first lines report the BLAS kernel (see `iqp blas`), the dgemm rate measured in \
        the same run, the build target, the rank count and the kernel variant: under mpirun (e.g. \
        `launch/one-node -n 2 bench --n 10000`) every rank runs the steps and root prints. \
        --options adds rows on the auto path with `iqp train`'s --shared-samples, \
        --gemm-precision float32, and both, and one with the GEMMs on the BLAS library's own \
        threads (IQP_BLAS_THREADS=library) instead of one panel per thread of iqp's pool. --exact instead times the exact path (docs/math.md \
        §10) next to the Monte Carlo path auto would take, one process.
        Default rows: n = 100 and 300 (σ with mean weight 2), 484/784/1000 with the study's σ \
        lists, 2000 and 4000 with the 1000-qubit σ list scaled by sqrt(n/1000). The inner \
        loops run the host's vector and popcount instructions, chosen at run time (the line \
        after the dgemm rate names them; IQP_KERNELS=baseline forces the baseline; see \
        docs/performance.md).
        """)

    @Flag(help: "Small fast version: n = 100 and 300 only.")
    var quick = false
    @Option(help: ArgumentHelp("Only these qubit counts (comma-separated) from the default list, or any n (σ for mean weight 2).", valueName: "n,..."))
    var n: String?
    @Option(help: "Untimed steps before the timed ones.")
    var warmup: Int = 1
    @Option(help: "Timed steps per row (the median is reported).")
    var repetitions: Int = 5
    @Option(name: .customLong("dense-limit"), help: "Run the dense path where its predicted step time is at most this (seconds).")
    var denseLimit: Double = 20
    @Option(name: .customLong("dgemm-size"), help: "Matrix size of the reference dgemm.")
    var dgemmSize: Int = 2000
    @Flag(help: "Add the milliseconds per step in GEMM, sin/cos, pair loops, the data term and the rest.")
    var breakdown = false
    @Option(name: .customLong("data"), help: ArgumentHelp("Data rows for the data term (CSV/.npy) instead of random ones; every row size must be its width (with --exact: the rows of its width).", valueName: "file"))
    var dataFile: String?
    @Flag(help: "Also time the auto path with --shared-samples, with --gemm-precision float32, with both, and with the GEMMs on the BLAS library's own threads (one row each).")
    var options = false
    @Flag(help: "Instead: the exact path (docs/math.md §10) next to the Monte Carlo path auto would take, on blobs-8's model (16 qubits, weight ≤ 6) and weight-≤2 models on 20 and 24 qubits (--n: only these).")
    var exact = false

    func validate() throws {
        guard warmup >= 0 else { throw ValidationError("--warmup must be at least 0") }
        guard repetitions >= 1 else { throw ValidationError("--repetitions must be at least 1") }
        guard denseLimit >= 0 else { throw ValidationError("--dense-limit must be at least 0") }
        guard dgemmSize >= 64 else { throw ValidationError("--dgemm-size must be at least 64") }
        if let n { _ = try sizes(n) }
    }

    func sizes(_ text: String) throws -> [Int] {
        try text.split(separator: ",").map {
            guard let v = Int($0.trimmingCharacters(in: .whitespaces)), v >= 2 else {
                throw ValidationError("--n: '\($0)' is not a qubit count of at least 2")
            }
            return v
        }
    }

    func run() throws {
        let communicator: Communicator = MPIRuntime.isUnderLauncher ? MPIRuntime.world : LocalCommunicator()
        do {
            try measure(communicator: communicator)
        } catch {
            CommandSupport.fail(error, communicator: communicator)
        }
        if MPIRuntime.isUnderLauncher { MPIRuntime.finalize() }
    }

    func configurations() throws -> [StepBenchmark.Configuration] {
        guard let n else { return StepBenchmark.standardConfigurations(quick: quick) }
        let all = StepBenchmark.standardConfigurations(quick: false)
        return try sizes(n).map { size in
            all.first { $0.nQubits == size }
                ?? StepBenchmark.Configuration(nQubits: size, sigmas: [StepBenchmark.sigma(meanWeight: 2, nQubits: size)])
        }
    }

    /// The header lines and the table; under mpirun every rank runs the steps, root prints.
    func measure(communicator: Communicator) throws {
        let root = communicator.isRoot
        let data = try dataFile.map { try DataFile.read(path: $0) }
        let rate = printHeader(communicator: communicator)
        if exact {
            guard communicator.size == 1 else { throw IQPError("--exact runs in one process (no mpirun)") }
            return try measureExact(data: data)
        }
        let configurations = try configurations()
        if let data, let bad = configurations.first(where: { $0.nQubits != data.columns }) {
            throw IQPError("has \(data.columns) columns but the row n = \(bad.nQubits) needs \(bad.nQubits) (choose it with --n \(data.columns))",
                           file: dataFile)
        }
        let variants = options ? [(true, GEMMPrecision.float64), (false, .float32), (true, .float32)].map {
            StepBenchmark.Variant(path: .auto, sharedSamples: $0.0, precision: $0.1)
        } + [StepBenchmark.Variant(path: .auto, blasThreading: .library)] : []
        let rows = try StepBenchmark.run(configurations, data: data, options: variants, warmup: warmup, repetitions: repetitions,
                                         denseLimit: denseLimit, dgemmGflops: rate, communicator: communicator,
                                         progress: { if root { writeToStandardError($0 + "\n") } })
        if root { print(BenchTable.text(rows, breakdown: breakdown), terminator: "") }
    }

    /// Root prints the BLAS kernel, the dgemm rate (measured now), the build target and the
    /// rank count; returns root's rate (broadcast, so every rank takes the same decisions).
    func printHeader(communicator: Communicator) -> Double {
        let kernel = BLASKernel.current
        if communicator.isRoot {
            print("BLAS: \(kernel.summary)")
            if let warning = kernel.warning { print("warning: \(warning)") }
        }
        var rate = [StepBenchmark.dgemmRate(size: dgemmSize)]
        communicator.broadcast(&rate, root: 0)
        if communicator.isRoot {
            print(String(format: "dgemm %dx%dx%d: %.1f GFLOP/s (%d BLAS threads, %d cores); ", dgemmSize, dgemmSize, dgemmSize,
                         rate[0], BLAS.threadCount, ProcessInfoCache.threadCount)
                  + "build \(BuildTarget.summary); \(communicator.size) rank\(communicator.size == 1 ? "" : "s")")
            print(KernelVariant.summary)
        }
        return rate[0]
    }

    /// `--exact`: the exact path next to the Monte Carlo path, one process.
    func measureExact(data: BitMatrix?) throws {
        var configurations = ExactStepBenchmark.standardConfigurations
        if let n { configurations = try sizes(n).map { size in
            configurations.first { $0.nQubits == size } ?? ExactStepBenchmark.Configuration(nQubits: size, maxWeight: 2, sigmas: [1, 2])
        } }
        let rows = try ExactStepBenchmark.run(configurations, data: data, warmup: warmup, repetitions: repetitions,
                                              denseLimit: denseLimit, progress: { writeToStandardError($0 + "\n") })
        print(ExactStepBenchmark.table(rows), terminator: "")
    }
}
