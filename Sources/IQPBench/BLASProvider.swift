import Foundation

/// The shared library whose `cblas_dgemm` this process calls: OpenBLAS (linked), or another
/// BLAS put in front of it with LD_PRELOAD, e.g. Debian's BLIS (`libblis.so.4`), which picks
/// its kernels from the CPU's features when it loads (docs/performance.md, "The BLAS kernel").
public struct BLASProvider: Sendable, Equatable {
    /// The library's file, as the dynamic linker loaded it.
    public var path: String
    /// BLIS's kernel configuration (`bli_arch_string(bli_arch_query_id())`, e.g. "zen3"); nil for other libraries.
    public var blisArch: String?
    /// BLIS's version (`bli_info_get_version_str()`); nil for other libraries.
    public var blisVersion: String?

    public init(path: String, blisArch: String? = nil, blisVersion: String? = nil) {
        self.path = path; self.blisArch = blisArch; self.blisVersion = blisVersion
    }

    /// Whether the products go to BLIS rather than OpenBLAS.
    public var isBLIS: Bool { blisArch != nil }

    /// The provider of this process, found through the dynamic linker's global lookup (the
    /// order calls resolve in: preloaded libraries first); nil where it cannot be asked.
    public static let current: BLASProvider? = {
        guard let handle = dlopen(nil, RTLD_NOW), let dgemm = dlsym(handle, "cblas_dgemm"),
              // Read to the end: String(contentsOfFile:) stops after one page of a /proc file.
              let bytes = FileHandle(forReadingAtPath: "/proc/self/maps")?.readDataToEndOfFile(),
              case let maps = String(decoding: bytes, as: UTF8.self),
              let path = mappedFile(containing: UInt(bitPattern: dgemm), maps: maps) else { return nil }
        // BLIS's own entry points, from the same library only (OpenBLAS has none).
        guard let library = dlopen(path, RTLD_NOW | RTLD_NOLOAD),
              let query = dlsym(library, "bli_arch_query_id"), let name = dlsym(library, "bli_arch_string") else {
            return BLASProvider(path: path)
        }
        typealias Query = @convention(c) () -> Int32
        typealias Name = @convention(c) (Int32) -> UnsafePointer<CChar>?
        let id = unsafeBitCast(query, to: Query.self)()
        let arch = unsafeBitCast(name, to: Name.self)(id).map { String(cString: $0) } ?? "arch \(id)"
        typealias Version = @convention(c) () -> UnsafePointer<CChar>?
        let version = dlsym(library, "bli_info_get_version_str").flatMap { unsafeBitCast($0, to: Version.self)() }
        return BLASProvider(path: path, blisArch: arch, blisVersion: version.map { String(cString: $0) })
    }()

    /// The file mapped at `address` in a /proc/PID/maps listing ("start-end perms offset dev inode path").
    static func mappedFile(containing address: UInt, maps: String) -> String? {
        for line in maps.split(separator: "\n") {
            let fields = line.split(separator: " ", maxSplits: 5, omittingEmptySubsequences: true)
            let range = fields.first?.split(separator: "-") ?? []
            guard fields.count == 6, range.count == 2, let lo = UInt(range[0], radix: 16), let hi = UInt(range[1], radix: 16),
                  lo <= address, address < hi else { continue }
            return fields[5].trimmingCharacters(in: .whitespaces)
        }
        return nil
    }

    /// The usual place of Debian's BLIS (`libblis-dev`), if installed.
    public static func installedBLIS(candidates: [String] = ["/usr/lib/x86_64-linux-gnu/libblis.so.4",
                                                             "/usr/lib/aarch64-linux-gnu/libblis.so.4",
                                                             "/usr/lib/libblis.so.4"]) -> String? {
        candidates.first { FileManager.default.fileExists(atPath: $0) }
    }
}
