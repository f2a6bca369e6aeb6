import Foundation
import XCTest

/// `iqp train` under `mpirun -np 1/2/3` and as a dry run gives the same loss trajectory and
/// model (up to summation order), resumes across rank counts, and fails fast on bad input or a
/// killed rank. These run the built binary exactly as a user would.
final class MPITrainingTests: XCTestCase {
    /// A 3×3 bars-and-stripes data set made once with `iqp data`.
    static let folder = BarsAndStripesFolder(seed: 4)

    override class func tearDown() {
        folder.remove()
        super.tearDown()
    }

    func path(_ name: String) -> String { Self.folder.path(name) }

    func trainArguments(_ tag: String, steps: Int = 100, extra: [String] = []) -> [String] {
        ["train", "--data", Self.folder.data, "--gates", "local:2", "--sigma", "0.8,1.6", "--ops", "60", "--samples", "50",
         "--estimator", "fast",   // the Monte Carlo decomposition (auto would take the exact path at n = 9)
         "--lr", "0.05", "--steps", "\(steps)", "--seed", "9", "--eval-ops", "0", "--quiet",
         "--out", path("\(tag).json"), "--log", path("\(tag).csv")] + extra
    }

    /// Loss logs agree to 1e-12 relative per step (100 steps) and the final parameters to 1e-10 absolute.
    func assertSameRun(_ a: String, _ b: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let la = try CommandRunner.csvNumbers(path("\(a).csv")), lb = try CommandRunner.csvNumbers(path("\(b).csv"))
        XCTAssertEqual(la.count, lb.count, file: file, line: line)
        for (x, y) in zip(la, lb) {
            XCTAssertEqual(x[0], y[0], file: file, line: line)
            XCTAssertEqual(x[1], y[1], accuracy: 1e-12 * max(abs(x[1]), 1e-3), "step \(x[0])", file: file, line: line)
        }
        let pa = try CommandRunner.params(path("\(a).json")), pb = try CommandRunner.params(path("\(b).json"))
        XCTAssertEqual(pa.count, pb.count, file: file, line: line)
        for (x, y) in zip(pa, pb) { XCTAssertEqual(x, y, accuracy: 1e-10, file: file, line: line) }
    }

    func testSameModelForAnyRankCountAndGrid() throws {
        let dry = try CommandRunner.iqp(trainArguments("dry"))
        XCTAssertEqual(dry.status, 0, dry.stderr)
        for (ranks, grid) in [(1, "1x1"), (2, "1x2"), (3, "3x1"), (3, "1x3"), (4, "2x2")] {
            let tag = "np\(ranks)-\(grid)"
            let r = try CommandRunner.mpi(ranks: ranks, trainArguments(tag, extra: ["--grid", grid]))
            XCTAssertEqual(r.status, 0, "\(tag): \(r.stderr)")
            try assertSameRun("dry", tag)
        }
        // The loss went down (the comparison above is not between two stuck runs).
        let log = try CommandRunner.csvNumbers(path("dry.csv"))
        XCTAssertLessThan(log.suffix(10).map { $0[1] }.reduce(0, +), log.prefix(10).map { $0[1] }.reduce(0, +))
    }

    /// The timings file starts with what its figures were measured with (BLAS kernel, GEMM
    /// threads, build target, ranks), then the `rank,phase,seconds,steps` table for every rank.
    func testTimingsFileSaysWhatItWasMeasuredWith() throws {
        let timings = path("timings.csv")
        let r = try CommandRunner.mpi(ranks: 2, trainArguments("timed", steps: 5, extra: ["--timings", timings]))
        XCTAssertEqual(r.status, 0, r.stderr)
        let lines = try String(contentsOfFile: timings, encoding: .utf8).split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 4 + 1 + 2 * 7, lines.joined(separator: "\n"))
        XCTAssertTrue(lines[0].hasPrefix("# BLAS: "), lines[0])
        XCTAssertTrue(lines[1].hasPrefix("# GEMMs: "), lines[1])
        XCTAssertTrue(lines[2].hasPrefix("# build: "), lines[2])
        XCTAssertEqual(lines[3], "# ranks: 2")
        XCTAssertEqual(lines[4], "rank,phase,seconds,steps")
        XCTAssertEqual(lines.last?.hasPrefix("1,total,"), true)
    }

    func testResumeWithADifferentRankCountContinuesExactly() throws {
        let full = try CommandRunner.iqp(trainArguments("full", steps: 30))
        XCTAssertEqual(full.status, 0, full.stderr)
        let checkpoint = path("ckpt.json")
        let first = try CommandRunner.mpi(ranks: 2, trainArguments("part", steps: 15, extra: ["--checkpoint", checkpoint, "--checkpoint-every", "5"]))
        XCTAssertEqual(first.status, 0, first.stderr)
        let second = try CommandRunner.mpi(ranks: 3, trainArguments("part", steps: 30, extra: ["--resume", checkpoint]))
        XCTAssertEqual(second.status, 0, second.stderr)
        try assertSameRun("full", "part")
    }

    /// `--optimizer sharded` under mpirun (MPI_Reduce_scatter, MPI_Allgatherv) gives root Adam's
    /// run, and its checkpoint resumes on another rank count with either optimizer.
    func testShardedOptimizerGivesTheSameRunAndResumesOnAnotherRankCount() throws {
        let reference = try CommandRunner.iqp(trainArguments("root30", steps: 30))
        XCTAssertEqual(reference.status, 0, reference.stderr)
        for ranks in [2, 3] {
            let r = try CommandRunner.mpi(ranks: ranks, trainArguments("sharded\(ranks)", steps: 30, extra: ["--optimizer", "sharded"]))
            XCTAssertEqual(r.status, 0, r.stderr)
            try assertSameRun("root30", "sharded\(ranks)")
        }
        let checkpoint = path("sharded-ckpt.json")
        let first = try CommandRunner.mpi(ranks: 2, trainArguments("sharded-part", steps: 15, extra: [
            "--optimizer", "sharded", "--checkpoint", checkpoint, "--checkpoint-every", "5"]))
        XCTAssertEqual(first.status, 0, first.stderr)
        // The resumed run goes on checkpointing into the same file (the checkpoint records
        // --checkpoint): keep the step-15 state for the run on one rank below.
        let at15 = path("sharded-ckpt-15.json")
        try FileManager.default.copyItem(atPath: checkpoint, toPath: at15)
        let second = try CommandRunner.mpi(ranks: 3, trainArguments("sharded-part", steps: 30, extra: [
            "--optimizer", "sharded", "--resume", checkpoint]))
        XCTAssertEqual(second.status, 0, second.stderr)
        try assertSameRun("root30", "sharded-part")
        let asRoot = try CommandRunner.iqp(trainArguments("sharded-then-root", steps: 30, extra: ["--resume", at15]))
        XCTAssertEqual(asRoot.status, 0, asRoot.stderr)
        try assertSameRun("root30", "sharded-then-root")
    }

    /// `--step-timeout`: a rank that stops without dying (the hidden `--hang-rank` hook, at
    /// step 3) ends the job within seconds, with a message naming it; a watched run without a
    /// hang is the unwatched run.
    func testStepWatchdogNamesTheRankThatDidNotArrive() throws {
        let reference = try CommandRunner.iqp(trainArguments("unwatched", steps: 10))
        XCTAssertEqual(reference.status, 0, reference.stderr)
        let watched = try CommandRunner.mpi(ranks: 2, trainArguments("watched", steps: 10, extra: ["--step-timeout", "60"]))
        XCTAssertEqual(watched.status, 0, watched.stderr)
        try assertSameRun("unwatched", "watched")
        for (hung, reporter, text) in [(1, 0, "rank 1 (last seen at collective #"), (0, 1, "rank 0 did not arrive")] {
            let r = try CommandRunner.mpi(ranks: 2, trainArguments("hung\(hung)", extra: [
                "--step-timeout", "1", "--hang-rank", "\(hung)"]), timeout: 60)
            XCTAssertNotEqual(r.status, 0)
            XCTAssertLessThan(r.seconds, 30)
            XCTAssertTrue(r.stderr.contains("iqp: rank \(reporter): error: collective #"), r.stderr)
            XCTAssertTrue(r.stderr.contains("of step 3"), r.stderr)
            XCTAssertTrue(r.stderr.contains(text), r.stderr)
        }
    }

    func testBadInputOnAnyRankEndsTheJobWithAMessage() throws {
        let bad = path("bad-data.csv")   // not bad.csv: that is the run's --log, and an output may not replace an input
        try "0,1,0\n1,1\n".write(toFile: bad, atomically: true, encoding: .utf8)
        var args = trainArguments("bad")
        args[args.firstIndex(of: "--data")! + 1] = bad
        let r = try CommandRunner.mpi(ranks: 2, args, timeout: 60)
        XCTAssertNotEqual(r.status, 0)
        XCTAssertLessThan(r.seconds, 30)
        XCTAssertTrue(r.stderr.contains("\(bad):2:"), r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("bad.json")))
    }

    /// A rank killed with SIGKILL mid-run: mpirun notices and ends the job; nothing hangs.
    func testKilledRankDoesNotLeaveTheOthersHanging() throws {
        guard let mpirun = CommandRunner.mpirun else { throw XCTSkip("mpirun is not installed") }
        let tag = "killed-\(UUID().uuidString.prefix(8))"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: mpirun)
        process.arguments = CommandRunner.mpirunArguments(ranks: 2) + [CommandRunner.iqp]
            + trainArguments(tag, steps: 100_000)
        process.environment = CommandRunner.childEnvironment()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        // Wait for training to be under way (the log has a few steps), then kill one rank.
        let log = path("\(tag).csv")
        let started = Date()
        while (try? String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").count) ?? 0 < 5 {
            if Date().timeIntervalSince(started) > 120 { XCTFail("training did not start"); return }
            usleep(100_000)
        }
        let ranks = try rankProcesses(containing: tag)
        XCTAssertEqual(ranks.count, 2, "rank processes: \(ranks)")
        kill(ranks.last!, SIGKILL)
        let killedAt = Date()
        while process.isRunning && Date().timeIntervalSince(killedAt) < 60 { usleep(50_000) }
        let waited = Date().timeIntervalSince(killedAt)
        print("mpirun exited \(String(format: "%.2f", waited)) s after a rank was killed")
        XCTAssertFalse(process.isRunning, "mpirun still running \(waited) s after a rank was killed")
        XCTAssertLessThan(waited, 15)
        XCTAssertNotEqual(process.terminationStatus, 0)
        XCTAssertTrue(try rankProcesses(containing: tag).isEmpty, "a rank survived")
    }

    /// PIDs of `iqp` processes whose command line contains `text`.
    func rankProcesses(containing text: String) throws -> [Int32] {
        try FileManager.default.contentsOfDirectory(atPath: "/proc").compactMap { Int32($0) }.filter { pid in
            guard let comm = try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8),
                  comm.trimmingCharacters(in: .whitespacesAndNewlines) == "iqp",
                  let cmd = try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/cmdline")) else { return false }
            return String(decoding: cmd, as: UTF8.self).contains(text)
        }.sorted()
    }
}
