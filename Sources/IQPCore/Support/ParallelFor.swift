import Dispatch
import Foundation

/// The project's one parallel loop: runs `body` over contiguous sub-ranges of 0..<count, each
/// at least `minimumChunk` items long, on at most `ProcessInfoCache.threadCount` threads at once
/// (`IQP_NUM_THREADS=1` runs every chunk on the calling thread). `body` must only write
/// disjoint memory for different ranges.
///
/// The chunks (up to 4 per thread) are handed out one at a time to the threads, so a slow core
/// delays one chunk, not a whole share of the loop.
public func parallelFor(_ count: Int, minimumChunk: Int = 1, _ body: (Range<Int>) -> Void) {
    parallelFor(count, minimumChunk: minimumChunk, chunksPerThread: 4, minimumChunks: 1, isCancelled: { false }, body)
}

/// `parallelFor` that stops handing out chunks once `isCancelled()` returns true (it is asked
/// before every chunk). At least 64 chunks, and none longer than `maximumChunk` items, so a
/// stop waits for about 1/64 of the loop at most (or one `maximumChunk`).
public func parallelFor(_ count: Int, minimumChunk: Int = 1, maximumChunk: Int = .max, isCancelled: () -> Bool,
                        _ body: (Range<Int>) -> Void) {
    let needed = count / max(1, maximumChunk) + (count % max(1, maximumChunk) == 0 ? 0 : 1)
    parallelFor(count, minimumChunk: minimumChunk, chunksPerThread: 4, minimumChunks: max(64, needed),
                isCancelled: isCancelled, body)
}

func parallelFor(_ count: Int, minimumChunk: Int, chunksPerThread: Int, minimumChunks: Int,
                 isCancelled: () -> Bool, _ body: (Range<Int>) -> Void) {
    guard count > 0 else { return }
    let threads = ProcessInfoCache.threadCount
    let chunks = max(1, min(max(threads * chunksPerThread, minimumChunks), count / max(1, minimumChunk)))
    @Sendable func range(_ c: Int) -> Range<Int> { (count * c / chunks)..<(count * (c + 1) / chunks) }
    if chunks == 1 || threads == 1 {
        for c in 0..<chunks {
            if c > 0 && isCancelled() { return }
            body(range(c))
        }
        return
    }
    // Each chunk is claimed by exactly one thread and the chunks write disjoint memory (the
    // caller's contract), so sharing `body` across the threads is safe although the closure
    // type is not Sendable.
    withoutActuallyEscaping(body) { body in
        withoutActuallyEscaping(isCancelled) { isCancelled in
            let shared = UncheckedSendableBox((body, isCancelled))
            let next = ChunkCounter()
            DispatchQueue.concurrentPerform(iterations: min(threads, chunks)) { _ in
                let (body, isCancelled) = shared.value
                while let c = next.claim(below: chunks) {
                    if c > 0 && isCancelled() { return }
                    body(range(c))
                }
            }
        }
    }
}

/// How many threads the project's own parallel loops use (read once): `IQP_NUM_THREADS` if
/// set, else `OPENBLAS_NUM_THREADS` (so one setting per rank covers BLAS and our loops, as the
/// launch scripts do under MPI), else the number of online cores.
public enum ProcessInfoCache {
    public static let threadCount: Int = {
        let env = ProcessInfo.processInfo.environment
        for key in ["IQP_NUM_THREADS", "OPENBLAS_NUM_THREADS"] {
            if let text = env[key], let n = Int(text), n >= 1 { return n }
        }
        return max(1, sysconfActiveProcessors())
    }()
}

/// A raw pointer handed to the chunks of `parallelFor`.
///
/// `@unchecked Sendable` because the pointer itself is not: it is safe here because every user
/// writes disjoint index ranges from different chunks (documented at each call site), and the
/// buffer outlives the loop that uses it.
public struct SharedPointer<T>: @unchecked Sendable {
    public let base: UnsafeMutablePointer<T>
    @inlinable public init(_ base: UnsafeMutablePointer<T>) { self.base = base }
}

/// Carries a value into a `@Sendable` closure where the caller guarantees safe use.
struct UncheckedSendableBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

/// The next unclaimed chunk index. `@unchecked Sendable`: `next` is only touched under `lock`.
final class ChunkCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0

    func claim(below end: Int) -> Int? {
        lock.withLock {
            guard next < end else { return nil }
            defer { next += 1 }
            return next
        }
    }
}

#if canImport(Glibc)
import Glibc
@usableFromInline func sysconfActiveProcessors() -> Int { Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))) }
#elseif canImport(Darwin)
import Darwin
@usableFromInline func sysconfActiveProcessors() -> Int { Int(sysconf(_SC_NPROCESSORS_ONLN)) }
#endif
