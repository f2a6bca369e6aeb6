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
/// root's stop decision on every rank. `Trainer` runs one per step; `RootAdam` is today's,
/// and a sharded optimizer (reduce-scatter of the gradient, Adam on each rank's slice of θ,
/// allgather of θ) is another implementation of the same piece.
public protocol OptimizerStep {
    /// Adam's moments and step count as a checkpoint stores them (complete on root).
    var state: Adam.State { get }
    /// Collective: every rank takes root's θ (before the first step).
    mutating func synchronize(_ params: inout [Double], timer: inout PhaseTimer)
    /// Collective: one update of θ. `decide` runs on root with the complete evaluation, the
    /// updated θ and the optimizer state (for the loss log and checkpoints) and returns the
    /// stop signal, which every rank receives and returns.
    mutating func step(_ params: inout [Double], contribution: MMDObjective.Contribution, timer: inout PhaseTimer,
                       decide: (MMDObjective.Evaluation, [Double], Adam.State) throws -> StopSignal) rethrows -> StopSignal
}

/// Reduce to root, Adam on root (it alone holds the optimizer state), broadcast [θ | stop].
/// The reduction carries the loss per σ with the gradient (`StepTotals`), so a step has one
/// reduction and one broadcast.
public struct RootAdam: OptimizerStep {
    public let adam: Adam
    public let communicator: Communicator
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
                              decide: (MMDObjective.Evaluation, [Double], Adam.State) throws -> StopSignal)
        rethrows -> StopSignal {
        var share = contribution
        timer.measure(.reductions) { communicator.reduceSum(&share.totals.values, root: 0) }
        var signal = StopSignal.proceed
        if communicator.isRoot {
            let evaluation = MMDObjective.Evaluation(reduced: share)
            timer.measure(.optimizer) { adam.update(&params, gradient: evaluation.gradient, state: &state) }
            signal = try decide(evaluation, params, state)
        }
        return broadcast(&params, signal: signal, timer: &timer)
    }

    /// Root's [θ | signal] to every rank.
    private func broadcast(_ params: inout [Double], signal: StopSignal, timer: inout PhaseTimer) -> StopSignal {
        var buffer = params + [signal.rawValue]
        timer.measure(.broadcast) { communicator.broadcast(&buffer, root: 0) }
        params = Array(buffer[0..<params.count])
        return StopSignal(rawValue: buffer[params.count]) ?? .diverged
    }
}
