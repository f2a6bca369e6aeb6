import Dispatch
import Foundation

/// Runs `body` over contiguous sub-ranges of 0..<count on all cores, in chunks of at least
/// `minimumChunk` items (small loops run inline). `body` must only write disjoint memory.
public func parallelFor(_ count: Int, minimumChunk: Int = 1, _ body: (Range<Int>) -> Void) {
    let threads = ProcessInfoCache.activeProcessorCount
    let chunks = min(threads * 4, max(1, count / max(1, minimumChunk)))
    if chunks <= 1 || count <= 1 {
        if count > 0 { body(0..<count) }
        return
    }
    // The chunks write disjoint memory (the caller's contract), so sharing `body` across
    // the worker threads is safe although the closure type is not Sendable.
    withoutActuallyEscaping(body) { escapable in
        let shared = UncheckedSendableBox(escapable)
        DispatchQueue.concurrentPerform(iterations: chunks) { c in
            let lo = count * c / chunks, hi = count * (c + 1) / chunks
            if lo < hi { shared.value(lo..<hi) }
        }
    }
}

/// Carries a value into a `@Sendable` closure where the caller guarantees safe use.
struct UncheckedSendableBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

/// The number of threads the project's own parallel loops use (read once): `IQP_NUM_THREADS`
/// if set, else `OPENBLAS_NUM_THREADS` (so one setting per rank covers BLAS and our loops, as
/// the launch scripts do under MPI), else the number of online cores.
public enum ProcessInfoCache {
    public static let activeProcessorCount: Int = {
        let env = ProcessInfo.processInfo.environment
        for key in ["IQP_NUM_THREADS", "OPENBLAS_NUM_THREADS"] {
            if let text = env[key], let n = Int(text), n >= 1 { return n }
        }
        return max(1, sysconfActiveProcessors())
    }()
}

#if canImport(Glibc)
import Glibc
@usableFromInline func sysconfActiveProcessors() -> Int { Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))) }
#elseif canImport(Darwin)
import Darwin
@usableFromInline func sysconfActiveProcessors() -> Int { Int(sysconf(_SC_NPROCESSORS_ONLN)) }
#endif
