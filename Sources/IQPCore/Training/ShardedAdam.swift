/// ZeRO-1: the optimizer state sharded over the ranks (docs/distributed.md, "Optimizer").
///
/// Rank r owns the parameters θ[P_r] of the contiguous balanced block P_r = `ProcessGrid.block`
/// (of p parameters over N ranks) and only Adam's m[P_r], v[P_r]. One step:
///
/// 1. reduce-scatter of the step's `StepSums` (`StepExchange.packScattered`): rank r receives
///    the summed gradient on P_r, root (rank 0) also the loss per σ and the stop requests;
/// 2. Adam on the slice (`Adam.update` is element-wise, so the slice's numbers are those of
///    root's update of the whole vector); root runs `decide` with the loss;
/// 3. allgather of [θ[P_r] | decision_r]: every rank assembles θ and takes the most severe
///    decision (root's, or `.diverged` from any rank whose slice is not finite).
///
/// Per rank and step this sends about 2·8p·(N−1)/N bytes against RootAdam's reduce and
/// broadcast trees (8p·⌈log₂ N⌉ each on root's links), and root keeps 16p/N bytes of
/// moments instead of 16p. The checkpoint holds the whole state (`gatheredState`), so a run
/// resumes on any rank count and with either optimizer.
public struct ShardedAdam: OptimizerStep {
    public let adam: Adam
    public let communicator: Communicator
    /// Parameters per rank (the blocks P_0, P_1, …).
    public let counts: [Int]
    /// This rank's block P_rank of θ.
    public let slice: Range<Int>
    /// m[P_rank], v[P_rank] and the step count.
    public private(set) var local: Adam.State
    public let phases: PhaseRecorder

    /// `state`: the whole state (as a checkpoint stores it; nil: zeros), the same on every rank.
    public init(learningRate: Double, parameterCount: Int, state: Adam.State?, communicator: Communicator,
                phases: PhaseRecorder = PhaseRecorder()) {
        let n = communicator.size
        self.phases = phases
        adam = Adam(learningRate: learningRate)
        self.communicator = communicator
        counts = (0..<n).map { ProcessGrid.block(of: parameterCount, parts: n, index: $0).count }
        slice = ProcessGrid.block(of: parameterCount, parts: n, index: communicator.rank)
        if let state {
            precondition(state.m.count == parameterCount && state.v.count == parameterCount)
            local = Adam.State(m: Array(state.m[slice]), v: Array(state.v[slice]), count: state.count)
        } else {
            local = Adam.State(parameterCount: slice.count)
        }
    }

    public mutating func synchronize(_ params: inout [Double]) {
        phases.measure(.broadcast) { communicator.broadcast(&params, root: 0) }
    }

    public mutating func step(_ params: inout [Double], share: MMDObjective.StepShare,
                              decide: (MMDObjective.Evaluation) throws -> StopSignal) rethrows -> StopSignal {
        let exchange = share.exchange
        let (buffer, scatterCounts) = exchange.packScattered(share.sums, blocks: counts)
        let received = phases.measure(.reductions) { communicator.reduceScatterSum(buffer, counts: scatterCounts) }
        let (gradient, sums) = exchange.unpackScattered(received, isRoot: communicator.isRoot)
        var theta = Array(params[slice])
        phases.measure(.optimizer) { adam.update(&theta, gradient: gradient, state: &local) }
        var signal = StopSignal.checking(theta)
        if let sums {
            signal = try decide(MMDObjective.Evaluation(sums: sums, paths: share.paths)).raised(to: signal)
        }
        let all = phases.measure(.broadcast) {
            communicator.allgather(StepExchange.pack(params: theta, signal: signal), counts: counts.map { $0 + 1 })
        }
        let gathered = StepExchange.unpackGathered(all, blocks: counts)
        params = gathered.params
        return gathered.signal
    }

    /// Gathers every rank's m, v on root (blocks padded to the largest, one `gather`).
    public func gatheredState() -> Adam.State {
        let width = counts.max() ?? 0
        let padding = [Double](repeating: 0, count: width - slice.count)
        let all = communicator.gather(local.m + padding + local.v + padding, root: 0)
        guard communicator.isRoot else { return local }
        var m: [Double] = [], v: [Double] = []
        for (rank, count) in counts.enumerated() {
            let base = 2 * width * rank
            m += all[base..<(base + count)]
            v += all[(base + width)..<(base + width + count)]
        }
        return Adam.State(m: m, v: v, count: local.count)
    }
}
