import Foundation

/// Work buffers that outlive one training step: a buffer taken from the pool goes back to it
/// when its last user lets go (`ScratchBuffer.deinit`), and the next step takes it again, so
/// the large per-step matrices (σ(Z)ᵀ, J_U, cos φ, sin φ, M, C) are allocated once instead of
/// being mapped, faulted in and zeroed on every step.
///
/// Buffers are raw, 64-byte aligned and not cleared: every user writes what it reads.
/// Thread-safe (one lock around the free list); an estimator and its copies share one pool.
public final class ScratchPool: @unchecked Sendable {
    // Safe: `free` and `held` are only touched while holding `lock`.
    private let lock = NSLock()
    private var free: [UnsafeMutableRawBufferPointer] = []
    private var held = 0
    /// Free buffers kept at most (the largest are kept when there are more).
    static let maximumFree = 24

    public init() {}

    deinit { for b in free { b.deallocate() } }

    /// A buffer of at least `count` elements of `T`: the smallest free one that fits, else a new
    /// one rounded up by 1/16 so that slightly larger requests on later steps still fit.
    public func take<T>(_ type: T.Type, count: Int) -> ScratchBuffer<T> {
        let bytes = max(64, count * MemoryLayout<T>.stride)
        let raw: UnsafeMutableRawBufferPointer = lock.withLock {
            var best: Int?
            for (i, b) in free.enumerated() where b.count >= bytes && b.count <= 4 * bytes + (1 << 20) {
                if best == nil || b.count < free[best!].count { best = i }
            }
            if let best { held += free[best].count; return free.remove(at: best) }
            let rounded = (bytes + bytes / 16 + 63) & ~63
            held += rounded
            return UnsafeMutableRawBufferPointer.allocate(byteCount: rounded, alignment: 64)
        }
        return ScratchBuffer(raw: raw, count: count, pool: self)
    }

    /// Bytes currently handed out (for tests and the benchmark's memory notes).
    public var bytesInUse: Int { lock.withLock { held } }

    fileprivate func give(_ raw: UnsafeMutableRawBufferPointer) {
        lock.withLock {
            held -= raw.count
            free.append(raw)
            if free.count > ScratchPool.maximumFree {
                free.sort { $0.count > $1.count }
                free.removeLast().deallocate()
            }
        }
    }
}

/// One buffer of `count` elements from a `ScratchPool`, returned to it on deinit.
public final class ScratchBuffer<T>: @unchecked Sendable {
    // Safe: the memory belongs to this object alone until deinit hands it back; users write
    // disjoint ranges from parallel loops, as with any buffer.
    public let pointer: UnsafeMutablePointer<T>
    public let count: Int
    private let raw: UnsafeMutableRawBufferPointer
    private let pool: ScratchPool

    fileprivate init(raw: UnsafeMutableRawBufferPointer, count: Int, pool: ScratchPool) {
        self.raw = raw
        self.count = count
        self.pool = pool
        self.pointer = raw.baseAddress!.bindMemory(to: T.self, capacity: count)
    }

    deinit { pool.give(raw) }

    /// Sets every element to `value`.
    public func fill(_ value: T) { pointer.update(repeating: value, count: count) }

    public var buffer: UnsafeMutableBufferPointer<T> { UnsafeMutableBufferPointer(start: pointer, count: count) }
}
