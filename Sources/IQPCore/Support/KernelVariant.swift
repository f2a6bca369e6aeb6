import CIQPKernels
import Foundation

/// The instruction-set variant of the hot inner loops (the C target `CIQPKernels`: the fast
/// path's pair loops, sin/cos, the data term's popcounts).
///
/// The Swift code is built for the baseline of its architecture; the loops that dominate a step
/// are compiled in C once per level and one is chosen when the process first runs one: on
/// x86-64 the highest of `x86-64-v4` (AVX-512), `x86-64-v3` (AVX2, FMA, POPCNT, BMI2) and
/// `baseline` (SSE2) that the CPU runs; elsewhere `baseline` (the architecture's default).
/// `IQP_KERNELS=baseline|x86-64-v3|x86-64-v4|auto` forces one. The variants compute the same
/// sums in the same order and differ only by rounding (the vector variants fuse a·b + c).
public enum KernelVariant: Int32, CaseIterable, Sendable, CustomStringConvertible {
    case baseline = 0
    case x86_64_v3 = 1
    case x86_64_v4 = 2

    /// The environment variable that forces a variant.
    public static let environmentVariable = "IQP_KERNELS"

    /// The variant in use (chosen on first use from `IQP_KERNELS` and the CPU).
    public static var active: KernelVariant { KernelVariant(rawValue: iqp_kernels_active()) ?? .baseline }

    /// The highest variant this CPU runs.
    public static var best: KernelVariant { KernelVariant(rawValue: iqp_kernels_best_supported()) ?? .baseline }

    /// The variants this build has and this CPU runs, lowest first.
    public static var supported: [KernelVariant] { allCases.filter(\.isSupported) }

    /// Whether this build has the variant and this CPU runs it.
    public var isSupported: Bool { iqp_kernels_supported(rawValue) != 0 }

    /// "baseline", "x86-64-v3", "x86-64-v4" (the `IQP_KERNELS` values).
    public var description: String { String(cString: iqp_kernels_name(rawValue)) }

    /// The instruction-set extensions the variant uses ("" for the baseline).
    public var features: String { String(cString: iqp_kernels_features(rawValue)) }

    /// Makes `variant` the one in use for the whole process (tests and benchmarks compare
    /// variants in one process); returns false, changing nothing, when the CPU cannot run it.
    @discardableResult
    public static func select(_ variant: KernelVariant) -> Bool { iqp_kernels_select(variant.rawValue) == 0 }

    /// Reads `IQP_KERNELS` and selects that variant (unset, empty or `auto`: the best the CPU
    /// runs). Throws one line for an unknown name or a variant this CPU cannot run.
    public static func selectFromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        let text = environment[environmentVariable] ?? ""
        let code = iqp_kernels_parse(text)
        guard let variant = KernelVariant(rawValue: code) else {
            throw IQPError("\(environmentVariable)=\(text): not a kernel variant (use baseline, x86-64-v3, x86-64-v4 or auto)")
        }
        guard select(variant) else {
            throw IQPError("\(environmentVariable)=\(text): this CPU does not run the \(variant) kernels "
                           + "(it runs \(supported.map(\.description).joined(separator: ", ")))")
        }
    }

    /// One line for `iqp info` and `iqp bench`, e.g. "kernels x86-64-v3 (avx2 fma popcnt bmi2),
    /// chosen at run time; IQP_KERNELS=baseline forces the baseline".
    public static var summary: String {
        let v = active
        let name = v.features.isEmpty ? "kernels \(v)" : "kernels \(v) (\(v.features))"
        if let forced = ProcessInfo.processInfo.environment[environmentVariable], !forced.isEmpty, forced != "auto" {
            return "\(name), forced by \(environmentVariable)=\(forced)"
        }
        return "\(name), chosen at run time; \(environmentVariable)=baseline forces the baseline"
    }
}
