/// Thrown by `WalshHadamard.transform` (and so by the simulator) when its `isCancelled` check
/// returns true between passes.
public struct SamplingCancelled: Error, Equatable, Sendable, CustomStringConvertible {
    public init() {}
    public var description: String { "the sampling job was cancelled" }
}
