/// How one step's results cross the communicator (docs/distributed.md, "One training step"):
/// the layout of the buffers of its collectives, packed and unpacked here and nowhere else.
///
/// - The reduction (`RootAdam`): [∂L/∂θ | train loss per σ | validation loss per σ | stop
///   requests], P + 2K + 1 numbers (the validation slots are zeros when not asked for).
/// - The reduce-scatter (`ShardedAdam`): the same numbers as [losses and stop requests | ∂L/∂θ],
///   so that root, whose block comes first, receives the 2K + 1 numbers in front of its slice.
/// - The broadcast (`RootAdam`): [θ | decision]; the allgather (`ShardedAdam`):
///   [θ[P_0] | decision_0 | θ[P_1] | decision_1 | …].
public struct StepExchange: Sendable {
    public let parameterCount: Int
    public let sigmaCount: Int
    /// Whether the step asked for the validation loss.
    public let hasValidation: Bool

    public init(parameterCount: Int, sigmaCount: Int, hasValidation: Bool) {
        self.parameterCount = parameterCount
        self.sigmaCount = sigmaCount
        self.hasValidation = hasValidation
    }

    /// The numbers after ∂L/∂θ: 2K losses and the stop requests.
    var lossSlots: Int { 2 * sigmaCount + 1 }

    // MARK: The step's reduction

    /// [∂L/∂θ | train loss per σ | validation loss per σ | stop requests].
    public func pack(_ sums: StepSums) -> [Double] {
        sums.gradient + packLosses(sums)
    }

    /// The `StepSums` of a reduced buffer from `pack` (valid on root).
    public func unpack(_ buffer: [Double]) -> StepSums {
        precondition(buffer.count == parameterCount + lossSlots)
        return unpackLosses(buffer[parameterCount...], gradient: Array(buffer[0..<parameterCount]))
    }

    // MARK: The sharded optimizer's reduce-scatter

    /// The buffer and per-rank counts of the reduce-scatter that leaves rank r the summed
    /// ∂L/∂θ on its block (`blocks[r]` parameters) and root also the losses and stop requests.
    public func packScattered(_ sums: StepSums, blocks: [Int]) -> (buffer: [Double], counts: [Int]) {
        var counts = blocks
        counts[0] += lossSlots
        return (packLosses(sums) + sums.gradient, counts)
    }

    /// This rank's part of the reduce-scatter: its slice of ∂L/∂θ, and on root the reduced
    /// losses and stop requests (`StepSums` with an empty gradient).
    public func unpackScattered(_ received: [Double], isRoot: Bool) -> (gradient: [Double], sums: StepSums?) {
        guard isRoot else { return (received, nil) }
        return (Array(received[lossSlots...]), unpackLosses(received[0..<lossSlots], gradient: []))
    }

    // MARK: The decision with θ

    /// [θ | decision], root's broadcast.
    public static func pack(params: [Double], signal: StopSignal) -> [Double] {
        params + [Double(signal.rawValue)]
    }

    /// θ and the decision from a broadcast `pack(params:signal:)` of `parameterCount` parameters.
    public static func unpack(_ buffer: [Double], parameterCount: Int) -> (params: [Double], signal: StopSignal) {
        (Array(buffer[0..<parameterCount]), signal(buffer[parameterCount]))
    }

    /// θ and the most severe decision from the allgathered [θ[P_0] | s_0 | θ[P_1] | s_1 | …]
    /// of `pack(params:signal:)` per rank (`blocks[r]` parameters each).
    public static func unpackGathered(_ all: [Double], blocks: [Int]) -> (params: [Double], signal: StopSignal) {
        var params: [Double] = [], signal = StopSignal.proceed, offset = 0
        for count in blocks {
            params += all[offset..<(offset + count)]
            signal = signal.raised(to: self.signal(all[offset + count]))
            offset += count + 1
        }
        return (params, signal)
    }

    // MARK: Slots

    private func packLosses(_ sums: StepSums) -> [Double] {
        precondition(sums.gradient.count == parameterCount && sums.loss.sigmaCount == sigmaCount)
        let validation = sums.loss.validation ?? [Double](repeating: 0, count: sigmaCount)
        return sums.loss.train + validation + [Double(sums.stopRequests)]
    }

    private func unpackLosses(_ slots: ArraySlice<Double>, gradient: [Double]) -> StepSums {
        let start = slots.startIndex, k = sigmaCount
        let train = Array(slots[start..<(start + k)])
        let validation = hasValidation ? Array(slots[(start + k)..<(start + 2 * k)]) : nil
        var sums = StepSums(gradient: [], parameterCount: 0,
                            loss: LossPerSigma(train: train, validation: validation),
                            stopRequests: Int(slots[start + 2 * k]))
        sums.gradient = gradient
        return sums
    }

    /// A decision from its slot; an unknown value (never sent) reads as `.diverged`.
    private static func signal(_ slot: Double) -> StopSignal {
        StopSignal(rawValue: Int(exactly: slot) ?? -1) ?? .diverged
    }
}
