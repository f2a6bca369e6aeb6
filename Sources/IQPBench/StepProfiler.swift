import Foundation
import IQPCore

/// Wall seconds and GEMM flops per `ComputePart` while started (installed as the process's
/// `ComputeProfile` recorder): `iqp bench` reports the GEMM parts' achieved GFLOP/s and, with
/// `--breakdown`, where each step's time goes.
public final class StepProfiler: ComputeRecorder, @unchecked Sendable {
    // Safe: every stored property is read and written only while holding `lock`.
    private let lock = NSLock()
    private var seconds = [Double](repeating: 0, count: ComputePart.allCases.count)
    private var flops = [Double](repeating: 0, count: ComputePart.allCases.count)

    public init() {}

    /// Totals since the last `start()`.
    public struct Reading: Sendable, Equatable {
        /// Seconds per part, indexed by `ComputePart.rawValue`.
        public var seconds: [Double]
        public var gemmFlops: Double
        public var gemmSeconds: Double { seconds[ComputePart.gemm.rawValue] }
        public var gemmGflopsPerSecond: Double { gemmSeconds > 0 ? gemmFlops / gemmSeconds / 1e9 : 0 }
        public subscript(part: ComputePart) -> Double { seconds[part.rawValue] }
    }

    /// Clears the totals and installs this profiler as the process's recorder.
    public func start() {
        lock.withLock {
            seconds = seconds.map { _ in 0 }
            flops = flops.map { _ in 0 }
        }
        ComputeProfile.install(self)
    }

    /// Uninstalls it and returns the totals.
    @discardableResult
    public func stop() -> Reading {
        if ComputeProfile.current === self { ComputeProfile.install(nil) }
        return lock.withLock { Reading(seconds: seconds, gemmFlops: flops[ComputePart.gemm.rawValue]) }
    }

    public func record(_ part: ComputePart, seconds s: Double, flops f: Double) {
        lock.withLock {
            seconds[part.rawValue] += s
            flops[part.rawValue] += f
        }
    }
}
