/// Elapsed wall time from a monotonic clock (Swift's `SuspendingClock`: `CLOCK_MONOTONIC` on
/// Linux), which changes of the system time do not move. The project's one way to time
/// anything: training phases (`PhaseTimer`), the loss log's seconds, the sampler's phases,
/// benchmarks.
///
///     let stopwatch = Stopwatch()
///     work()
///     let seconds = stopwatch.seconds
public struct Stopwatch: Sendable {
    private let start: SuspendingClock.Instant

    /// Starts timing now.
    public init() {
        start = SuspendingClock.now
    }

    /// Seconds since the stopwatch was created.
    public var seconds: Double {
        let elapsed = start.duration(to: SuspendingClock.now).components
        return Double(elapsed.seconds) + Double(elapsed.attoseconds) * 1e-18
    }
}
