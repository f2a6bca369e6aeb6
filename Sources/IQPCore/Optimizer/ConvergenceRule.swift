/// IQPopt's stopping rule in full (`iqpopt.Trainer.train`, the loop without `turbo`).
///
/// With interval I and the monitored losses ℓ₀ … ℓ_t recorded so far, the rule is checked once
/// t > 2I (so from the (2I + 2)-th value on), with
///
///     m₁ = mean(ℓ over the last I values),  m₂ = mean(ℓ over the I values before them),
///     s₁ = std(ℓ over the last I values)    (ddof = 0, numpy's default),
///
/// and stops when either
///
///     |m₂ − m₁| ≤ s₁ / (2√I)     the change is within the noise (a plateau), or
///     m₁ > m₂                     the loss went up.
///
/// The monitored series is the training loss, or the validation loss (`Monitor.validation`;
/// IQPopt monitors its validation loss whenever it is given one). The interval counts values of
/// that series: `TrainingOptions.convergenceRule` converts an interval in steps into validation
/// records when the validation loss is computed every K steps.
public struct ConvergenceRule: Equatable, Sendable {
    /// Which loss the rule watches.
    public enum Monitor: String, CaseIterable, Sendable {
        case train
        case validation
    }

    /// Why the rule stopped.
    public enum Reason: Equatable, Sendable {
        /// |m₂ − m₁| ≤ s₁/(2√I).
        case plateau
        /// m₁ > m₂.
        case increased

        public var description: String {
            switch self {
            case .plateau: return "the mean loss changed by less than its noise"
            case .increased: return "the mean loss went up"
            }
        }
    }

    public let interval: Int
    public let monitor: Monitor

    public init(interval: Int, monitor: Monitor = .train) {
        precondition(interval >= 1)
        self.interval = interval
        self.monitor = monitor
    }

    /// The reason to stop after `losses` (the monitored series so far), or nil to go on.
    public func stopReason(_ losses: [Double]) -> Reason? {
        let i = interval
        guard losses.count > 2 * i + 1 else { return nil }
        let last = losses[(losses.count - i)...], previous = losses[(losses.count - 2 * i)..<(losses.count - i)]
        let meanLast = last.reduce(0, +) / Double(i)
        let meanPrevious = previous.reduce(0, +) / Double(i)
        let std = (last.map { ($0 - meanLast) * ($0 - meanLast) }.reduce(0, +) / Double(i)).squareRoot()
        if abs(meanPrevious - meanLast) <= std / (2 * Double(i).squareRoot()) { return .plateau }
        if meanLast > meanPrevious { return .increased }
        return nil
    }

    /// The reason to stop after the records of a run (the training or validation losses in them).
    public func stopReason(history: [TrainingRecord]) -> Reason? {
        switch monitor {
        case .train: return stopReason(history.map(\.loss))
        case .validation: return stopReason(history.compactMap(\.validationLoss))
        }
    }

    public func hasConverged(_ losses: [Double]) -> Bool { stopReason(losses) != nil }
}
