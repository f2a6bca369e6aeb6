/// ZeRO-1: the optimizer state sharded over the ranks (docs/distributed.md, "Optimizer").
///
/// Rank r owns the parameters θ[P_r] of the contiguous balanced block P_r = `ProcessGrid.block`
/// (of p parameters over N ranks) and only Adam's m[P_r], v[P_r]. One step:
///
/// 1. reduce-scatter of [loss per σ | validation loss per σ | ∂L/∂θ]: rank r receives the summed
///    gradient on P_r, root (rank 0) also the 2K losses in front of its block;
/// 2. Adam on the slice (`Adam.update` is element-wise, so the slice's numbers are those of
///    root's update of the whole vector); root runs `decide` with the loss;
/// 3. allgather of [θ[P_r] | signal_r]: every rank assembles θ and takes the most severe
///    signal (root's decision, or `.diverged` from any rank whose slice is not finite).
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

    /// `state`: the whole state (as a checkpoint stores it; nil: zeros), the same on every rank.
    public init(learningRate: Double, parameterCount: Int, state: Adam.State?, communicator: Communicator) {
        let n = communicator.size
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

    public mutating func synchronize(_ params: inout [Double], timer: inout PhaseTimer) {
        timer.measure(.broadcast) { communicator.broadcast(&params, root: 0) }
    }

    public mutating func step(_ params: inout [Double], contribution: MMDObjective.Contribution,
                              timer: inout PhaseTimer,
                              decide: (MMDObjective.Evaluation) throws -> StopSignal) rethrows -> StopSignal {
        let totals = contribution.totals, p = totals.parameterCount
        let lossCount = totals.values.count - p
        var scatterCounts = counts
        scatterCounts[0] += lossCount
        let packed = Array(totals.values[p...]) + totals.values[0..<p]
        let mine = timer.measure(.reductions) { communicator.reduceScatterSum(packed, counts: scatterCounts) }
        let losses = communicator.isRoot ? mine[0..<lossCount] : []
        var theta = Array(params[slice])
        timer.measure(.optimizer) {
            adam.update(&theta, gradient: Array(mine[(mine.count - slice.count)...]), state: &local)
        }
        var signal = StopSignal.checking(theta)
        if communicator.isRoot {
            let evaluation = MMDObjective.Evaluation(losses: Array(losses), sigmaCount: totals.sigmaCount,
                                                     contribution: contribution)
            signal = try decide(evaluation).raised(to: signal)
        }
        let all = timer.measure(.broadcast) {
            communicator.allgather(theta + [signal.rawValue], counts: counts.map { $0 + 1 })
        }
        return unpack(all, into: &params)
    }

    /// θ from the allgathered [θ[P_0] | s_0 | θ[P_1] | s_1 | …], and the most severe s_r.
    private func unpack(_ all: [Double], into params: inout [Double]) -> StopSignal {
        var signal = StopSignal.proceed, offset = 0, start = 0
        for count in counts {
            params.replaceSubrange(start..<(start + count), with: all[offset..<(offset + count)])
            signal = signal.raised(to: StopSignal(rawValue: all[offset + count]) ?? .diverged)
            offset += count + 1
            start += count
        }
        return signal
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
