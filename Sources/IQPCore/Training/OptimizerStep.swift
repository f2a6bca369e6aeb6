/// What root decides after a step, sent to every rank with the new parameters.
public enum StopSignal: Double, Sendable {
    case proceed = 0
    /// The convergence rule (`--convergence-interval`) was met.
    case converged = 1
    /// The loss or the parameters are NaN or infinite.
    case diverged = 2
    /// A rank was asked to stop (`StopRequest`: SIGTERM, SIGUSR1); root wrote a checkpoint.
    case stopRequested = 3
}

/// The optimizer's part of a training step across the ranks (docs/distributed.md): from every
/// rank's share of the step (`MMDObjective.Contribution`, not yet reduced) to the new θ and
/// root's stop decision on every rank. `Trainer` runs one per step: `RootAdam` (reduce to root,
/// Adam on root, broadcast) or `ShardedAdam` (reduce-scatter of the gradient, Adam on each
/// rank's slice of θ, allgather of θ); both give the same θ (docs/distributed.md, "Optimizer").
public protocol OptimizerStep {
    /// Collective: every rank takes root's θ (before the first step).
    mutating func synchronize(_ params: inout [Double], timer: inout PhaseTimer)
    /// Collective: one update of θ. `decide` runs on root with the step's loss (the evaluation's
    /// `gradient` may be empty: a sharded optimizer never assembles it) and returns the stop
    /// signal; the optimizer raises it to `.diverged` when the new θ is not finite, and every
    /// rank receives and returns it.
    mutating func step(_ params: inout [Double], contribution: MMDObjective.Contribution, timer: inout PhaseTimer,
                       decide: (MMDObjective.Evaluation) throws -> StopSignal) rethrows -> StopSignal
    /// Collective: Adam's moments and step count as a checkpoint stores them, complete on root
    /// (unspecified on the other ranks).
    func gatheredState() -> Adam.State
}

extension StopSignal {
    /// `.diverged` when `params` holds a NaN or an infinity, else `.proceed`.
    static func checking(_ params: [Double]) -> StopSignal {
        params.allSatisfy(\.isFinite) ? .proceed : .diverged
    }

    /// How far the signal overrides others: diverged > converged > stop requested > proceed
    /// (a converged run ends normally even when a stop was also asked for).
    var severity: Int {
        switch self {
        case .proceed: 0
        case .stopRequested: 1
        case .converged: 2
        case .diverged: 3
        }
    }

    /// The more severe of two signals.
    func raised(to other: StopSignal) -> StopSignal { severity >= other.severity ? self : other }
}

/// Reduce to root, Adam on root (it alone holds the optimizer state), broadcast [θ | stop].
/// The reduction carries the loss per σ with the gradient (`StepTotals`), so a step has one
/// reduction and one broadcast.
public struct RootAdam: OptimizerStep {
    public let adam: Adam
    public let communicator: Communicator
    /// Adam's moments and step count (complete on root, unused elsewhere).
    public private(set) var state: Adam.State

    public init(learningRate: Double, state: Adam.State, communicator: Communicator) {
        self.adam = Adam(learningRate: learningRate)
        self.state = state
        self.communicator = communicator
    }

    public mutating func synchronize(_ params: inout [Double], timer: inout PhaseTimer) {
        _ = broadcast(&params, signal: .proceed, timer: &timer)
    }

    public mutating func step(_ params: inout [Double], contribution: MMDObjective.Contribution,
                              timer: inout PhaseTimer,
                              decide: (MMDObjective.Evaluation) throws -> StopSignal) rethrows -> StopSignal {
        var share = contribution
        timer.measure(.reductions) { communicator.reduceSum(&share.totals.values, root: 0) }
        var signal = StopSignal.proceed
        if communicator.isRoot {
            let evaluation = MMDObjective.Evaluation(reduced: share)
            timer.measure(.optimizer) { adam.update(&params, gradient: evaluation.gradient, state: &state) }
            signal = try decide(evaluation).raised(to: .checking(params))
        }
        return broadcast(&params, signal: signal, timer: &timer)
    }

    /// Root holds the whole state: nothing to gather.
    public func gatheredState() -> Adam.State { state }

    /// Root's [θ | signal] to every rank.
    private func broadcast(_ params: inout [Double], signal: StopSignal, timer: inout PhaseTimer) -> StopSignal {
        var buffer = params + [signal.rawValue]
        timer.measure(.broadcast) { communicator.broadcast(&buffer, root: 0) }
        params = Array(buffer[0..<params.count])
        return StopSignal(rawValue: buffer[params.count]) ?? .diverged
    }
}
