import Foundation
import XCTest

/// A running `iqp train` sent SIGTERM (alone) or SIGUSR1 (through mpirun, which forwards it to
/// every rank) writes its checkpoint, exits with status 75 and no model, and `--resume`
/// continues exactly: the resumed loss log equals an uninterrupted run's step for step.
/// The resumed run's summary gives this run's steps and the cumulative count.
final class StopSignalTests: XCTestCase {
    static let folder = BarsAndStripesFolder(seed: 4)

    override class func tearDown() {
        folder.remove()
        super.tearDown()
    }

    func path(_ name: String) -> String { Self.path(name) }
    static func path(_ name: String) -> String { folder.path(name) }

    func trainArguments(_ tag: String, steps: Int) -> [String] { Self.trainArguments(tag, steps: steps) }

    /// A quiet run on the 3×3 bars-and-stripes set writing `TAG.json` and `TAG.csv`.
    static func trainArguments(_ tag: String, steps: Int) -> [String] {
        ["train", "--data", Self.folder.data, "--gates", "local:2", "--sigma", "0.8,1.6", "--ops", "60", "--samples", "50",
         "--estimator", "fast", "--lr", "0.05", "--steps", "\(steps)", "--seed", "9", "--eval-ops", "0", "--quiet",
         "--out", path("\(tag).json"), "--log", path("\(tag).csv")]
    }

    /// `CommandRunner.interrupt` with one `signal`.
    func interrupt(_ executable: String, _ arguments: [String], log: String, lines: Int,
                   signal: Int32, environment: [String: String] = [:]) throws -> (status: Int32, stderr: String) {
        let r = try CommandRunner.interrupt(executable, arguments, log: log, lines: lines, signal: signal,
                                            environment: environment)
        return (r.status, r.stderr)
    }

    /// The stopped run's checkpoint step, then: resumed to `k = step + 15` and an uninterrupted
    /// `k`-step run give the same loss log (1e-12 relative) and parameters (1e-10).
    func assertResumesExactly(_ tag: String, status: Int32, stderr: String) throws {
        XCTAssertEqual(status, 75, stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("\(tag).json")), "no model after a stop")
        let checkpoint = path("\(tag).checkpoint.json")
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: checkpoint))) as! [String: Any]
        let step = (object["step"] as! NSNumber).intValue
        XCTAssertGreaterThanOrEqual(step, 3)
        XCTAssertTrue(stderr.contains("checkpoint written to \(checkpoint)"), stderr)
        let steps = step + 15
        let resumed = try CommandRunner.iqp(trainArguments(tag, steps: steps) + ["--resume", checkpoint])
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertTrue(resumed.stdout.contains("trained 15 steps"), resumed.stdout)
        XCTAssertTrue(resumed.stdout.contains("cumulative: \(steps) steps"), resumed.stdout)
        let full = try CommandRunner.iqp(trainArguments("\(tag)-full", steps: steps))
        XCTAssertEqual(full.status, 0, full.stderr)
        let a = try CommandRunner.csvNumbers(path("\(tag).csv")), b = try CommandRunner.csvNumbers(path("\(tag)-full.csv"))
        XCTAssertEqual(a.count, steps)
        XCTAssertEqual(a.count, b.count)
        for (x, y) in zip(a, b) {
            XCTAssertEqual(x[1], y[1], accuracy: 1e-12 * max(abs(y[1]), 1e-3), "step \(x[0])")
        }
        let pa = try CommandRunner.params(path("\(tag).json")), pb = try CommandRunner.params(path("\(tag)-full.json"))
        for (x, y) in zip(pa, pb) { XCTAssertEqual(x, y, accuracy: 1e-10) }
    }

    func testSIGTERMCheckpointsAndResumeContinuesExactly() throws {
        let r = try interrupt(CommandRunner.iqp, trainArguments("term", steps: 1_000_000),
                              log: path("term.csv"), lines: 5, signal: SIGTERM)
        XCTAssertTrue(r.stderr.contains("stopped by SIGTERM"), r.stderr)
        try assertResumesExactly("term", status: r.status, stderr: r.stderr)
    }

    func testSIGUSR1ToMpirunStopsEveryRank() throws {
        guard let mpirun = CommandRunner.mpirun else { throw XCTSkip("mpirun is not installed") }
        let arguments = CommandRunner.mpirunArguments(ranks: 2) + [CommandRunner.iqp]
            + trainArguments("usr1", steps: 1_000_000)
        let r = try interrupt(mpirun, arguments, log: path("usr1.csv"), lines: 5, signal: SIGUSR1)
        // Root names the signal if its own copy arrived before the step's reduction, else "on another rank".
        XCTAssertTrue(r.stderr.contains("stopped by SIGUSR1") || r.stderr.contains("stopped by SIGTERM or SIGUSR1 on another rank"),
                      r.stderr)
        try assertResumesExactly("usr1", status: r.status, stderr: r.stderr)
    }

    /// SIGTERM to launch/one-node: mpirun, signalled through the script, reports a status of
    /// its own, but the stop marker root writes makes the script's status 75.
    func testSIGTERMToTheLaunchScriptGivesTheScheduler75() throws {
        guard CommandRunner.mpirun != nil else { throw XCTSkip("mpirun is not installed") }
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("launch/one-node").path
        let r = try interrupt(script, ["-n", "2"] + trainArguments("node", steps: 1_000_000),
                              log: path("node.csv"), lines: 5, signal: SIGTERM,
                              environment: ["IQP_BIN": CommandRunner.iqp, "MPIRUN_ARGS": "--oversubscribe"])
        XCTAssertEqual(r.status, 75, r.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: path("node.checkpoint.json")), r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("node.json")), "no model after a stop")
    }
}
