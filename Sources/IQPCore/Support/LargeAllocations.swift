#if canImport(Glibc)
import Glibc
#endif

/// Keeps freed large blocks in the process for the next step instead of returning them to the
/// operating system.
///
/// glibc serves every allocation above 32 MiB with its own `mmap` and unmaps it on `free`. At
/// n = 10,000 a training step allocates several 50-million-entry vectors (400 MB each: the
/// generator gradient, the packed reduction buffer, the reduced gradient), so every step
/// faulted about 2 GB back in page by page, each page zeroed by the kernel: 2.1 s of a 4.0 s
/// step (docs/performance.md, "n = 10,000"). With mmap off and no trimming, those blocks come
/// from the heap and are reused by the next step; the peak resident memory is the same, it is
/// just not given back between steps. The long-running sampler service does not call this.
public enum LargeAllocations {
    /// Applies the setting to this process through glibc's `mallopt` (looked up at run time:
    /// Swift's Glibc module does not import <malloc.h>; elsewhere it does nothing). Returns
    /// whether it took effect.
    @discardableResult
    public static func keepInProcess() -> Bool {
        #if canImport(Glibc)
        // <malloc.h>: M_TRIM_THRESHOLD = -1, M_MMAP_MAX = -4 (glibc's ABI).
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        guard let handle = dlopen(nil, RTLD_NOW), let symbol = dlsym(handle, "mallopt") else { return false }
        let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
        return mallopt(-4, 0) == 1 && mallopt(-1, Int32.max) == 1
        #else
        return false
        #endif
    }
}
