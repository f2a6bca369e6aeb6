import Foundation
import IQPCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Several ranks as threads of one process, for tests of distributed code without MPI.
///
/// `ThreadCommunicator.run(ranks: N) { comm in … }` starts N threads, gives thread r the
/// communicator of rank r, and returns every rank's result in rank order. Every collective is
/// a rendezvous of all ranks of the communicator: each deposits its buffer, the last to arrive
/// publishes the set, and each rank computes its own result from it.
///
/// Determinism: sums are taken in rank order, `((b₀ + b₁) + b₂) + …`, by every rank, so the
/// result does not depend on thread timing and is bit-identical on all ranks (MPI only
/// promises the same up to summation order). The maximum propagates NaN.
///
/// Failure path (no `fatalError`, no process exit):
/// - `abort(message, code:)` records `Aborted(rank, message, code)` and ends the calling
///   thread; every other rank ends at its next (or current) collective. `run` then throws
///   `Aborted` (the lowest aborting world rank if several did).
/// - A body that throws ends the others the same way; `run` rethrows the lowest rank's error.
/// - Misuse that would hang or corrupt an MPI job — ranks entering different collectives,
///   different buffer lengths or roots, a negative split colour, a rank returning while others
///   wait for it — throws `CollectiveMismatch` from `run`.
/// Threads are ended with `pthread_exit`, which unwinds without running Swift cleanups, so
/// the objects an ended rank held are leaked: acceptable in tests, the only users.
///
/// Collectives must be called on the rank's own thread (checked), as with one MPI process.
public final class ThreadCommunicator: Communicator, @unchecked Sendable {
    // @unchecked Sendable: all stored properties are immutable; the shared rendezvous state
    // they point to is guarded by one lock (see `ThreadWorld`).
    public let rank: Int
    public var size: Int { group.members.count }
    /// This rank's index in the communicator `run` created (the "world").
    public var worldRank: Int { group.members[rank] }
    let group: ThreadGroup
    private let owner: pthread_t

    init(group: ThreadGroup, rank: Int) {
        self.group = group
        self.rank = rank
        self.owner = pthread_self()
    }

    /// `rank` called `abort`; `run` throws this.
    public struct Aborted: Error, Equatable, CustomStringConvertible, Sendable {
        /// World rank of the aborting thread.
        public var rank: Int
        public var message: String
        public var code: Int32
        public init(rank: Int, message: String, code: Int32) {
            self.rank = rank
            self.message = message
            self.code = code
        }
        public var description: String { "rank \(rank): error: \(message) (code \(code))" }
    }

    /// Ranks used the collectives inconsistently (an MPI job would hang or fail); `run` throws this.
    public struct CollectiveMismatch: Error, Equatable, CustomStringConvertible, Sendable {
        public var message: String
        public init(message: String) { self.message = message }
        public var description: String { message }
    }

    /// Runs `body` on `ranks` threads, thread r with the communicator of rank r, waits for all
    /// of them and returns their results in rank order. Throws if any rank threw, aborted or
    /// misused a collective (see the type's documentation); nothing is returned then.
    public static func run<T: Sendable>(
        ranks: Int, _ body: @escaping @Sendable (Communicator) throws -> T
    ) throws -> [T] {
        precondition(ranks >= 1, "ThreadCommunicator.run needs at least one rank")
        let world = ThreadWorld(size: ranks)
        let group = ThreadGroup(world: world, members: Array(0..<ranks))
        let outcomes = Outcomes<T>(count: ranks)
        var threads: [pthread_t] = []
        for rank in 0..<ranks {
            let start = RankStart {
                let communicator = ThreadCommunicator(group: group, rank: rank)
                do {
                    outcomes.set(rank, .success(try body(communicator)))
                    world.finish(rank: rank, error: nil)
                } catch {
                    outcomes.set(rank, .failure(error))
                    world.finish(rank: rank, error: error)
                }
            }
            threads.append(spawnThread(start))
        }
        for thread in threads { pthread_join(thread, nil) }
        if let failure = world.failure() { throw failure }
        return outcomes.results.map { result in
            guard case .success(let value)? = result else { preconditionFailure("rank ended without a result") }
            return value
        }
    }

    // MARK: - Collectives

    public func allreduceSum(_ buffer: UnsafeMutableBufferPointer<Double>) {
        let all = exchange(.init(operation: "allreduceSum(Double)", doubles: Array(buffer)))
        sumInRankOrder(all.map(\.doubles), into: buffer)
    }

    public func allreduceSum(_ buffer: UnsafeMutableBufferPointer<Int64>) {
        let all = exchange(.init(operation: "allreduceSum(Int64)", integers: Array(buffer)))
        for index in buffer.indices {
            var total: Int64 = 0
            for contribution in all { total &+= contribution.integers[index] }
            buffer[index] = total
        }
    }

    public func allreduceMax(_ buffer: UnsafeMutableBufferPointer<Double>) {
        let all = exchange(.init(operation: "allreduceMax(Double)", doubles: Array(buffer)))
        for index in buffer.indices {
            var maximum = all[0].doubles[index]
            for contribution in all.dropFirst() {
                let value = contribution.doubles[index]
                if value > maximum || value.isNaN { maximum = value }
            }
            buffer[index] = maximum
        }
    }

    public func reduceSum(_ buffer: UnsafeMutableBufferPointer<Double>, root: Int) {
        let all = exchange(.init(operation: "reduceSum(Double)", root: root, doubles: Array(buffer)))
        if rank == root { sumInRankOrder(all.map(\.doubles), into: buffer) }
    }

    public func broadcast(_ buffer: UnsafeMutableBufferPointer<Double>, root: Int) {
        let mine = rank == root ? Array(buffer) : []
        let all = exchange(.init(operation: "broadcast(Double)", root: root, count: buffer.count, doubles: mine))
        for index in buffer.indices { buffer[index] = all[root].doubles[index] }
    }

    public func broadcast(_ buffer: UnsafeMutableBufferPointer<Int64>, root: Int) {
        let mine = rank == root ? Array(buffer) : []
        let all = exchange(.init(operation: "broadcast(Int64)", root: root, count: buffer.count, integers: mine))
        for index in buffer.indices { buffer[index] = all[root].integers[index] }
    }

    public func gather(_ send: [Double], root: Int) -> [Double] {
        let all = exchange(.init(operation: "gather(Double)", root: root, doubles: send))
        return rank == root ? all.flatMap(\.doubles) : []
    }

    /// Sums in rank order, like `reduceSum`, then keeps this rank's block.
    public func reduceScatterSum(_ send: UnsafeBufferPointer<Double>, into receive: UnsafeMutableBufferPointer<Double>,
                                 counts: [Int]) {
        let all = exchange(.init(operation: "reduceScatterSum(Double, counts \(counts))", doubles: Array(send)))
        guard counts.count == size, counts.reduce(0, +) == send.count, receive.count == counts[rank] else {
            group.world.misuse("reduceScatterSum: counts \(counts) do not fit \(size) ranks, \(send.count) values "
                               + "and a receive buffer of \(receive.count) on rank \(worldRank)")
        }
        let start = counts[0..<rank].reduce(0, +)
        for index in receive.indices {
            var total = all[0].doubles[start + index]
            for other in all.dropFirst() { total += other.doubles[start + index] }
            receive[index] = total
        }
    }

    public func allgather(_ send: UnsafeBufferPointer<Double>, into receive: UnsafeMutableBufferPointer<Double>,
                          counts: [Int]) {
        let total = counts.reduce(0, +)
        let all = exchange(.init(operation: "allgather(Double, counts \(counts))", count: total, doubles: Array(send)))
        guard counts.count == size, receive.count == total,
              all.indices.allSatisfy({ all[$0].doubles.count == counts[$0] }) else {
            group.world.misuse("allgather: counts \(counts) do not match what the \(size) ranks sent "
                               + "(\(all.map(\.doubles.count))) or the receive buffer of \(receive.count)")
        }
        var offset = 0
        for contribution in all {
            for value in contribution.doubles { receive[offset] = value; offset += 1 }
        }
    }

    /// Ranks with the same `color` (≥ 0, as in MPI) form a communicator, ordered by
    /// (`key`, old rank), like `MPI_Comm_split`.
    public func split(color: Int, key: Int) -> Communicator {
        let all = exchange(.init(operation: "split", integers: [Int64(color), Int64(key)]))
        let members = (0..<size)
            .filter { all[$0].integers[0] == Int64(color) }
            .sorted { (all[$0].integers[1], $0) < (all[$1].integers[1], $1) }
        let child = group.child(forColor: color, caller: rank, worldMembers: members.map { group.members[$0] })
        return ThreadCommunicator(group: child, rank: members.firstIndex(of: rank)!)
    }

    public func barrier() {
        _ = exchange(.init(operation: "barrier"))
    }

    /// Records `Aborted(worldRank, message, code)` for `run` to throw, and ends this rank's
    /// thread; the other ranks end at their next collective. Prints nothing.
    public func abort(_ message: String, code: Int32) -> Never {
        group.world.abort(rank: worldRank, message: message, code: code)
    }

    // MARK: - Helpers

    private func exchange(_ contribution: Contribution) -> [Contribution] {
        precondition(pthread_equal(pthread_self(), owner) != 0,
                     "a ThreadCommunicator collective was called off its rank's thread")
        return group.exchange(contribution, from: rank)
    }

    private func sumInRankOrder(_ buffers: [[Double]], into buffer: UnsafeMutableBufferPointer<Double>) {
        for index in buffer.indices {
            var total = buffers[0][index]
            for other in buffers.dropFirst() { total += other[index] }
            buffer[index] = total
        }
    }
}
