/// The optimizer's part of a training step across the ranks (docs/distributed.md): from every
/// rank's share of the step (`MMDObjective.StepShare`, not yet reduced) to the new θ and root's
/// stop decision on every rank. `Trainer` runs one per step: `RootAdam` (reduce to root, Adam on
/// root, broadcast) or `ShardedAdam` (reduce-scatter of the gradient, Adam on each rank's slice
/// of θ, allgather of θ); both give the same θ (docs/distributed.md, "Optimizer"). The buffers
/// of their collectives are `StepExchange`'s; the wall time of their phases goes to the
/// `PhaseRecorder` they were made with.
public protocol OptimizerStep {
    /// Collective: every rank takes root's θ (before the first step).
    mutating func synchronize(_ params: inout [Double])
    /// Collective: one update of θ. `decide` runs on root with the step's evaluation (its
    /// `gradient` may be empty: a sharded optimizer never assembles it) and returns the stop
    /// signal; the optimizer raises it to `.diverged` when the new θ is not finite, and every
    /// rank receives and returns it.
    mutating func step(_ params: inout [Double], share: MMDObjective.StepShare,
                       decide: (MMDObjective.Evaluation) throws -> StopSignal) rethrows -> StopSignal
    /// Collective: Adam's moments and step count as a checkpoint stores them, complete on root
    /// (unspecified on the other ranks).
    func gatheredState() -> Adam.State
}

/// Reduce to root, Adam on root (it alone holds the optimizer state), broadcast [θ | decision].
/// The reduction carries the loss per σ and the stop requests with the gradient (`StepExchange`),
/// so a step has one reduction and one broadcast.
public struct RootAdam: OptimizerStep {
    public let adam: Adam
    public let communicator: Communicator
    public let phases: PhaseRecorder
    /// Adam's moments and step count (complete on root, unused elsewhere).
    public private(set) var state: Adam.State

    public init(learningRate: Double, state: Adam.State, communicator: Communicator,
                phases: PhaseRecorder = PhaseRecorder()) {
        self.adam = Adam(learningRate: learningRate)
        self.state = state
        self.communicator = communicator
        self.phases = phases
    }

    public mutating func synchronize(_ params: inout [Double]) {
        _ = broadcast(&params, signal: .proceed)
    }

    public mutating func step(_ params: inout [Double], share: MMDObjective.StepShare,
                              decide: (MMDObjective.Evaluation) throws -> StopSignal) rethrows -> StopSignal {
        let exchange = share.exchange
        var buffer = exchange.pack(share.sums)
        phases.measure(.reductions) { communicator.reduceSum(&buffer, root: 0) }
        var signal = StopSignal.proceed
        if communicator.isRoot {
            let evaluation = MMDObjective.Evaluation(sums: exchange.unpack(buffer), paths: share.paths)
            phases.measure(.optimizer) { adam.update(&params, gradient: evaluation.gradient, state: &state) }
            signal = try decide(evaluation).raised(to: .checking(params))
        }
        return broadcast(&params, signal: signal)
    }

    /// Root holds the whole state: nothing to gather.
    public func gatheredState() -> Adam.State { state }

    /// Root's θ and decision to every rank.
    private func broadcast(_ params: inout [Double], signal: StopSignal) -> StopSignal {
        var buffer = StepExchange.pack(params: params, signal: signal)
        phases.measure(.broadcast) { communicator.broadcast(&buffer, root: 0) }
        let received = StepExchange.unpack(buffer, parameterCount: params.count)
        params = received.params
        return received.signal
    }
}
