import Dispatch

/// A raw pointer handed to the iterations of `Parallel.forEach`.
///
/// `@unchecked Sendable` because the pointer itself is not: it is safe here because every user
/// writes disjoint index ranges from different iterations (documented at each call site), and
/// the buffer outlives the `concurrentPerform` call that uses it.
@usableFromInline
struct SharedPointer<T>: @unchecked Sendable {
    @usableFromInline let base: UnsafeMutablePointer<T>
    @inlinable init(_ base: UnsafeMutablePointer<T>) { self.base = base }
}

/// CPU parallelism over Dispatch's worker threads (all cores).
enum Parallel {
    /// Runs `body(i)` for i in 0..<count, in parallel when `parallel` is true (work large
    /// enough to pay for the threads), else in order on the calling thread.
    static func forEach(_ count: Int, parallel: Bool = true, _ body: @Sendable (Int) -> Void) {
        if count <= 0 { return }
        if count == 1 || !parallel {
            for i in 0..<count { body(i) }
        } else {
            DispatchQueue.concurrentPerform(iterations: count, execute: body)
        }
    }

    /// Splits 0..<total into `pieces` contiguous ranges of nearly equal size.
    static func range(_ piece: Int, of pieces: Int, total: Int) -> Range<Int> {
        let lo = total * piece / pieces
        let hi = total * (piece + 1) / pieces
        return lo..<hi
    }
}
