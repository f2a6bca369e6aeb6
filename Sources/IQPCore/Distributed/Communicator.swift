/// The collectives the trainer needs, independent of how processes talk (Horovod-style:
/// every collective of a training step goes through this one protocol).
///
/// Implementations: `LocalCommunicator` (one process, one rank: the dry run and most
/// tests), `ThreadCommunicator` (Tests/IQPTestSupport: several ranks as threads of one process) and
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
    /// Element-wise sum over all ranks of `send` (Σ counts values on every rank), scattered:
    /// rank r receives the sums of the r-th block, the `counts[r]` values after the first
    /// counts[0] + … + counts[r−1] (`MPI_Reduce_scatter`). `receive` holds `counts[rank]`
    /// values; every rank passes the same `counts`.
    func reduceScatterSum(_ send: UnsafeBufferPointer<Double>, into receive: UnsafeMutableBufferPointer<Double>,
                          counts: [Int])
    /// Concatenates every rank's `send` (rank r's has `counts[r]` values) in rank order on
    /// every rank (`MPI_Allgatherv`). `receive` holds Σ counts values; every rank passes the
    /// same `counts`.
    func allgather(_ send: UnsafeBufferPointer<Double>, into receive: UnsafeMutableBufferPointer<Double>,
                   counts: [Int])
    /// Splits into sub-communicators: ranks with the same `color` form one, ordered by `key`.
    func split(color: Int, key: Int) -> Communicator
    /// Waits until every rank has reached the barrier.
    func barrier()
    /// The trainer names the step the following collectives belong to (nil: outside the
    /// training loop). `MPICommunicator`'s step watchdog (`--step-timeout`) uses it to watch
    /// only training steps and to name the step in its message; the default does nothing.
    func markStep(_ step: Int?)
    /// Ends the whole job: prints `message` (prefixed with the rank) to stderr and exits
    /// every rank with a non-zero status. Never returns.
    func abort(_ message: String, code: Int32) -> Never
}

extension Communicator {
    public var isRoot: Bool { rank == 0 }

    public func markStep(_ step: Int?) {}

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
    /// This rank's block of the element-wise sum of every rank's `values` (see the requirement).
    public func reduceScatterSum(_ values: [Double], counts: [Int]) -> [Double] {
        precondition(values.count == counts.reduce(0, +), "reduceScatterSum: \(values.count) values, counts sum to \(counts.reduce(0, +))")
        var mine = [Double](repeating: 0, count: counts[rank])
        values.withUnsafeBufferPointer { send in
            mine.withUnsafeMutableBufferPointer { reduceScatterSum(send, into: $0, counts: counts) }
        }
        return mine
    }
    /// Every rank's `mine` (rank r's has `counts[r]` values) concatenated in rank order.
    public func allgather(_ mine: [Double], counts: [Int]) -> [Double] {
        precondition(mine.count == counts[rank], "allgather: rank \(rank) sends \(mine.count) values, counts say \(counts[rank])")
        var all = [Double](repeating: 0, count: counts.reduce(0, +))
        mine.withUnsafeBufferPointer { send in
            all.withUnsafeMutableBufferPointer { allgather(send, into: $0, counts: counts) }
        }
        return all
    }
}
