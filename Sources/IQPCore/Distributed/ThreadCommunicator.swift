import Foundation

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
                    outcomes.results[rank] = .success(try body(communicator))
                    world.finish(rank: rank, error: nil)
                } catch {
                    outcomes.results[rank] = .failure(error)
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

// MARK: - Rendezvous

/// What one rank brings to a collective. `operation`, `root` and `count` must agree on all ranks.
struct Contribution: Sendable {
    var operation: String
    var root: Int?
    var count: Int
    var doubles: [Double]
    var integers: [Int64]

    init(operation: String, root: Int? = nil, count: Int? = nil, doubles: [Double] = [], integers: [Int64] = []) {
        self.operation = operation
        self.root = root
        self.count = count ?? (doubles.count + integers.count)
        self.doubles = doubles
        self.integers = integers
    }

    var signature: String {
        if operation == "split" || operation == "barrier" { return operation }
        return "\(operation)(count \(count)" + (root.map { ", root \($0))" } ?? ")")
    }
}

/// State shared by every communicator of one `run`: the lock and condition all rendezvous use,
/// the first failure, and which world ranks have finished their body.
final class ThreadWorld: @unchecked Sendable {
    // @unchecked Sendable: every mutable property is read and written only with `condition` locked.
    let condition = NSCondition()
    let size: Int
    private var finished = Set<Int>()
    private var aborts: [ThreadCommunicator.Aborted] = []
    private var thrown: [(rank: Int, error: Error)] = []
    private var mismatch: ThreadCommunicator.CollectiveMismatch?

    init(size: Int) { self.size = size }

    /// Whether some rank has failed; caller holds the lock.
    var hasFailedLocked: Bool { !aborts.isEmpty || !thrown.isEmpty || mismatch != nil }

    func isFinishedLocked(_ worldRank: Int) -> Bool { finished.contains(worldRank) }

    /// Records a mismatch (first one wins) and wakes every waiting rank; caller holds the lock.
    func recordMismatchLocked(_ message: String) {
        if mismatch == nil { mismatch = .init(message: message) }
        condition.broadcast()
    }

    func finish(rank: Int, error: Error?) {
        condition.lock()
        finished.insert(rank)
        if let error { thrown.append((rank, error)) }
        condition.broadcast()
        condition.unlock()
    }

    func abort(rank: Int, message: String, code: Int32) -> Never {
        condition.lock()
        aborts.append(.init(rank: rank, message: message, code: code))
        finished.insert(rank)
        condition.broadcast()
        endThreadLocked()
    }

    /// Unlocks and ends the calling rank's thread (see `ThreadCommunicator` on leaks).
    func endThreadLocked() -> Never {
        condition.unlock()
        pthread_exit(nil)
    }

    /// The error `run` throws, if any: aborts first, then thrown errors, then misuse.
    func failure() -> Error? {
        condition.lock()
        defer { condition.unlock() }
        if let first = aborts.min(by: { $0.rank < $1.rank }) { return first }
        if let first = thrown.min(by: { $0.rank < $1.rank }) { return first.error }
        return mismatch
    }
}

/// One communicator's rendezvous: its members (world ranks, in rank order), the deposits of
/// the collective in progress, and the sub-communicators `split` is creating.
final class ThreadGroup: @unchecked Sendable {
    // @unchecked Sendable: mutable state is touched only with `world.condition` locked.
    let world: ThreadWorld
    let members: [Int]
    private var deposits: [Contribution?]
    private var arrived = 0
    private var generation = 0
    private var published: [Contribution] = []
    private var splitsDone: [Int]
    private var pendingChildren: [SplitKey: (group: ThreadGroup, unclaimed: Int)] = [:]

    private struct SplitKey: Hashable { var sequence: Int; var color: Int }

    init(world: ThreadWorld, members: [Int]) {
        self.world = world
        self.members = members
        deposits = Array(repeating: nil, count: members.count)
        splitsDone = Array(repeating: 0, count: members.count)
    }

    /// Deposits `contribution`, waits for every member, and returns all deposits in rank order.
    func exchange(_ contribution: Contribution, from rank: Int) -> [Contribution] {
        let condition = world.condition
        condition.lock()
        if world.hasFailedLocked { world.endThreadLocked() }
        deposits[rank] = contribution
        arrived += 1
        if arrived == members.count {
            let all = deposits.map { $0! }
            if let problem = disagreement(all) {
                world.recordMismatchLocked(problem)
                world.endThreadLocked()
            }
            published = all
            deposits = Array(repeating: nil, count: members.count)
            arrived = 0
            generation += 1
            condition.broadcast()
        } else {
            let myGeneration = generation
            while generation == myGeneration {
                if world.hasFailedLocked { world.endThreadLocked() }
                if let gone = members.indices.first(where: { deposits[$0] == nil && world.isFinishedLocked(members[$0]) }) {
                    world.recordMismatchLocked(
                        "rank \(members[gone]) returned while rank \(members[rank]) waits in \(contribution.signature)")
                    world.endThreadLocked()
                }
                condition.wait()
            }
        }
        let result = published
        condition.unlock()
        return result
    }

    /// The group of colour `color` in the caller's current split, created by the first member
    /// to ask. Members call `split` in the same order, so (split count, colour) names it.
    func child(forColor color: Int, caller rank: Int, worldMembers: [Int]) -> ThreadGroup {
        let condition = world.condition
        condition.lock()
        defer { condition.unlock() }
        let key = SplitKey(sequence: splitsDone[rank], color: color)
        splitsDone[rank] += 1
        let entry = pendingChildren[key] ?? (ThreadGroup(world: world, members: worldMembers), worldMembers.count)
        if entry.unclaimed == 1 {
            pendingChildren[key] = nil
        } else {
            pendingChildren[key] = (entry.group, entry.unclaimed - 1)
        }
        return entry.group
    }

    private func disagreement(_ all: [Contribution]) -> String? {
        let first = all[0]
        for (rank, other) in all.enumerated() where other.signature != first.signature {
            return "ranks disagree on a collective: rank \(members[0]) called \(first.signature), "
                + "rank \(members[rank]) called \(other.signature)"
        }
        if let root = first.root, !(0..<members.count).contains(root) {
            return "\(first.signature): root is not a rank of a \(members.count)-rank communicator"
        }
        if first.operation == "split", let bad = all.firstIndex(where: { $0.integers[0] < 0 }) {
            return "split: rank \(members[bad]) gave the negative colour \(all[bad].integers[0])"
        }
        return nil
    }
}

/// Each rank's result slot. @unchecked Sendable: thread r writes only `results[r]`, before it
/// ends, and `run` reads them only after joining every thread (join orders the accesses).
private final class Outcomes<T>: @unchecked Sendable {
    var results: [Result<T, Error>?]
    init(count: Int) { results = Array(repeating: nil, count: count) }
}

/// The closure a rank thread runs, passed through `pthread_create`'s context pointer.
private final class RankStart {
    let work: () -> Void
    init(_ work: @escaping () -> Void) { self.work = work }
}

private func spawnThread(_ start: RankStart) -> pthread_t {
    let context = Unmanaged.passRetained(start).toOpaque()
    #if canImport(Glibc)
    var thread = pthread_t()
    #else
    var thread: pthread_t?
    #endif
    let status = pthread_create(&thread, nil, { context in
        let start = Unmanaged<RankStart>.fromOpaque(context!).takeRetainedValue()
        start.work()
        return nil
    }, context)
    precondition(status == 0, "pthread_create failed with status \(status)")
    #if canImport(Glibc)
    return thread
    #else
    return thread!
    #endif
}
