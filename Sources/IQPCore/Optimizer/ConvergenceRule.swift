/// The reference's stopping rule: with interval I, after at least 2·I steps, stop when
///
///     |mean(last I losses) − mean(previous I losses)| ≤ std(last I losses) / (2√I)
///
/// (std with ddof = 0, as numpy's default).
public struct ConvergenceRule: Equatable, Sendable {
    public let interval: Int

    public init(interval: Int) {
        precondition(interval >= 1)
        self.interval = interval
    }

    public func hasConverged(_ losses: [Double]) -> Bool {
        let i = interval
        guard losses.count >= 2 * i else { return false }
        let last = losses[(losses.count - i)...], previous = losses[(losses.count - 2 * i)..<(losses.count - i)]
        let meanLast = last.reduce(0, +) / Double(i)
        let meanPrevious = previous.reduce(0, +) / Double(i)
        let std = (last.map { ($0 - meanLast) * ($0 - meanLast) }.reduce(0, +) / Double(i)).squareRoot()
        return abs(meanLast - meanPrevious) <= std / (2 * Double(i).squareRoot())
    }
}
