import Foundation

/// The kinds of work inside a training step that `iqp bench --breakdown` reports separately.
public enum ComputePart: Int, CaseIterable, Sendable, CustomStringConvertible {
    /// BLAS matrix products (`BLAS.gemm`), with their flops.
    case gemm
    /// cos φ and sin φ of every (string, sample) pair and the per-string sums of f and f².
    case sinCos
    /// The O(|A|²) per-string loops of the fast path: phases, W, pair sums, M.
    case pairLoops
    /// The data term t_a = Σ_x (−1)^{a·x} over the data rows.
    case dataTerm

    public var description: String {
        switch self {
        case .gemm: "GEMM"
        case .sinCos: "sin/cos"
        case .pairLoops: "pair loops"
        case .dataTerm: "data term"
        }
    }
}

/// Receives the wall seconds (and GEMM flops) of each measured part while installed.
public protocol ComputeRecorder: AnyObject, Sendable {
    func record(_ part: ComputePart, seconds: Double, flops: Double)
}

/// A process-wide hook for a benchmark's recorder (`IQPBench.StepProfiler`): the estimators
/// wrap each stage in `measure`, which costs one lock round trip when nothing is installed.
/// Stages are measured on the calling thread around whole parallel passes, so the parts are
/// wall time and add up to at most the step's wall time.
public enum ComputeProfile {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var recorder: ComputeRecorder?

    /// Installs `r` (nil: none) and returns the previous recorder.
    @discardableResult
    public static func install(_ r: ComputeRecorder?) -> ComputeRecorder? {
        lock.withLock { let old = recorder; recorder = r; return old }
    }

    /// The installed recorder, if any.
    public static var current: ComputeRecorder? { lock.withLock { recorder } }

    /// Runs `body`, recording its wall time (and `flops`) under `part` when a recorder is installed.
    @inlinable
    public static func measure<R>(_ part: ComputePart, flops: Double = 0, _ body: () throws -> R) rethrows -> R {
        guard let r = current else { return try body() }
        let stopwatch = Stopwatch()
        let result = try body()
        r.record(part, seconds: stopwatch.seconds, flops: flops)
        return result
    }
}
