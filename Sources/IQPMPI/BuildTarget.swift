import CMPI
import Foundation

/// The instruction-set extensions this build was compiled for, and those the running CPU has.
///
/// The compile-time flags are Clang's predefined macros as seen through the CMPI shim, so they
/// follow `-Xswiftc -target-cpu -Xswiftc …` (the default x86-64 target has none of them; `haswell`
/// has all four). A binary built for a newer CPU than the one it runs on dies with SIGILL, so
/// `iqp info` prints both lists.
public enum BuildTarget {
    /// Extensions the compiler was allowed to use, in a fixed order.
    public static var compiledFeatures: [String] {
        var features: [String] = []
        if iqp_built_with_popcnt() != 0 { features.append("popcnt") }
        if iqp_built_with_bmi2() != 0 { features.append("bmi2") }
        if iqp_built_with_avx2() != 0 { features.append("avx2") }
        if iqp_built_with_fma() != 0 { features.append("fma") }
        return features
    }

    /// "baseline x86-64" or "with popcnt bmi2 avx2 fma" (the extensions compiled for).
    public static var summary: String {
        compiledFeatures.isEmpty ? "baseline x86-64" : "with " + compiledFeatures.joined(separator: " ")
    }

    /// Of the same four extensions, those the running CPU reports in `/proc/cpuinfo`
    /// (nil where that file does not exist).
    public static var cpuFeatures: [String]? {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("flags") }),
              let colon = line.firstIndex(of: ":") else { return nil }
        let flags = Set(line[line.index(after: colon)...].split(separator: " ").map(String.init))
        return ["popcnt", "bmi2", "avx2", "fma"].filter(flags.contains)
    }
}
