import Foundation
import IQPCore
import XCTest
import IQPTestSupport

final class ThreadCommunicatorTests: XCTestCase {
    /// Values whose floating-point sum depends on the order: 1e16 absorbs small addends.
    private static func contribution(_ rank: Int) -> [Double] {
        [1e16 * Double(rank % 2 == 0 ? 1 : -1), 1.0 + Double(rank), 0.1 * Double(rank + 1), -Double(rank) / 3]
    }

    func testAllreduceSumIsRankOrderedAndIdenticalOnEveryRank() throws {
        for ranks in 1...4 {
            var expected = Self.contribution(0)
            for rank in 1..<ranks { for i in expected.indices { expected[i] += Self.contribution(rank)[i] } }
            for _ in 0..<20 {
                let results = try ThreadCommunicator.run(ranks: ranks) { comm in
                    var buffer = Self.contribution(comm.rank)
                    comm.allreduceSum(&buffer)
                    return buffer
                }
                XCTAssertEqual(results.count, ranks)
                for result in results {
                    XCTAssertEqual(result.map(\.bitPattern), expected.map(\.bitPattern), "ranks \(ranks)")
                }
            }
        }
    }

    func testIntegerSumMaxAndReduce() throws {
        for ranks in 1...4 {
            let results = try ThreadCommunicator.run(ranks: ranks) { comm in
                var integers: [Int64] = [Int64(comm.rank), Int64(1) << 50, -3]
                comm.allreduceSum(&integers)
                var maximum = [Double(comm.rank), -Double(comm.rank), comm.rank == 1 ? .nan : 0]
                comm.allreduceMax(&maximum)
                let root = comm.size - 1
                var reduced = [Double(comm.rank + 1), 2]
                comm.reduceSum(&reduced, root: root)
                return (integers, maximum, comm.rank == root ? reduced : nil)
            }
            let n = ranks
            for (rank, (integers, maximum, reduced)) in results.enumerated() {
                XCTAssertEqual(integers, [Int64(n * (n - 1) / 2), Int64(n) << 50, Int64(-3 * n)])
                XCTAssertEqual(maximum[0], Double(n - 1))
                XCTAssertEqual(maximum[1], 0)
                XCTAssertEqual(maximum[2].isNaN, n >= 2, "NaN propagates")
                if rank == n - 1 {
                    XCTAssertEqual(reduced, [Double(n * (n + 1) / 2), Double(2 * n)])
                }
            }
        }
    }

    func testBroadcastAndGatherOrder() throws {
        for ranks in 1...4 {
            for root in 0..<ranks {
                let results = try ThreadCommunicator.run(ranks: ranks) { comm in
                    var values = comm.rank == root ? [3.5, Double(root)] : [-1, -1]
                    comm.broadcast(&values, root: root)
                    var integers: [Int64] = comm.rank == root ? [Int64(root) + 100] : [0]
                    comm.broadcast(&integers, root: root)
                    let gathered = comm.gather([Double(comm.rank), Double(comm.rank * comm.rank)], root: root)
                    return (values, integers, gathered)
                }
                for (rank, (values, integers, gathered)) in results.enumerated() {
                    XCTAssertEqual(values, [3.5, Double(root)])
                    XCTAssertEqual(integers, [Int64(root) + 100])
                    XCTAssertEqual(gathered, rank == root ? (0..<ranks).flatMap { [Double($0), Double($0 * $0)] } : [])
                }
            }
        }
    }

    func testBarrierWaitsForEveryRank() throws {
        let counter = Counter()
        for ranks in 1...4 {
            counter.reset()
            let seen = try ThreadCommunicator.run(ranks: ranks) { comm in
                if comm.rank == 0 { usleep(20_000) }  // the others reach the barrier first
                counter.increment()
                comm.barrier()
                return counter.value
            }
            XCTAssertEqual(seen, Array(repeating: ranks, count: ranks))
        }
    }

    func testSplitColoursKeysAndNestedSplit() throws {
        // 4 ranks: colour rank % 2, key -rank (reverse order within a colour).
        let results = try ThreadCommunicator.run(ranks: 4) { comm in
            let half = comm.split(color: comm.rank % 2, key: -comm.rank)
            var sum = [Double(comm.rank)]
            half.allreduceSum(&sum)
            // Nested: split each half into singletons by its own rank.
            let single = half.split(color: half.rank, key: 0)
            var own = [Double(comm.rank) + 0.5]
            single.allreduceSum(&own)
            let gathered = half.gather([Double(comm.rank)], root: 0)
            return [Double(half.rank), Double(half.size), sum[0], Double(single.size), own[0]] + gathered
        }
        // colour 0: ranks {0, 2} ordered by key -rank → new ranks: 2→0, 0→1. colour 1: 3→0, 1→1.
        XCTAssertEqual(results[0], [1, 2, 2, 1, 0.5])
        XCTAssertEqual(results[1], [1, 2, 4, 1, 1.5])
        XCTAssertEqual(results[2], [0, 2, 2, 1, 2.5, 2, 0])
        XCTAssertEqual(results[3], [0, 2, 4, 1, 3.5, 3, 1])
    }

    func testEqualKeysKeepTheOldRankOrder() throws {
        let results = try ThreadCommunicator.run(ranks: 3) { comm in
            let all = comm.split(color: 7, key: 0)
            return [all.rank, all.size]
        }
        XCTAssertEqual(results, [[0, 3], [1, 3], [2, 3]])
    }

    func testManyMixedRoundsDoNotDeadlock() throws {
        let results = try ThreadCommunicator.run(ranks: 4) { comm in
            var total = 0.0
            for round in 0..<200 {
                var value = [Double(comm.rank * round)]
                if round % 3 == 0 { comm.allreduceSum(&value) } else { comm.broadcast(&value, root: round % 4) }
                total += value[0]
            }
            return total
        }
        // sum over rounds: round%3==0 → 6·round; else → root·round with root = round % 4.
        var expected = 0.0
        for round in 0..<200 {
            expected += round % 3 == 0 ? 6 * Double(round) : Double((round % 4) * round)
        }
        XCTAssertEqual(results, Array(repeating: expected, count: 4))
    }

    // MARK: - Failure path

    func testAbortEndsEveryRankAndIsThrown() {
        XCTAssertThrowsError(try ThreadCommunicator.run(ranks: 3) { comm -> Int in
            if comm.rank == 1 { comm.abort("bad input", code: 3) }
            comm.barrier()
            return 0
        }) { error in
            XCTAssertEqual(error as? ThreadCommunicator.Aborted, .init(rank: 1, message: "bad input", code: 3))
        }
    }

    func testAbortInASubCommunicatorReportsTheWorldRank() {
        XCTAssertThrowsError(try ThreadCommunicator.run(ranks: 4) { comm -> Int in
            let pair = comm.split(color: comm.rank / 2, key: 0)
            if comm.rank == 3 { pair.abort("late failure", code: 9) }
            comm.barrier()
            return 0
        }) { error in
            XCTAssertEqual(error as? ThreadCommunicator.Aborted, .init(rank: 3, message: "late failure", code: 9))
        }
    }

    func testThrownErrorIsRethrownAndReleasesWaitingRanks() {
        XCTAssertThrowsError(try ThreadCommunicator.run(ranks: 4) { comm -> Int in
            if comm.rank == 2 { throw IQPError("no such file", file: "data.csv") }
            var values = [1.0]
            comm.allreduceSum(&values)
            return 0
        }) { error in
            XCTAssertEqual(error as? IQPError, IQPError("no such file", file: "data.csv"))
        }
    }

    func testMismatchedCollectivesAreReported() {
        XCTAssertThrowsError(try ThreadCommunicator.run(ranks: 2) { comm -> Int in
            var values = [Double](repeating: 0, count: comm.rank + 2)
            comm.allreduceSum(&values)
            return 0
        }) { error in
            XCTAssertEqual((error as? ThreadCommunicator.CollectiveMismatch)?.message,
                           "ranks disagree on a collective: rank 0 called allreduceSum(Double)(count 2), "
                           + "rank 1 called allreduceSum(Double)(count 3)")
        }
        XCTAssertThrowsError(try ThreadCommunicator.run(ranks: 2) { comm -> Int in
            if comm.rank == 0 { comm.barrier() } else { var v = [0.0]; comm.broadcast(&v, root: 0) }
            return 0
        }) { error in
            XCTAssertNotNil(error as? ThreadCommunicator.CollectiveMismatch)
        }
    }

    func testRankReturningWhileOthersWaitIsReported() {
        XCTAssertThrowsError(try ThreadCommunicator.run(ranks: 3) { comm -> Int in
            if comm.rank != 1 { comm.barrier() }
            return comm.rank
        }) { error in
            let message = (error as? ThreadCommunicator.CollectiveMismatch)?.message ?? ""
            XCTAssertTrue(message.hasPrefix("rank 1 returned while rank "), message)
            XCTAssertTrue(message.hasSuffix(" waits in barrier"), message)
        }
    }

    func testNegativeSplitColourIsRejected() {
        XCTAssertThrowsError(try ThreadCommunicator.run(ranks: 2) { comm -> Int in
            _ = comm.split(color: comm.rank - 1, key: 0)
            return 0
        }) { error in
            XCTAssertEqual((error as? ThreadCommunicator.CollectiveMismatch)?.message,
                           "split: rank 0 gave the negative colour -1")
        }
    }
}

/// A lock-protected counter shared by the rank threads of one test.
private final class Counter: @unchecked Sendable {
    // @unchecked Sendable: `count` is only touched with `lock` held.
    private let lock = NSLock()
    private var count = 0
    func increment() { lock.lock(); count += 1; lock.unlock() }
    func reset() { lock.lock(); count = 0; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return count }
}
