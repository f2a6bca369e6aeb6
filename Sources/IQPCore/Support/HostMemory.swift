import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// What the operating system says about memory: the machine's size, what is available to this
/// process now (other processes and the container's limit taken into account), this process's
/// resident set, and a way to hand freed heap memory back.
public enum HostMemory {
    /// Bytes of physical memory of the machine.
    public static var physicalBytes: Int { Int(ProcessInfo.processInfo.physicalMemory) }

    /// Bytes that can be allocated now without swapping: `MemAvailable` of /proc/meminfo (free
    /// memory plus reclaimable caches, after what every other process holds), and no more than
    /// the cgroup's `memory.max` − `memory.current` when this process runs in a limited
    /// container. The physical size where neither can be read (not Linux).
    public static func availableBytes() -> Int {
        var available = meminfoKilobytes("MemAvailable").map { $0 * 1024 } ?? physicalBytes
        if let limit = readInteger("/sys/fs/cgroup/memory.max"),
           let current = readInteger("/sys/fs/cgroup/memory.current") {
            available = min(available, max(0, limit - current))
        }
        return available
    }

    /// Resident set size of this process in bytes (VmRSS of /proc/self/status), nil if unknown.
    public static func residentBytes() -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        return kilobytes(of: "VmRSS", in: text).map { $0 * 1024 }
    }

    /// Makes the C heap give memory back to the system as soon as it is freed: blocks of
    /// `mmapThreshold` bytes and more get their own mappings (returned by `free`) instead of
    /// glibc's default, whose threshold rises after the first large free (up to 32 MiB) so that
    /// freed results would stay in the heap. For long-running processes (`iqp serve`).
    public static func returnLargeBlocksPromptly(mmapThreshold: Int = 256 << 10) {
        typealias MallOpt = @convention(c) (Int32, Int32) -> Int32
        let mmapThresholdParameter: Int32 = -3   // M_MMAP_THRESHOLD of <malloc.h>
        if let mallopt: MallOpt = glibcFunction("mallopt") { _ = mallopt(mmapThresholdParameter, Int32(mmapThreshold)) }
    }

    /// Releases free heap memory at the top of every malloc arena to the system (glibc's
    /// `malloc_trim`); a no-op elsewhere.
    public static func trim() {
        typealias MallocTrim = @convention(c) (Int) -> Int32
        if let trim: MallocTrim = glibcFunction("malloc_trim") { _ = trim(0) }
    }

    /// A function of the C library looked up by name (glibc's <malloc.h> is not in the Glibc
    /// module); nil where the library has none.
    static func glibcFunction<F>(_ name: String) -> F? {
        #if canImport(Glibc)
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), name) else { return nil }
        return unsafeBitCast(symbol, to: F.self)
        #else
        return nil
        #endif
    }

    // MARK: Reading the files

    static func meminfoKilobytes(_ key: String) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8) else { return nil }
        return kilobytes(of: key, in: text)
    }

    /// The number on the line "key:   1234 kB".
    static func kilobytes(of key: String, in text: String) -> Int? {
        for line in text.split(separator: "\n") where line.hasPrefix(key + ":") {
            return line.dropFirst(key.count + 1).split(separator: " ").first.flatMap { Int($0) }
        }
        return nil
    }

    /// A file holding one integer ("max" and unreadable files give nil).
    static func readInteger(_ path: String) -> Int? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        return Int(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
