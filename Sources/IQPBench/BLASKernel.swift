import COpenBLAS
import Foundation

/// Which OpenBLAS kernel family this process runs, and whether the CPU could run a faster one.
///
/// OpenBLAS built with DYNAMIC_ARCH (Debian's) picks its kernels at load time from the CPU it
/// recognises, or from `OPENBLAS_CORETYPE`. On a CPU newer than the library it can fall back to
/// generic kernels several times slower (docs/performance.md, "The BLAS kernel"); this type
/// says so on the first lines of `iqp info`, `iqp train` and `iqp bench`. `iqp blas` measures
/// every kernel family in a child process and recommends one.
public struct BLASKernel: Sendable, Equatable {
    /// `openblas_get_config()`, e.g. "OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH NO_AFFINITY Haswell MAX_THREADS=64".
    public var config: String
    /// `openblas_get_corename()`, e.g. "Haswell".
    public var core: String
    /// The value of OPENBLAS_CORETYPE in this process's environment, if set.
    public var forcedCoreType: String?
    /// The CPU's model name (/proc/cpuinfo), if known.
    public var cpuModel: String?
    /// The vector extensions the CPU reports that decide the kernel family (avx, avx2, fma, avx512f, …).
    public var cpuFeatures: [String]
    /// The library the products actually go to, when it is not OpenBLAS (BLIS by LD_PRELOAD).
    public var provider: BLASProvider?

    public init(config: String, core: String, forcedCoreType: String?, cpuModel: String?, cpuFeatures: [String],
                provider: BLASProvider? = nil) {
        self.config = config; self.core = core; self.forcedCoreType = forcedCoreType
        self.cpuModel = cpuModel; self.cpuFeatures = cpuFeatures; self.provider = provider
    }

    /// The kernel of this process.
    public static var current: BLASKernel {
        let cpu = CPUDescription.read()
        return BLASKernel(config: String(cString: openblas_get_config()), core: String(cString: openblas_get_corename()),
                          forcedCoreType: ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"],
                          cpuModel: cpu.model, cpuFeatures: cpu.features,
                          provider: BLASProvider.current.flatMap { $0.isBLIS ? $0 : nil })
    }

    /// The kernels the products run: "BLIS-zen3" under BLIS, else OpenBLAS's core name.
    public var kernelName: String { provider?.blisArch.map { "BLIS-" + $0 } ?? core }

    /// Kernel families by the widest vector instructions they use: 1 SSE, 2 AVX, 3 AVX2 + FMA, 4 AVX-512.
    public static func tier(ofCore name: String) -> Int {
        switch name.lowercased() {
        case "sandybridge": 2
        case "haswell", "zen", "excavator", "steamroller": 3
        case "skylakex", "cooperlake", "sapphirerapids": 4
        default: 1
        }
    }

    /// The most capable OpenBLAS 0.3.21 kernel family this CPU's features allow (nil when unknown).
    public var capableCore: String? {
        let f = Set(cpuFeatures)
        if f.isSuperset(of: ["avx512f", "avx512bw", "avx512vl", "avx512dq"]) {
            return f.contains("avx512_bf16") ? "Cooperlake" : "SkylakeX"
        }
        if f.isSuperset(of: ["avx2", "fma"]) { return "Haswell" }
        if f.contains("avx") { return "Sandybridge" }
        return cpuFeatures.isEmpty ? nil : "Prescott"
    }

    /// One line: library, kernel, how it was chosen, and the CPU.
    public var summary: String {
        let version = config.split(separator: " ").prefix(2).joined(separator: " ")
        let how = forcedCoreType.map { "forced by OPENBLAS_CORETYPE=\($0)" } ?? "chosen by OpenBLAS"
        let cpu = (cpuModel ?? "unknown CPU") + (cpuFeatures.isEmpty ? "" : " (" + cpuFeatures.joined(separator: " ") + ")")
        if let provider, let arch = provider.blisArch {
            return "BLIS \(provider.blisVersion ?? "") (\(provider.path), in front of \(version)), kernels \(arch) "
                + "(chosen by BLIS from the CPU's features); CPU \(cpu)"
        }
        return "\(version), core \(core) (\(how)); CPU \(cpu)"
    }

    /// A warning when the kernel in use is of a lower family than the CPU allows, else nil.
    public var warning: String? {
        if let arch = provider?.blisArch {
            return arch == "generic" ? "BLIS runs its generic kernels on this CPU: matrix products may be several times slower." : nil
        }
        guard let capable = capableCore, BLASKernel.tier(ofCore: core) < BLASKernel.tier(ofCore: capable) else { return nil }
        return "OpenBLAS runs its \(core) kernels, but this CPU can run \(capable)-class kernels: matrix products may be "
            + "several times slower. Run `iqp blas` to measure the kernel families and set OPENBLAS_CORETYPE "
            + "(docs/performance.md, \"The BLAS kernel\")."
    }
}
