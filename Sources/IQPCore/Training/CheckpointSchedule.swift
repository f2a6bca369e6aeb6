/// When and where root writes a checkpoint during a run: the one place that decides it
/// (docs/reliability.md). `Trainer` asks after every step, once every rank knows the step's
/// `StopSignal`, so that all ranks join the gather of the optimizer state together.
public struct CheckpointSchedule: Sendable, Equatable {
    /// The periodic and final checkpoint (`--checkpoint`; nil: none).
    public var path: String?
    /// Steps between periodic checkpoints (0: only the final one).
    public var every: Int
    /// Where the checkpoint goes when a rank asked to stop (nil: `path`).
    public var stopPath: String?

    public init(path: String?, every: Int, stopPath: String?) {
        self.path = path
        self.every = every
        self.stopPath = stopPath
    }

    public init(_ options: TrainingOptions) {
        self.init(path: options.checkpointPath, every: options.checkpointEvery, stopPath: options.stopCheckpointPath)
    }

    /// Where the checkpoint of `completed` steps goes, after a step whose decision is `signal`;
    /// `last`: no step follows (the run's last step, or no step was left to run). nil: none.
    ///
    /// - stop on request: the stop checkpoint (`stopPath`, else `path`);
    /// - diverged: none, so the last checkpoint stays the last good state;
    /// - converged, or the last step: `path`, the final checkpoint;
    /// - otherwise `path` every `every` steps.
    public func path(completed: Int, signal: StopSignal, last: Bool) -> String? {
        switch signal {
        case .stopRequested: return stopPath ?? path
        case .diverged: return nil
        case .converged: return path
        case .proceed: return last || (every > 0 && completed % every == 0) ? path : nil
        }
    }
}
