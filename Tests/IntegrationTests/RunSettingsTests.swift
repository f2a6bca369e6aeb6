import Foundation
import XCTest

/// What a user does with a run (issue "Users II"): Ctrl-C keeps it, `iqp train --resume
/// CHECKPOINT` alone continues it, a run file (`--config`) describes it, a default means the
/// same written or not, and a command that will fail at the end fails before step 1.
final class RunSettingsTests: XCTestCase {
    static let folder = BarsAndStripesFolder(seed: 5)

    override class func tearDown() {
        folder.remove()
        super.tearDown()
    }

    func path(_ name: String) -> String { Self.folder.path(name) }

    /// A small run on the 3×3 bars-and-stripes set writing `TAG.json`, `TAG.csv` and the checkpoint `TAG.ckpt.json`.
    func run(_ tag: String, steps: Int, _ extra: [String] = []) -> [String] {
        ["train", "--data", Self.folder.data, "--sigma", "0.8,1.6", "--ops", "60", "--samples", "50", "--estimator", "fast",
         "--lr", "0.05", "--steps", "\(steps)", "--seed", "3", "--eval-ops", "0", "--quiet",
         "--out", path("\(tag).json"), "--log", path("\(tag).csv"),
         "--checkpoint", path("\(tag).ckpt.json"), "--checkpoint-every", "5"] + extra
    }

    /// `CommandRunner.interrupt` of `iqp` with SIGINT, `interrupts` times.
    func interrupt(_ arguments: [String], log: String, lines: Int, interrupts: Int = 1)
        throws -> (status: Int32, signalled: Bool, stderr: String) {
        let r = try CommandRunner.interrupt(CommandRunner.iqp, arguments, log: log, lines: lines, signal: SIGINT,
                                            times: interrupts)
        return (r.status, r.signalled, r.stderr)
    }

    // MARK: 1. Ctrl-C

    /// The first Ctrl-C stops after the step with a checkpoint (exit 130); `iqp train --resume
    /// CHECKPOINT` alone then finishes the run exactly as an uninterrupted one.
    func testCtrlCKeepsTheRunAndResumeAloneFinishesIt() throws {
        let stopped = try interrupt(run("ctrlc", steps: 3000), log: path("ctrlc.csv"), lines: 8)
        XCTAssertEqual(stopped.status, 130, stopped.stderr)
        XCTAssertFalse(stopped.signalled)
        XCTAssertTrue(stopped.stderr.contains("Ctrl-C"), stopped.stderr)
        XCTAssertTrue(stopped.stderr.contains("Continue with: iqp train --resume \(path("ctrlc.checkpoint.json"))")
                      || stopped.stderr.contains("Continue with: iqp train --resume \(path("ctrlc.ckpt.json"))"), stopped.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("ctrlc.json")))
        let checkpoint = path("ctrlc.ckpt.json")
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: checkpoint))) as! [String: Any]
        let step = (object["step"] as! NSNumber).intValue
        XCTAssertGreaterThanOrEqual(step, 8)
        // Continue to a nearer end: --steps may change on resume; everything else comes from the checkpoint.
        let total = step + 12
        let resumed = try CommandRunner.iqp(["train", "--resume", checkpoint, "--steps", "\(total)"])
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertTrue(resumed.stdout.contains("trained 12 steps"), resumed.stdout)
        XCTAssertTrue(FileManager.default.fileExists(atPath: path("ctrlc.json")), "the recorded --out")
        let full = try CommandRunner.iqp(run("ctrlc-full", steps: total))
        XCTAssertEqual(full.status, 0, full.stderr)
        let a = try CommandRunner.csvNumbers(path("ctrlc.csv")), b = try CommandRunner.csvNumbers(path("ctrlc-full.csv"))
        XCTAssertEqual(a.count, total)
        XCTAssertEqual(a.count, b.count)
        for (x, y) in zip(a, b) { XCTAssertEqual(x[1], y[1], accuracy: 1e-12 * max(abs(y[1]), 1e-3), "step \(x[0])") }
        // The run is finished now: nothing left to do, and nothing written.
        let again = try CommandRunner.iqp(["train", "--resume", checkpoint])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stdout.contains("nothing left to do"), again.stdout)
    }

    /// A second Ctrl-C while the first waits for the step ends the process at once.
    func testSecondCtrlCStopsAtOnce() throws {
        let args = ["train", "--ops", "1000", "--samples", "1000", "--estimator", "dense", "--steps", "1000",
                    "--eval-ops", "0", "--quiet", "--out", path("twice.json"), "--log", path("twice.csv")]
        let stopped = try interrupt(args, log: path("twice.csv"), lines: 1, interrupts: 2)
        XCTAssertTrue(stopped.signalled, "status \(stopped.status): \(stopped.stderr)")
        XCTAssertEqual(stopped.status, SIGINT)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("twice.json")))
    }

    // MARK: 2. A checkpoint remembers its run

    func testResumeRefusesAChangedSettingAndAcceptsTheSameOne() throws {
        let first = try CommandRunner.iqp(run("same", steps: 10))
        XCTAssertEqual(first.status, 0, first.stderr)
        let checkpoint = path("same.ckpt.json")
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: checkpoint))) as! [String: Any]
        let run = object["run"] as! [String: Any]
        let settings = run["settings"] as! [String: String]
        XCTAssertEqual(settings["lr"], "0.05")
        XCTAssertEqual(settings["gates"], "local:2")
        XCTAssertEqual(settings["spin-sym"], "false")
        XCTAssertEqual(settings["data"], Self.folder.data)
        let sha = try CommandRunner.run("/usr/bin/sha256sum", [Self.folder.data]).stdout.split(separator: " ").first.map(String.init)
        XCTAssertEqual((run["sha256"] as! [String: String])["data"], sha)

        let lr = try CommandRunner.iqp(["train", "--resume", checkpoint, "--steps", "20", "--lr", "0.01"])
        XCTAssertEqual(lr.status, 1, lr.stderr)
        XCTAssertTrue(lr.stderr.contains("different learning rate (lr: 0.05) than --lr 0.01")
                      && lr.stderr.contains("field 'run.settings.lr'"), lr.stderr)
        let gates = try CommandRunner.iqp(["train", "--resume", checkpoint, "--steps", "20", "--gates", "local:1"])
        XCTAssertEqual(gates.status, 1, gates.stderr)
        XCTAssertTrue(gates.stderr.contains("different circuit (gates) (gates: local:2) than --gates local:1"), gates.stderr)
        let below = try CommandRunner.iqp(["train", "--resume", checkpoint, "--steps", "5"])
        XCTAssertEqual(below.status, 64, below.stderr)
        XCTAssertTrue(below.stderr.contains("--steps 5 is below"), below.stderr)

        // The same settings written out (another spelling of the same numbers, a copy of the data) are fine.
        let copy = path("copy.csv")
        try FileManager.default.copyItem(atPath: Self.folder.data, toPath: copy)
        let same = try CommandRunner.iqp(["train", "--resume", checkpoint, "--steps", "15", "--lr", "5e-2",
                                          "--sigma", "0.80, 1.6", "--data", copy, "--quiet"])
        XCTAssertEqual(same.status, 0, same.stderr)
        XCTAssertTrue(same.stdout.contains("trained 5 steps"), same.stdout)

        // A recorded data file that changed is refused by name.
        try (String(contentsOfFile: copy, encoding: .utf8) + "1 1 1 0 0 0 0 0 0\n").write(toFile: copy, atomically: true, encoding: .utf8)
        let changed = try CommandRunner.iqp(["train", "--resume", checkpoint, "--steps", "20"])
        XCTAssertEqual(changed.status, 1, changed.stderr)
        XCTAssertTrue(changed.stderr.contains("\(copy) has changed"), changed.stderr)
    }

    /// A checkpoint written without `run` (older versions) resumes with the options given, as before.
    func testCheckpointWithoutItsRunResumesWithTheOptions() throws {
        let first = try CommandRunner.iqp(run("old", steps: 10))
        XCTAssertEqual(first.status, 0, first.stderr)
        let checkpoint = path("old.ckpt.json")
        var object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: checkpoint))) as! [String: Any]
        object["run"] = NSNull()
        try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: checkpoint))
        let resumed = try CommandRunner.iqp(run("old", steps: 15) + ["--resume", checkpoint])
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertTrue(resumed.stdout.contains("trained 5 steps"), resumed.stdout)
        object["run"] = NSNull()
        try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: checkpoint))
        let bare = try CommandRunner.iqp(["train", "--resume", checkpoint, "--steps", "15", "--out", path("bare.json")])
        XCTAssertEqual(bare.status, 1, bare.stderr)
        XCTAssertTrue(bare.stderr.contains("does not record its run's settings"), bare.stderr)
    }

    // MARK: 3. Run files

    func testRunFileGivesTheSameSettingsAsTheFlags() throws {
        let flags = ["train", "--data", Self.folder.data, "--gates", "local:1", "--sigma", "0.6,1.3", "--lr", "0.02",
                     "--steps", "7", "--spin-sym", "--out", path("rf.json")]
        let printed = try CommandRunner.iqp(flags + ["--print-config"])
        XCTAssertEqual(printed.status, 0, printed.stderr)
        XCTAssertTrue(printed.stdout.contains("gates: local:1\n") && printed.stdout.contains("spin-sym: true\n"), printed.stdout)
        try printed.stdout.write(toFile: path("printed.yaml"), atomically: true, encoding: .utf8)
        let reread = try CommandRunner.iqp(["train", "--config", path("printed.yaml"), "--print-config"])
        XCTAssertEqual(reread.stdout, printed.stdout, reread.stderr)

        try """
        data: \(Self.folder.data)
        gates: local:1
        sigma: [0.6, 1.3]
        lr: 0.02
        steps: 7
        spin_sym: yes
        out: \(path("rf.json"))
        """.write(toFile: path("run.yaml"), atomically: true, encoding: .utf8)
        let fromFile = try CommandRunner.iqp(["train", "--config", path("run.yaml"), "--print-config"])
        XCTAssertEqual(fromFile.stdout, printed.stdout, fromFile.stderr)
        // Flags override the file.
        let overridden = try CommandRunner.iqp(["train", "--config", path("run.yaml"), "--lr", "0.03", "--print-config"])
        XCTAssertTrue(overridden.stdout.contains("lr: 0.03\n"), overridden.stdout)
        // And it trains.
        let trained = try CommandRunner.iqp(["train", "--config", path("run.yaml"), "--ops", "40", "--samples", "40",
                                             "--estimator", "fast", "--quiet"])
        XCTAssertEqual(trained.status, 0, trained.stderr)
        XCTAssertTrue(trained.stdout.contains("trained 7 steps"), trained.stdout)

        try "lr: 0.02\nlearning_rate: 3\n".write(toFile: path("bad.yaml"), atomically: true, encoding: .utf8)
        let bad = try CommandRunner.iqp(["train", "--config", path("bad.yaml")])
        XCTAssertEqual(bad.status, 1, bad.stderr)
        XCTAssertTrue(bad.stderr.contains("bad.yaml") && bad.stderr.contains("unknown key 'learning_rate'"), bad.stderr)
    }

    /// An entry of the study's best_hyperparameters.yaml maps as docs/reproduction.md's table says.
    func testStudyEntry() throws {
        let study = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/reproduction/best_hyperparameters.yaml").path
        let blobs = try CommandRunner.iqp(["train", "--config", study, "--entry", "IqpSimulator/8_blobs", "--print-config"])
        XCTAssertEqual(blobs.status, 0, blobs.stderr)
        for line in ["gates: local:6", "sigma: 0.6,1.3", "ops: 1000", "samples: 1000", "lr: 0.001", "steps: 10000",
                     "convergence-interval: 500", "init-scale: 0.0001", "param-noise: 0.0001", "spin-sym: false",
                     "bitflip: false"] {
            XCTAssertTrue(blobs.stdout.contains(line + "\n"), "\(line) in\n\(blobs.stdout)")
        }
        let ising = try CommandRunner.iqp(["train", "--config", study, "--entry", "IqpSimulatorBitflip/2D_ising", "--print-config"])
        XCTAssertTrue(ising.stdout.contains("bitflip: true\n") && ising.stdout.contains("gates: local:6\n")
                      && ising.stdout.contains("spin-sym: true\n"), ising.stdout)
        let missing = try CommandRunner.iqp(["train", "--config", study, "--entry", "IqpSimulator/nope"])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("has no entry IqpSimulator/nope"), missing.stderr)
    }

    // MARK: 4. Defaults mean the same written or not

    func testDefaultsMeanTheSameSpelledOut() throws {
        let bare = try CommandRunner.iqp(["train", "--print-config"])
        XCTAssertTrue(bare.stdout.contains("gates: local:2\n") && bare.stdout.contains("spin-sym: true\n"), bare.stdout)
        for spelled in [["--gates", "local:2"], ["--spin-sym"], ["--gates", "local:2", "--spin-sym", "--sigma", "1"]] {
            let written = try CommandRunner.iqp(["train", "--print-config"] + spelled)
            XCTAssertEqual(written.stdout, bare.stdout, "\(spelled)")
        }
        let off = try CommandRunner.iqp(["train", "--gates", "local:2", "--no-spin-sym", "--print-config"])
        XCTAssertTrue(off.stdout.contains("spin-sym: false\n"), off.stdout)
        // The header says what was chosen.
        let ran = try CommandRunner.iqp(["train", "--gates", "local:2", "--steps", "1", "--ops", "20", "--samples", "20",
                                         "--estimator", "fast", "--eval-ops", "0", "--out", path("d.json")])
        XCTAssertEqual(ran.status, 0, ran.stderr)
        XCTAssertTrue(ran.stderr.contains("(gates local:2), spin-symmetric start (default for the embedded set"), ran.stderr)
        let model = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path("d.json")))) as! [String: Any]
        XCTAssertEqual(model["spin_sym"] as? Bool, true)
        // --quiet prints nothing on stderr.
        let quiet = try CommandRunner.iqp(["train", "--steps", "1", "--ops", "20", "--samples", "20", "--estimator", "fast",
                                           "--eval-ops", "0", "--out", path("q.json"), "--quiet"])
        XCTAssertEqual(quiet.status, 0, quiet.stderr)
        XCTAssertEqual(quiet.stderr, "")
    }

    // MARK: 6. Failing before step 1

    func testFailsBeforeTraining() throws {
        let base = ["train", "--steps", "2000", "--ops", "20", "--samples", "20", "--estimator", "fast", "--eval-ops", "0", "--quiet"]
        let sampler = try CommandRunner.iqp(base + ["--shots", "10", "--sampler", "http://127.0.0.1:1", "--out", path("s.json")])
        XCTAssertEqual(sampler.status, 1, sampler.stderr)
        XCTAssertTrue(sampler.stderr.contains("unreachable") && sampler.stderr.contains("before training"), sampler.stderr)
        XCTAssertFalse(sampler.stdout.contains("trained"), sampler.stdout)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("s.json")))

        let empty = try CommandRunner.iqp(base + ["--out", ""])
        XCTAssertEqual(empty.status, 64, empty.stderr)
        XCTAssertTrue(empty.stderr.contains("--out needs"), empty.stderr)

        for (args, option) in [(["--out", "/nonexistent-dir/m.json"], "out"),
                               (["--out", path("c.json"), "--shots", "5", "--sampler", "qasm",
                                 "--circuit-out", "/nonexistent-dir/c.qasm"], "circuit-out")] {
            let r = try CommandRunner.iqp(base + args)
            XCTAssertEqual(r.status, 1, r.stderr)
            XCTAssertTrue(r.stderr.contains("field '\(option)'"), r.stderr)
            XCTAssertLessThan(r.seconds, 60)
            XCTAssertFalse(r.stdout.contains("trained"), r.stdout)
        }
    }
}
