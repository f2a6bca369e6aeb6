import COpenBLAS
import Foundation
import Synchronization

/// Who runs a large matrix product on several cores.
///
/// OpenBLAS's own worker threads busy-wait (`sched_yield`) for about 2²⁸ cycles (~0.1 s) after
/// every call before they sleep. The fast path runs its own loops (phases, sin/cos, pair sums)
/// between its GEMMs on the same cores, so those spinning threads took half of the cores from
/// them: at n = 1000 the pair loops took 70 ms with OpenBLAS's threads and 42 ms with
/// `OPENBLAS_THREAD_TIMEOUT=4` (docs/performance.md, "One thread pool"). By default (`panels`)
/// the process therefore sets OpenBLAS to one thread and splits each large product into one
/// panel of rows (or columns) of C per thread of `parallelFor`, each a single-threaded BLAS
/// call: one pool of threads for everything. `library` hands the whole product to the BLAS
/// library's own threads (OpenBLAS's behaviour before; `IQP_BLAS_THREADS=library`).
public enum BLASThreading: Int, Sendable, CustomStringConvertible {
    case panels = 0
    case library = 1

    public var description: String { self == .panels ? "panels" : "library" }

    /// The mode in force (from `IQP_BLAS_THREADS`, default `panels`; `iqp bench` switches it to
    /// time both side by side).
    public static var current: BLASThreading {
        get { _ = configured; return BLASThreading(rawValue: mode.load(ordering: .relaxed)) ?? .panels }
        set { _ = configured; apply(newValue) }
    }

    /// Threads that share one product: `parallelFor`'s (IQP_NUM_THREADS / OPENBLAS_NUM_THREADS / cores).
    public static var threads: Int { ProcessInfoCache.threadCount }

    /// Products below this many flops run as one call (splitting costs more than it gains).
    static let minimumSplitFlops = 4.0e6

    private static let mode = Atomic<Int>(0)

    private static let configured: Bool = {
        let text = ProcessInfo.processInfo.environment["IQP_BLAS_THREADS"]
        apply(text == "library" ? .library : .panels)
        return true
    }()

    private static func apply(_ m: BLASThreading) {
        mode.store(m.rawValue, ordering: .relaxed)
        openblas_set_num_threads(Int32(m == .panels ? 1 : threads))
    }

    /// Runs C (m×n) = op(A)·op(B) as `call(rows, columns)` panels, one per thread, where the
    /// larger of m and n is split; `call` gets the panel's row and column ranges of C and must
    /// run a single-threaded product on exactly that block. Small products run in one call.
    static func split(m: Int, n: Int, k: Int, _ call: (Range<Int>, Range<Int>) -> Void) {
        let t = threads
        let flops = 2 * Double(m) * Double(n) * Double(k)
        guard current == .panels, t > 1, flops >= minimumSplitFlops, max(m, n) >= 2 * 16 else {
            call(0..<m, 0..<n); return
        }
        let alongRows = m >= n, length = alongRows ? m : n
        let panels = min(t, length / 16)
        parallelFor(panels, minimumChunk: 1) { ps in
            for p in ps {
                let part = (length * p / panels)..<(length * (p + 1) / panels)
                if alongRows { call(part, 0..<n) } else { call(0..<m, part) }
            }
        }
    }
}
