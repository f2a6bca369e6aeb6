import ArgumentParser
import Foundation
import IQPBench
import IQPCore

/// `iqp blas`: which OpenBLAS kernel this process runs, and a measured choice among all of them.
struct BLASCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "blas",
        abstract: "Check and time every OpenBLAS kernel family on this CPU and recommend OPENBLAS_CORETYPE.",
        discussion: """
        OpenBLAS picks its kernels when it loads, from the CPU it recognises or from \
        OPENBLAS_CORETYPE; on a CPU newer than the library it may fall back to kernels several \
        times slower. This command runs each kernel family in a child process (a family the \
        CPU cannot run crashes there, not here): dgemm and sgemm are checked against a plain \
        reference on odd sizes and every transpose, then timed on SIZE³ products with \
        --threads BLAS threads. It prints one line per family and the fastest correct one (the \
        highest dgemm rate; within 5% of it, the highest sgemm rate). \
        Rounds alternate the families so that all of them see the same machine load. \
        When Debian's BLIS is installed (libblis-dev), it is checked and timed too, preloaded in \
        front of OpenBLAS in its child (BLIS picks its kernels from the CPU's features), and \
        named when it is faster; --choose picks among the OpenBLAS families only.
        Use the result for every rank of a job: `export OPENBLAS_CORETYPE=$(iqp blas --choose)`; \
        launch/one-node and cluster/slurm.sbatch pass OPENBLAS_CORETYPE to every rank (see \
        docs/performance.md, "The BLAS kernel").
        """)

    @Flag(help: "Print only the recommended kernel family (for scripts).")
    var choose = false
    @Option(help: "Matrix size of the timed products.")
    var size: Int = 1000
    @Option(help: "BLAS threads in each child (1: the per-rank setting under MPI).")
    var threads: Int = 1
    @Option(help: "Rounds over all families (the best rate of each is kept).")
    var rounds: Int = 2
    @Option(help: "Seconds a child may run before it counts as hung.")
    var timeout: Double = 120
    @Flag(help: ArgumentHelp("Run the check with this process's kernels and print one line (used by the parent).", visibility: .hidden))
    var child = false

    func validate() throws {
        guard size >= 64 else { throw ValidationError("--size must be at least 64") }
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
        guard rounds >= 1 else { throw ValidationError("--rounds must be at least 1") }
    }

    func run() throws {
        if child {
            print(BLASSelfTest.run(size: size).line)
            return
        }
        let kernel = BLASKernel.current
        if !choose {
            print("BLAS of this process: \(kernel.summary)")
            if let warning = kernel.warning { print("warning: \(warning)") }
            print("checking and timing \(BLASSelfTest.candidates.count) kernel families, \(size)³, "
                  + "\(threads) BLAS thread\(threads == 1 ? "" : "s"), \(rounds) round\(rounds == 1 ? "" : "s")…")
        }
        // Debian's BLIS, when installed, is measured beside them (preloaded in its child).
        let blis = BLASProvider.installedBLIS()
        let order = BLASSelfTest.candidates + (blis == nil ? [] : ["BLIS"])
        var outcomes: [String: BLASChildOutcome] = [:]
        for _ in 0..<rounds {
            for core in order {
                let next = BLASChildOutcome.run(core: core, preload: core == "BLIS" ? blis : nil, size: size, threads: threads,
                                                timeout: timeout)
                outcomes[core] = outcomes[core].map { $0.best(with: next) } ?? next
            }
        }
        let blisOutcome = outcomes.removeValue(forKey: "BLIS")
        let chosen = BLASChildOutcome.fastest(outcomes)
        if choose {
            guard let chosen else { throw ValidationError("no kernel family passed the check") }
            print(chosen)
            return
        }
        print(BLASChildOutcome.table(outcomes.merging(blisOutcome.map { ["BLIS": $0] } ?? [:]) { a, _ in a }, order: order),
              terminator: "")
        if blis == nil { print("BLIS: not installed (Debian: apt-get install libblis-dev), not measured") }
        guard let chosen, let best = outcomes[chosen]?.result else {
            print("no kernel family passed the check: keep OpenBLAS's own choice")
            return
        }
        if let blis, let b = blisOutcome?.result, b.correct, b.dgemmGflops > 1.05 * best.dgemmGflops {
            print(String(format: "BLIS is faster here (dgemm %.1f against %.1f GFLOP/s): to use it, ", b.dgemmGflops, best.dgemmGflops)
                  + "export LD_PRELOAD=\(blis) BLIS_NUM_THREADS=\(threads) (docs/performance.md, \"The BLAS kernel\")")
        }
        let current = outcomes[kernel.core]?.result?.dgemmGflops
        let gain = current.map { String(format: ", %.2fx", best.dgemmGflops / $0) + " the dgemm of this process's \(kernel.core) kernels" } ?? ""
        print("fastest correct: \(chosen) (" + String(format: "dgemm %.1f GFLOP/s, sgemm %.1f GFLOP/s", best.dgemmGflops, best.sgemmGflops)
              + gain + ")")
        print("use it on every rank: export OPENBLAS_CORETYPE=\(chosen)")
    }
}

/// What one child of `iqp blas` did: a result line, or how it failed.
struct BLASChildOutcome {
    var result: BLASSelfTest.Result?
    var failure: String?

    /// Runs `iqp blas --child` with OPENBLAS_CORETYPE=core, or with the library `preload` in
    /// front of OpenBLAS (BLIS; MPI variables removed).
    static func run(core: String, preload: String? = nil, size: Int, threads: Int, timeout: Double) -> BLASChildOutcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/proc/self/exe")
        if !FileManager.default.fileExists(atPath: "/proc/self/exe") {
            process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
        }
        process.arguments = ["blas", "--child", "--size", "\(size)"]
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("OMPI_") && !$0.key.hasPrefix("PMIX_") }
        environment["OPENBLAS_CORETYPE"] = preload == nil ? core : nil
        environment["LD_PRELOAD"] = preload
        environment["OPENBLAS_NUM_THREADS"] = "\(threads)"
        environment["BLIS_NUM_THREADS"] = "\(threads)"
        environment["OPENBLAS_VERBOSE"] = nil
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return BLASChildOutcome(failure: "could not start: \(error)") }
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning { process.terminate(); process.waitUntilExit(); return BLASChildOutcome(failure: "hung") }
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        if process.terminationReason == .uncaughtSignal {
            let name = process.terminationStatus == SIGILL ? "SIGILL" : "signal \(process.terminationStatus)"
            return BLASChildOutcome(failure: "crashed (\(name))")
        }
        guard process.terminationStatus == 0, let line = text.split(separator: "\n").last,
              let result = BLASSelfTest.Result(line: String(line)) else {
            return BLASChildOutcome(failure: "failed (exit \(process.terminationStatus))")
        }
        if preload != nil ? !result.core.hasPrefix("BLIS-") : result.core.lowercased() != core.lowercased() {
            return BLASChildOutcome(failure: "not in this OpenBLAS (it ran \(result.core))")
        }
        return BLASChildOutcome(result: result)
    }

    /// The faster of two measurements of one family; any failure wins (a family must pass every round).
    func best(with other: BLASChildOutcome) -> BLASChildOutcome {
        guard let a = result, let b = other.result else { return failure != nil ? self : other }
        var r = a
        r.dgemmGflops = max(a.dgemmGflops, b.dgemmGflops); r.sgemmGflops = max(a.sgemmGflops, b.sgemmGflops)
        r.doubleError = max(a.doubleError, b.doubleError); r.singleError = max(a.singleError, b.singleError)
        return BLASChildOutcome(result: r)
    }

    /// The correct family with the highest dgemm rate; among those within 5% of it (the noise of
    /// a shared machine), the one with the highest sgemm rate.
    static func fastest(_ outcomes: [String: BLASChildOutcome]) -> String? {
        let correct = outcomes.compactMap { core, o in o.result.flatMap { $0.correct ? (core, $0) : nil } }
        guard let top = correct.map({ $0.1.dgemmGflops }).max() else { return nil }
        return correct.filter { $0.1.dgemmGflops >= 0.95 * top }.max { $0.1.sgemmGflops < $1.1.sgemmGflops }?.0
    }

    static func table(_ outcomes: [String: BLASChildOutcome], order: [String]) -> String {
        var lines = ["core            check     dgemm GFLOP/s  sgemm GFLOP/s  max rel. error (f64, f32)"]
        for core in order {
            guard let o = outcomes[core] else { continue }
            let name = (o.result?.core.hasPrefix("BLIS-") == true ? o.result!.core : core).padding(toLength: 16, withPad: " ", startingAt: 0)
            if let r = o.result {
                lines.append(name + (r.correct ? "ok      " : "WRONG   ")
                             + String(format: "%15.1f%15.1f  %.1e, %.1e", r.dgemmGflops, r.sgemmGflops, r.doubleError, r.singleError))
            } else {
                lines.append(name + (o.failure ?? "failed"))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
