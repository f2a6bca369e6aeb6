import Foundation

/// Peak resident memory of this process (Linux: VmHWM, reset through /proc/self/clear_refs).
public enum PeakMemory {
    /// Sets the peak to the current resident size (no effect where unsupported).
    public static func reset() {
        if let h = fopen("/proc/self/clear_refs", "w") { fputs("5", h); fclose(h) }
    }

    /// The peak since the last `reset()` (or since the start), nil where unavailable.
    public static func peakBytes() -> Int? { statusField("VmHWM:") }

    /// The current resident size, nil where unavailable.
    public static func residentBytes() -> Int? { statusField("VmRSS:") }

    static func statusField(_ name: String) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix(name) {
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            if parts.count >= 2, let kb = Int(parts[1]) { return kb * 1024 }
        }
        return nil
    }
}
