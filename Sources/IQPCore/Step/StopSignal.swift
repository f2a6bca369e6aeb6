/// What root decides after a step, sent to every rank with the new parameters. The cases are
/// in the order in which one overrides another: diverged > converged > stop requested >
/// proceed (a converged run ends normally even when a stop was also asked for).
public enum StopSignal: Int, Sendable, Comparable, CaseIterable {
    case proceed
    /// A rank was asked to stop (`StopRequest`: SIGTERM, SIGUSR1); root wrote a checkpoint.
    case stopRequested
    /// The convergence rule (`TrainingOptions.convergenceRule`) was met.
    case converged
    /// The loss or the parameters are NaN or infinite.
    case diverged

    public static func < (a: StopSignal, b: StopSignal) -> Bool { a.rawValue < b.rawValue }

    /// `.diverged` when `params` holds a NaN or an infinity, else `.proceed`.
    static func checking(_ params: [Double]) -> StopSignal {
        params.allSatisfy(\.isFinite) ? .proceed : .diverged
    }

    /// The one that overrides the other.
    func raised(to other: StopSignal) -> StopSignal { max(self, other) }
}
