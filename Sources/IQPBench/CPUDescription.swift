import Foundation

/// The CPU's model name and vector extensions from /proc/cpuinfo (Linux; empty elsewhere).
public struct CPUDescription: Sendable, Equatable {
    public var model: String?
    public var features: [String]

    /// The extensions that decide BLAS kernels and vector code, in this order when present.
    public static let relevantFeatures = ["avx", "avx2", "fma", "avx512f", "avx512dq", "avx512bw", "avx512vl",
                                          "avx512_bf16", "amx_tile"]

    public static func read(path: String = "/proc/cpuinfo") -> CPUDescription {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return CPUDescription(model: nil, features: []) }
        return parse(text)
    }

    /// The first processor's "model name" and "flags" lines.
    public static func parse(_ cpuinfo: String) -> CPUDescription {
        var model: String?, flags = Set<String>()
        for line in cpuinfo.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon].trimmingCharacters(in: .whitespaces)
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            if key == "model name" && model == nil { model = value }
            if key == "flags" && flags.isEmpty { flags = Set(value.split(separator: " ").map(String.init)) }
        }
        return CPUDescription(model: model, features: relevantFeatures.filter(flags.contains))
    }
}
