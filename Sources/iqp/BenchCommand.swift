import ArgumentParser
import Foundation
import IQPCore

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
        is the achieved rate of the BLAS calls inside those steps; "peak RSS" is the process's \
        peak resident memory during them. The dense path runs on a row when its predicted time \
        (from its GEMM flops at the measured dgemm rate) is at most --dense-limit seconds per \
        step. The first line reports the machine's dgemm rate, measured in the same run.
        Default rows: n = 100 and 300 (σ with mean weight 2), 484/784/1000 with the study's σ \
        lists, 2000 and 4000 with the 1000-qubit σ list scaled by sqrt(n/1000). Build with \
        `swift build -c release -Xswiftc -target-cpu -Xswiftc haswell` for the host's vector \
        and popcount instructions (see docs/performance.md).
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
    @Flag(help: "Instead: the exact path (docs/math.md §10) next to the Monte Carlo path auto would take, on blobs-8's model (16 qubits, weight ≤ 6) and weight-≤2 models on 20 and 24 qubits (--n: only these).")
    var exact = false
    @Option(help: "With --exact: data rows for the rows of the same width (CSV/.npy; default random rows).")
    var data: String?

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
        if exact { return try runExact() }
        var configurations = StepBenchmark.standardConfigurations(quick: quick)
        if let n {
            let all = StepBenchmark.standardConfigurations(quick: false)
            configurations = try sizes(n).map { size in
                all.first { $0.nQubits == size }
                    ?? StepBenchmark.Configuration(nQubits: size, sigmas: [StepBenchmark.sigma(meanWeight: 2, nQubits: size)])
            }
        }
        let rate = StepBenchmark.dgemmRate(size: dgemmSize)
        print(String(format: "dgemm %dx%dx%d: %.1f GFLOP/s (%d BLAS threads, %d cores)", dgemmSize, dgemmSize, dgemmSize,
                     rate, BLAS.threadCount, ProcessInfoCache.activeProcessorCount))
        let rows = try StepBenchmark.run(configurations, warmup: warmup, repetitions: repetitions,
                                         denseLimit: denseLimit, dgemmGflops: rate,
                                         progress: { writeToStandardError($0 + "\n") })
        print(StepBenchmark.table(rows), terminator: "")
    }

    func runExact() throws {
        var configurations = ExactStepBenchmark.standardConfigurations
        if let n { configurations = try sizes(n).map { size in
            configurations.first { $0.nQubits == size } ?? ExactStepBenchmark.Configuration(nQubits: size, maxWeight: 2, sigmas: [1, 2])
        } }
        let rows = try ExactStepBenchmark.run(configurations, data: try data.map { try DataFile.read(path: $0) },
                                              warmup: warmup, repetitions: repetitions, denseLimit: denseLimit,
                                              progress: { writeToStandardError($0 + "\n") })
        print("exact path vs Monte Carlo path, one process (\(ProcessInfoCache.activeProcessorCount) cores, \(BLAS.threadCount) BLAS threads)")
        print(ExactStepBenchmark.table(rows), terminator: "")
    }
}
