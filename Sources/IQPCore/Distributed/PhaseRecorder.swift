import Synchronization

/// Where a training step reports the wall time of its phases (`Phase`), so that timing stays out
/// of the math's signatures (as Horovod keeps the user's loop clean): `MMDObjective` and the
/// `OptimizerStep` report to the recorder they were made with, `Trainer` restarts it before
/// the first step and reads it after the last (`Trainer.Result.timings`, the `--timings` file).
public final class PhaseRecorder: Sendable {
    private let timer = Mutex(PhaseTimer())

    public init() {}

    /// Runs `body` and adds its wall time to `phase`.
    public func measure<T>(_ phase: Phase, _ body: () throws -> T) rethrows -> T {
        let begin = Stopwatch()
        defer {
            let elapsed = begin.seconds
            timer.withLock { $0.add(elapsed, to: phase) }
        }
        return try body()
    }

    /// The seconds and reports per phase so far, and the total since the last `restart`.
    public var timings: PhaseTimer { timer.withLock { $0 } }

    /// Forgets what was recorded: the total counts from now.
    public func restart() { timer.withLock { $0 = PhaseTimer() } }

    /// Ends the total now (`PhaseTimer.stop`).
    public func stop() { timer.withLock { $0.stop() } }
}
