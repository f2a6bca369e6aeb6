import Foundation

/// Counts the flops and wall seconds of every `BLAS.gemm` call while enabled (`iqp bench`
/// reports the GEMM parts' achieved GFLOP/s). Disabled, a call costs one lock round trip.
public final class GEMMMeter: @unchecked Sendable {
    // Safe: every stored property is read and written only while holding `lock`.
    public static let shared = GEMMMeter()

    private let lock = NSLock()
    private var enabled = false
    private var flops = 0.0
    private var seconds = 0.0

    /// Totals since the last `start()`.
    public struct Reading: Sendable, Equatable {
        public var flops: Double
        public var seconds: Double
        public var gflopsPerSecond: Double { seconds > 0 ? flops / seconds / 1e9 : 0 }
    }

    /// Clears the totals and starts counting.
    public func start() { lock.withLock { enabled = true; flops = 0; seconds = 0 } }

    /// Stops counting and returns the totals.
    @discardableResult
    public func stop() -> Reading {
        lock.withLock { enabled = false; return Reading(flops: flops, seconds: seconds) }
    }

    /// Runs `body` (one GEMM of `flops` flops), timing it when counting.
    @inlinable
    public func measure(flops f: Double, _ body: () -> Void) {
        guard isEnabled else { body(); return }
        let t0 = DispatchTime.now().uptimeNanoseconds
        body()
        record(flops: f, seconds: Double(DispatchTime.now().uptimeNanoseconds - t0) * 1e-9)
    }

    @usableFromInline var isEnabled: Bool { lock.withLock { enabled } }

    @usableFromInline func record(flops f: Double, seconds s: Double) {
        lock.withLock { if enabled { flops += f; seconds += s } }
    }
}
