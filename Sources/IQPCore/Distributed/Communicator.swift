/// The collectives the trainer needs, independent of how processes talk (Horovod-style:
/// every collective of a training step goes through this one protocol).
///
/// Implementations: `LocalCommunicator` (one process, one rank: the dry run and most
/// tests), `ThreadCommunicator` (several ranks as threads of one process, for tests) and
/// `MPICommunicator` (module IQPMPI, Open MPI). Every rank of a communicator must call the
/// same collectives in the same order with the same buffer sizes.
public protocol Communicator: AnyObject, Sendable {
    /// This process's rank, 0..<size.
    var rank: Int { get }
    /// Number of ranks.
    var size: Int { get }

    /// Element-wise sum over all ranks; every rank receives the result.
    func allreduceSum(_ buffer: UnsafeMutableBufferPointer<Double>)
    /// Element-wise sum over all ranks; every rank receives the result.
    func allreduceSum(_ buffer: UnsafeMutableBufferPointer<Int64>)
    /// Element-wise maximum over all ranks; every rank receives the result.
    func allreduceMax(_ buffer: UnsafeMutableBufferPointer<Double>)
    /// Element-wise sum over all ranks into `root`'s buffer (other ranks' buffers are left
    /// unspecified).
    func reduceSum(_ buffer: UnsafeMutableBufferPointer<Double>, root: Int)
    /// Copies `root`'s buffer to every rank.
    func broadcast(_ buffer: UnsafeMutableBufferPointer<Double>, root: Int)
    /// Copies `root`'s buffer to every rank.
    func broadcast(_ buffer: UnsafeMutableBufferPointer<Int64>, root: Int)
    /// Concatenates every rank's `send` (all the same length) on `root`, in rank order;
    /// returns an empty array on other ranks.
    func gather(_ send: [Double], root: Int) -> [Double]
    /// Splits into sub-communicators: ranks with the same `color` form one, ordered by `key`.
    func split(color: Int, key: Int) -> Communicator
    /// Waits until every rank has reached the barrier.
    func barrier()
    /// Ends the whole job: prints `message` (prefixed with the rank) to stderr and exits
    /// every rank with a non-zero status. Never returns.
    func abort(_ message: String, code: Int32) -> Never
}

extension Communicator {
    public var isRoot: Bool { rank == 0 }

    public func allreduceSum(_ array: inout [Double]) {
        array.withUnsafeMutableBufferPointer { allreduceSum($0) }
    }
    public func allreduceSum(_ array: inout [Int64]) {
        array.withUnsafeMutableBufferPointer { allreduceSum($0) }
    }
    public func allreduceMax(_ array: inout [Double]) {
        array.withUnsafeMutableBufferPointer { allreduceMax($0) }
    }
    public func reduceSum(_ array: inout [Double], root: Int = 0) {
        array.withUnsafeMutableBufferPointer { reduceSum($0, root: root) }
    }
    public func broadcast(_ array: inout [Double], root: Int = 0) {
        array.withUnsafeMutableBufferPointer { broadcast($0, root: root) }
    }
    public func broadcast(_ array: inout [Int64], root: Int = 0) {
        array.withUnsafeMutableBufferPointer { broadcast($0, root: root) }
    }
}
