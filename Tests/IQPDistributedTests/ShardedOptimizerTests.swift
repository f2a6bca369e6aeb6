import Foundation
import XCTest
@testable import IQPCore
import IQPTestSupport

/// `--optimizer sharded` (ShardedAdam, ZeRO-1) against RootAdam: the same losses, parameters
/// and Adam state to 1e-12 on 1–4 ranks (threads), the same checkpoint, and a sharded run that
/// resumes on another rank count; plus the two collectives it adds (docs/distributed.md).
final class ShardedOptimizerTests: XCTestCase {
    let settings = LossSettings(sigmas: [0.7, 1.9], stringsPerSigma: 23, samples: 17)

    func options(_ optimizer: OptimizerKind, steps: Int, checkpoint: String? = nil, every: Int = 0) -> TrainingOptions {
        TrainingOptions(steps: steps, learningRate: 0.05, validationEvery: 3, checkpointPath: checkpoint,
                        checkpointEvery: every, optimizer: optimizer)
    }

    /// `steps` steps of `optimizer` on `ranks` threads (1 × ranks grid), from `resume` if given.
    func train(_ optimizer: OptimizerKind, ranks: Int, steps: Int, resume: Checkpoint? = nil,
               checkpoint: String? = nil, every: Int = 0) throws -> [Trainer.Result] {
        let (model, train, validation) = try DistributedObjectiveTests.problem()
        let settings = self.settings, options = options(optimizer, steps: steps, checkpoint: checkpoint, every: every)
        return try ThreadCommunicator.run(ranks: ranks) { comm in
            let objective = try MMDObjective(model: model, train: train, validation: validation, settings: settings,
                                             seed: 4, communicator: comm)
            return try Trainer(objective: objective, options: options).run(initialParams: model.params, resume: resume,
                                                                           dataFingerprint: train.fingerprint)
        }
    }

    func assertClose(_ a: [Double], _ b: [Double], _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.count, b.count, what, file: file, line: line)
        for (x, y) in zip(a, b) {
            XCTAssertEqual(x, y, accuracy: 1e-12 * max(abs(x), abs(y), 1e-3), what, file: file, line: line)
        }
    }

    func assertSameRun(_ a: Trainer.Result, _ b: Trainer.Result, _ what: String,
                       file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.stepsCompleted, b.stepsCompleted, what, file: file, line: line)
        assertClose(a.history.map(\.loss), b.history.map(\.loss), "\(what): loss", file: file, line: line)
        // A run also validates at its last step, so a resumed run has one more validation loss
        // than the uninterrupted one (at the split): compare the steps where both have one.
        let both = zip(a.history, b.history).filter { $0.validationLoss != nil && $1.validationLoss != nil }
        XCTAssertGreaterThanOrEqual(both.count, 3, what, file: file, line: line)
        assertClose(both.map { $0.0.validationLoss! }, both.map { $0.1.validationLoss! }, "\(what): validation loss",
                    file: file, line: line)
        assertClose(a.params, b.params, "\(what): θ", file: file, line: line)
        assertClose(a.adam.m, b.adam.m, "\(what): m", file: file, line: line)
        assertClose(a.adam.v, b.adam.v, "\(what): v", file: file, line: line)
        XCTAssertEqual(a.adam.count, b.adam.count, what, file: file, line: line)
    }

    func testShardedAdamGivesRootAdamsRunOnOneToFourRanks() throws {
        let reference = try train(.root, ranks: 1, steps: 10)[0]
        XCTAssertNotEqual(reference.params, try DistributedObjectiveTests.problem().0.params, "the run moved θ")
        XCTAssertGreaterThan(reference.adam.v.min()!, 0, "every parameter got a gradient")
        for ranks in 1...4 {
            let sharded = try train(.sharded, ranks: ranks, steps: 10)
            assertSameRun(sharded[0], reference, "sharded on \(ranks) ranks")
            for rank in 1..<ranks { assertClose(sharded[rank].params, reference.params, "θ on rank \(rank) of \(ranks)") }
            assertSameRun(try train(.root, ranks: ranks, steps: 10)[0], reference, "root on \(ranks) ranks")
        }
    }

    func testShardedCheckpointResumesOnAnotherRankCountAndOptimizer() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("iqp-sharded-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let full = try train(.root, ranks: 1, steps: 12)[0]
        let shardedPath = directory.appendingPathComponent("sharded.json").path
        let rootPath = directory.appendingPathComponent("root.json").path
        _ = try train(.sharded, ranks: 3, steps: 6, checkpoint: shardedPath, every: 6)
        _ = try train(.root, ranks: 1, steps: 6, checkpoint: rootPath, every: 6)
        let checkpoint = try Checkpoint.read(path: shardedPath), rootCheckpoint = try Checkpoint.read(path: rootPath)
        XCTAssertEqual(checkpoint.step, 6)
        assertClose(checkpoint.params, rootCheckpoint.params, "checkpoint θ")
        assertClose(checkpoint.adam.m, rootCheckpoint.adam.m, "checkpoint m")
        assertClose(checkpoint.adam.v, rootCheckpoint.adam.v, "checkpoint v")
        XCTAssertEqual(checkpoint.adam.count, 6)
        for (optimizer, ranks) in [(OptimizerKind.sharded, 2), (.sharded, 4), (.root, 1)] {
            let resumed = try train(optimizer, ranks: ranks, steps: 12, resume: checkpoint)[0]
            assertSameRun(resumed, full, "\(optimizer) on \(ranks) ranks from a 3-rank sharded checkpoint")
        }
    }

    /// The stop signal: root's decision reaches every rank, and a non-finite block on any rank
    /// (here the last parameter, owned by rank 2) makes every rank see `.diverged`.
    func testStopSignalReachesEveryRankAndDivergenceWins() throws {
        func step(gradient: [Double], decision: StopSignal) throws -> [StopSignal] {
            try ThreadCommunicator.run(ranks: 3) { comm in
                var optimizer = ShardedAdam(learningRate: 0.1, parameterCount: 6, state: nil, communicator: comm)
                var params = [Double](repeating: 0.5, count: 6)
                let sums = StepSums(gradient: gradient, parameterCount: 6, loss: LossPerSigma(sigmaCount: 1, validation: false))
                return optimizer.step(&params, share: MMDObjective.StepShare(sums: sums, paths: [])) { _ in decision }
            }
        }
        let finite = [Double](repeating: 0.01, count: 6)
        XCTAssertEqual(try step(gradient: finite, decision: .converged), [.converged, .converged, .converged])
        XCTAssertEqual(try step(gradient: finite, decision: .proceed), [.proceed, .proceed, .proceed])
        var broken = finite
        broken[5] = .nan
        XCTAssertEqual(try step(gradient: broken, decision: .converged), [.diverged, .diverged, .diverged])
    }

    func testMoreRanksThanParametersLeavesEmptySlices() throws {
        let communicator = LocalCommunicator()
        let one = ShardedAdam(learningRate: 0.1, parameterCount: 2, state: nil, communicator: communicator)
        XCTAssertEqual(one.counts, [2])
        let slices = try ThreadCommunicator.run(ranks: 3) { comm -> [Int] in
            let adam = ShardedAdam(learningRate: 0.1, parameterCount: 2, state: nil, communicator: comm)
            let state = adam.gatheredState()
            return adam.counts + [adam.slice.lowerBound, adam.slice.count, comm.isRoot ? state.m.count : -1]
        }
        XCTAssertEqual(slices, [[1, 1, 0, 0, 1, 2], [1, 1, 0, 1, 1, -1], [1, 1, 0, 2, 0, -1]])
    }

    func testReduceScatterAndAllgatherOnThreads() throws {
        for ranks in 1...4 {
            let counts = (0..<ranks).map { ($0 * 2 + 1) % 3 }   // 1, 0, 2, 1: uneven and empty blocks
            let total = counts.reduce(0, +)
            let results = try ThreadCommunicator.run(ranks: ranks) { comm -> [[Double]] in
                let values = (0..<total).map { Double(1000 * comm.rank + $0) }
                let scattered = comm.reduceScatterSum(values, counts: counts)
                let gathered = comm.allgather([Double](repeating: Double(comm.rank) + 0.5, count: counts[comm.rank]),
                                              counts: counts)
                return [scattered, gathered]
            }
            let rankSum = Double(1000 * ranks * (ranks - 1) / 2)
            let gathered = counts.enumerated().flatMap { [Double](repeating: Double($0.offset) + 0.5, count: $0.element) }
            for (rank, result) in results.enumerated() {
                let start = counts[0..<rank].reduce(0, +)
                XCTAssertEqual(result[0], (start..<(start + counts[rank])).map { rankSum + Double(ranks * $0) }, "rank \(rank)")
                XCTAssertEqual(result[1], gathered, "rank \(rank) of \(ranks)")
            }
        }
    }

    func testMismatchedCountsAreReportedNotHung() {
        XCTAssertThrowsError(try ThreadCommunicator.run(ranks: 2) { comm in
            _ = comm.reduceScatterSum([1, 2, 3], counts: comm.rank == 0 ? [1, 2] : [2, 1])
        }) { error in
            XCTAssertTrue(error is ThreadCommunicator.CollectiveMismatch, "\(error)")
        }
        XCTAssertThrowsError(try ThreadCommunicator.run(ranks: 2) { comm in
            var all = [Double](repeating: 0, count: 3)
            let mine = [Double](repeating: 1, count: comm.rank + 1)   // 1 and 2 values, counts say 2 and 1
            mine.withUnsafeBufferPointer { send in
                all.withUnsafeMutableBufferPointer { comm.allgather(send, into: $0, counts: [2, 1]) }
            }
        }) { error in
            XCTAssertTrue(error is ThreadCommunicator.CollectiveMismatch, "\(error)")
        }
    }
}
