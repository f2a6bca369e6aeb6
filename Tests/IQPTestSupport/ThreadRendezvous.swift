import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// The rendezvous behind `ThreadCommunicator`: what each rank deposits, the state shared by one
// `run`, one communicator's exchange, and the rank threads.

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

    /// Records a mismatch found after a rendezvous and ends the calling rank's thread.
    func misuse(_ message: String) -> Never {
        condition.lock()
        recordMismatchLocked(message)
        endThreadLocked()
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
/// Each rank's result, written by its own thread: under a lock, since even stores to different
/// elements of one Swift array are accesses to the same variable (ThreadSanitizer reports them
/// as a race without it).
final class Outcomes<T>: @unchecked Sendable {
    private var stored: [Result<T, Error>?]
    private let lock = NSLock()
    init(count: Int) { stored = Array(repeating: nil, count: count) }

    func set(_ rank: Int, _ result: Result<T, Error>) {
        lock.lock(); defer { lock.unlock() }
        stored[rank] = result
    }

    var results: [Result<T, Error>?] {
        lock.lock(); defer { lock.unlock() }
        return stored
    }
}

/// The closure a rank thread runs, passed through `pthread_create`'s context pointer.
final class RankStart {
    let work: () -> Void
    init(_ work: @escaping () -> Void) { self.work = work }
}

func spawnThread(_ start: RankStart) -> pthread_t {
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
