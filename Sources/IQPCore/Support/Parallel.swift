import Dispatch

/// A raw pointer handed to the iterations of `Parallel.forEach`.
///
/// `@unchecked Sendable` because the pointer itself is not: it is safe here because every user
/// writes disjoint index ranges from different iterations (documented at each call site), and
/// the buffer outlives the `concurrentPerform` call that uses it.
public struct SharedPointer<T>: @unchecked Sendable {
    public let base: UnsafeMutablePointer<T>
    @inlinable public init(_ base: UnsafeMutablePointer<T>) { self.base = base }
}

/// CPU parallelism over Dispatch's worker threads (all cores).
public enum Parallel {
    /// Runs `body(i)` for i in 0..<count, in parallel when `parallel` is true (work large
    /// enough to pay for the threads), else in order on the calling thread.
    @inlinable public static func forEach(_ count: Int, parallel: Bool = true, _ body: @Sendable (Int) -> Void) {
        if count <= 0 { return }
        if count == 1 || !parallel {
            for i in 0..<count { body(i) }
        } else {
            DispatchQueue.concurrentPerform(iterations: count, execute: body)
        }
    }

    /// Splits 0..<total into `pieces` contiguous ranges of nearly equal size.
    @inlinable public static func range(_ piece: Int, of pieces: Int, total: Int) -> Range<Int> {
        let lo = total * piece / pieces
        let hi = total * (piece + 1) / pieces
        return lo..<hi
    }
}
