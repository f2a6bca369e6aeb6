import Foundation
import IQPBench
import IQPCore
import IQPMPI

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

/// `iqp info`: the versions, this job's ranks, the BLAS threads, the CPU target and the inner
/// loops' variant (starts MPI).
enum MachineReport {
    /// The report; `layingOut` is the rank count `iqp info grid --ranks` previews.
    static func lines(layingOut ranks: Int?) -> [String] {
        var lines = VersionReport.lines
        lines.append(rankLine(layingOut: ranks))
        if let warning = BLASKernel.current.warning { lines.append("warning: \(warning)") }
        lines.append("BLAS threads: \(BLAS.threadCount), \(BLASThreading.current) (OPENBLAS_NUM_THREADS=\(ProcessInfo.processInfo.environment["OPENBLAS_NUM_THREADS"] ?? "unset"); use 1 per rank under MPI)")
        let compiled = BuildTarget.compiledFeatures
        let cpu = BuildTarget.cpuFeatures.map { $0.isEmpty ? "none of them" : $0.joined(separator: " ") } ?? "unknown"
        lines.append("CPU target: Swift code built \(compiled.isEmpty ? "for baseline x86-64" : "with " + compiled.joined(separator: " ")); "
                     + "this CPU has \(cpu); \(ProcessInfo.processInfo.activeProcessorCount) cores")
        lines.append("Inner loops: \(KernelVariant.summary)")
        return lines
    }

    /// "ranks: 3 (started by a launcher)", with "; laying out N" for a preview.
    static func rankLine(layingOut ranks: Int?) -> String {
        let launcher = MPIRuntime.isUnderLauncher ? "started by a launcher" : "no launcher: single-process run"
        return "ranks: \(MPIRuntime.world.size) (\(launcher))" + (ranks.map { "; laying out \($0)" } ?? "")
    }
}
