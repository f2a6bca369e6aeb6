import Foundation
import IQPCore
import IQPTestSupport
import XCTest

/// `iqp train --estimator exact`, `iqp eval --exact` and `iqp expval --exact` run as a user would:
/// under `mpirun -np 2/3/4` the exact path (its 2ⁿ-entry vectors' work split by index blocks,
/// docs/math.md §10) gives the dry run's loss trajectory and model, `eval --exact` is the same on
/// 1 and 3 ranks, and `expval --exact` gives the state vector's values.
final class MPIExactTrainingTests: XCTestCase {
    static let folder = BarsAndStripesFolder(seed: 5)

    override class func tearDown() {
        folder.remove()
        super.tearDown()
    }

    func path(_ name: String) -> String { Self.folder.path(name) }

    func trainArguments(_ tag: String) -> [String] {
        ["train", "--data", Self.folder.data, "--gates", "local:3", "--sigma", "0.8,1.6", "--estimator", "exact",
         "--lr", "0.05", "--steps", "40", "--eval-ops", "0", "--out", path("\(tag).json"), "--log", path("\(tag).csv")]
    }

    func testSameExactRunOnAnyRankCount() throws {
        let dry = try CommandRunner.iqp(trainArguments("dry"))
        XCTAssertEqual(dry.status, 0, dry.stderr)
        XCTAssertTrue(dry.stderr.contains("exact loss over all 2^9 strings (no estimator noise)"), dry.stderr)
        XCTAssertTrue(dry.stdout.contains("(exact: no estimator noise)"), dry.stdout)
        let reference = try CommandRunner.csvNumbers(path("dry.csv")), params = try CommandRunner.params(path("dry.json"))
        XCTAssertLessThan(reference.last![1], 0.5 * reference.first![1])
        for ranks in [2, 3, 4] {
            let r = try CommandRunner.mpi(ranks: ranks, trainArguments("np\(ranks)"))
            XCTAssertEqual(r.status, 0, r.stderr)
            let log = try CommandRunner.csvNumbers(path("np\(ranks).csv"))
            XCTAssertEqual(log.count, reference.count)
            // Step 0 evaluates the same parameters: equal to 1e-12. Later steps differ only by
            // summation order, which Adam carries along (1e-12 after 30 steps): 1e-10.
            for (x, y) in zip(log, reference) {
                XCTAssertEqual(x[1], y[1], accuracy: (y[0] == 0 ? 1e-12 : 1e-10) * abs(y[1]), "\(ranks) ranks, step \(y[0])")
            }
            for (x, y) in zip(try CommandRunner.params(path("np\(ranks).json")), params) {
                XCTAssertEqual(x, y, accuracy: 1e-10, "\(ranks) ranks")
            }
        }
    }

    /// `iqp eval --exact` on 1 and 3 ranks, and `iqp expval --exact` against the state vector.
    func testExactEvalAndExpval() throws {
        let train = try CommandRunner.iqp(trainArguments("model"))
        XCTAssertEqual(train.status, 0, train.stderr)
        let eval = ["eval", "--model", path("model.json"), "--data", Self.folder.data, "--exact", "--batches", "5"]
        let one = try CommandRunner.iqp(eval), three = try CommandRunner.mpi(ranks: 3, eval)
        XCTAssertEqual(one.status, 0, one.stderr)
        XCTAssertEqual(three.status, 0, three.stderr)
        let a = one.stdout.split(separator: "\n"), b = three.stdout.split(separator: "\n")
        XCTAssertEqual(a.first, "sigma,mmd2,stderr")
        XCTAssertEqual(a.count, 3)
        for (x, y) in zip(a.dropFirst(), b.dropFirst()) {
            let u = x.split(separator: ",").map { Double($0)! }, v = y.split(separator: ",").map { Double($0)! }
            XCTAssertEqual(u[1], v[1], accuracy: 1e-12 * abs(u[1]))
            XCTAssertGreaterThan(u[2], 0)
        }

        let model = try ModelFile.read(path: path("model.json"))
        let p = Reference.stateVectorProbabilities(model)
        let strings = [0b000000011, 0b101010101, 0b111111111, 0b000010000]
        let ops = path("ops.csv")
        try strings.map { a in (0..<9).map { a >> $0 & 1 == 1 ? "1" : "0" }.joined(separator: ",") }
            .joined(separator: "\n").write(toFile: ops, atomically: true, encoding: .utf8)
        let r = try CommandRunner.iqp(["expval", "--model", path("model.json"), "--ops", ops, "--exact"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let values = r.stdout.split(separator: "\n").dropFirst().map { Double($0.split(separator: ",")[0])! }
        for (value, a) in zip(values, strings) { XCTAssertEqual(value, Reference.expectationZ(p, a: a), accuracy: 1e-12) }
        let tight = try CommandRunner.iqp(["expval", "--model", path("model.json"), "--ops", ops, "--exact", "--memory-budget", "1K"])
        XCTAssertNotEqual(tight.status, 0)
        XCTAssertTrue(tight.stderr.contains("--memory-budget"), tight.stderr)
    }
}
