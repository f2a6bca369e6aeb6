import Foundation
import IQPTestSupport
import XCTest

/// launch/one-node and launch/scaling-study driven with a stand-in for `iqp` (a Python script
/// that writes deterministic phase timings), so the study's arithmetic can be checked exactly.
final class LaunchScriptTests: XCTestCase {
    private let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// Seconds per step of `phase` on `rank` of an N-rank run with `work` = ops·samples pairs:
    /// the stand-in writes exactly these (times steps). `plot` goes to the real iqp (REAL_IQP).
    private static let fakeIQP = """
        #!/usr/bin/env python3
        import os, sys
        args = sys.argv[1:]
        if args[0] == "plot":
            os.execv(os.environ["REAL_IQP"], [os.environ["REAL_IQP"]] + args)
        assert args[0] == "train", args
        value = lambda flag: args[args.index(flag) + 1]
        n = int(os.environ["OMPI_COMM_WORLD_SIZE"]); me = int(os.environ["OMPI_COMM_WORLD_RANK"])
        ops, samples, steps = int(value("--ops")), int(value("--samples")), int(value("--steps"))
        if me == 0:
            with open(value("--timings"), "w") as f:
                f.write("# BLAS: FakeBLAS 1.0, core Test\\n# ranks: %d\\n" % n)
                f.write("rank,phase,seconds,steps\\n")
                for r in range(n):
                    per_step = {"sampling": 0.001, "local_compute": ops * samples * 1e-5 / n * (1 + 0.25 * r),
                                "reductions": 0.002 * (n - 1), "optimizer": 0.003 if r == 0 else 0.0,
                                "broadcast": 0.0005 * (n - 1), "io": 0.004 if r == 0 else 0.0}
                    total = sum(per_step.values()) + 0.0001
                    for phase, seconds in list(per_step.items()) + [("total", total)]:
                        f.write(f"{r},{phase},{seconds * steps:.9f},{steps}\\n")
        """

    private func perStep(n: Int, ops: Int, samples: Int) -> (time: Double, compute: Double) {
        var slowest = 0.0, compute = 0.0
        for r in 0..<n {
            let local = Double(ops * samples) * 1e-5 / Double(n) * (1 + 0.25 * Double(r))
            let total = 0.001 + local + 0.002 * Double(n - 1) + (r == 0 ? 0.003 : 0) + 0.0005 * Double(n - 1)
                + (r == 0 ? 0.004 : 0) + 0.0001
            slowest = max(slowest, total)
            compute += local / Double(n)
        }
        return (slowest, compute)
    }

    private func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws
        -> (status: Int32, output: String)
    {
        try ChildProcess.run(executable, arguments, in: root, environment: environment)
    }

    private func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("iqp-launch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        return folder
    }

    func testScalingStudyTableMatchesTheTimings() throws {
        let folder = try temporaryFolder()
        let fake = folder.appendingPathComponent("fake-iqp")
        try Self.fakeIQP.write(to: fake, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: fake.path)
        let out = folder.appendingPathComponent("study")
        let (status, output) = try run(root.appendingPathComponent("launch/scaling-study").path, [
            "--ranks", "1 2 3", "--ops", "8", "--samples", "50", "--steps", "4", "--cores", "2",
            "--out", out.path, "--", "--seed", "1",
        ], environment: ["IQP_BIN": fake.path, "REAL_IQP": ChildProcess.iqpBinary])
        XCTAssertEqual(status, 0, output)

        let csv = try String(contentsOf: out.appendingPathComponent("scaling.csv"), encoding: .utf8)
        let lines = csv.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        XCTAssertEqual(lines[0], ["mode", "ranks", "oversubscribed", "ops", "samples", "steps", "time_per_step",
                                  "speedup", "efficiency", "sampling", "local_compute", "reductions", "optimizer",
                                  "broadcast", "io"])
        XCTAssertEqual(lines.count, 7)
        let strongT1 = perStep(n: 1, ops: 8, samples: 50).time
        let weakT1 = strongT1
        for (index, (mode, n)) in [("strong", 1), ("strong", 2), ("strong", 3), ("weak", 1), ("weak", 2), ("weak", 3)].enumerated() {
            let row = lines[index + 1]
            let samples = mode == "weak" ? 50 * n : 50
            let expected = perStep(n: n, ops: 8, samples: samples)
            XCTAssertEqual(row[0], mode)
            XCTAssertEqual(row[1], "\(n)")
            XCTAssertEqual(row[2], n > 2 ? "yes" : "no")
            XCTAssertEqual(row[4], "\(samples)")
            let time = Double(row[6])!, speedup = Double(row[7])!, efficiency = Double(row[8])!
            XCTAssertEqual(time, expected.time, accuracy: 1e-5 * expected.time, "\(mode) \(n)")
            XCTAssertEqual(Double(row[10])!, expected.compute, accuracy: 1e-5 * expected.compute)
            if mode == "strong" {
                XCTAssertEqual(speedup, strongT1 / expected.time, accuracy: 1e-5)
                XCTAssertEqual(efficiency, strongT1 / (Double(n) * expected.time), accuracy: 1e-5)
            } else {
                XCTAssertEqual(speedup, Double(n) * weakT1 / expected.time, accuracy: 1e-5)
                XCTAssertEqual(efficiency, weakT1 / expected.time, accuracy: 1e-5)
            }
        }

        let table = try String(contentsOf: out.appendingPathComponent("scaling.md"), encoding: .utf8)
        XCTAssertTrue(table.contains("| strong | 3* | 8 | 50 |"), table)
        XCTAssertTrue(table.contains("| weak | 2 | 8 | 100 |"), table)
        XCTAssertTrue(table.contains("oversubscribed: more ranks than the 2 cores"), table)
        XCTAssertTrue(table.contains("Measured with (from the timings files): BLAS: FakeBLAS 1.0, core Test."), table)
        // The plots are drawn by `iqp plot scaling` (its own tests check the drawing).
        for plot in ["speedup.svg", "efficiency.svg"] {
            let svg = try String(contentsOf: out.appendingPathComponent(plot), encoding: .utf8)
            XCTAssertTrue(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""), plot)
            XCTAssertTrue(svg.hasSuffix("</svg>\n"), plot)
            XCTAssertEqual(svg.components(separatedBy: "<circle class=\"marker\"").count - 1, 9,
                           "6 points + 3 legend markers (strong, weak, oversubscribed) in \(plot)")
            XCTAssertEqual(svg.components(separatedBy: "fill=\"white\" stroke=\"#").count - 1, 3,
                           "2 hollow points + the legend's hollow marker in \(plot)")
            XCTAssertTrue(svg.contains(">2 cores</text>"), plot)
        }

        // --report-only rebuilds the same CSV from the timings folder (ops/samples left blank).
        let (again, againOutput) = try run(root.appendingPathComponent("launch/scaling-study").path,
                                           ["--report-only", "--out", out.path, "--cores", "2"],
                                           environment: ["IQP_BIN": ChildProcess.iqpBinary])
        XCTAssertEqual(again, 0, againOutput)
        let rebuilt = try String(contentsOf: out.appendingPathComponent("scaling.csv"), encoding: .utf8)
        XCTAssertEqual(rebuilt.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false)[6] },
                       csv.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false)[6] })
    }

    func testScalingStudyRejectsABadTimingsFile() throws {
        let folder = try temporaryFolder()
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("timings"), withIntermediateDirectories: true)
        try "rank,phase,seconds,steps\n0,sampling,abc,4\n".write(
            to: folder.appendingPathComponent("timings/strong-1.csv"), atomically: true, encoding: .utf8)
        let (status, output) = try run(root.appendingPathComponent("launch/scaling-study").path,
                                       ["--report-only", "--out", folder.path],
                                       environment: ["IQP_BIN": ChildProcess.iqpBinary])
        XCTAssertEqual(status, 1)
        XCTAssertEqual(output, "launch/scaling-study: error: \(folder.path)/timings/strong-1.csv:2: field 'seconds': 'abc' is not a number\n")
    }

    func testOneNodeRejectsAMissingRankCount() throws {
        let (status, output) = try run(root.appendingPathComponent("launch/one-node").path, ["train"])
        XCTAssertEqual(status, 2)
        XCTAssertEqual(output, "launch/one-node: error: the first argument must be -n N (see --help)\n")
        let (zero, zeroOutput) = try run(root.appendingPathComponent("launch/one-node").path, ["-n", "0", "info"])
        XCTAssertEqual(zero, 2)
        XCTAssertEqual(zeroOutput, "launch/one-node: error: -n needs a positive rank count, not '0'\n")
    }

    /// launch/hostfile with `localhost slots=2` (and a comment): two ranks through the hostfile
    /// path, talking over TCP on loopback as nodes without shared memory would.
    func testHostfileRunOnLocalhost() throws {
        let hosts = try temporaryFolder().appendingPathComponent("hosts")
        try "# this machine only\nlocalhost slots=2\n".write(to: hosts, atomically: true, encoding: .utf8)
        let (status, output) = try run(root.appendingPathComponent("launch/hostfile").path,
                                       [hosts.path, "info", "check-collectives"],
                                       environment: ["IQP_BIN": ChildProcess.iqpBinary,
                                                     "MPIRUN_ARGS": "--mca btl tcp,self --mca btl_tcp_if_include lo"])
        XCTAssertEqual(status, 0, output)
        XCTAssertTrue(output.contains("--hostfile \(hosts.path) -np 2 "), output)
        XCTAssertTrue(output.contains("collectives: ok on 2 ranks"), output)
        let (missing, message) = try run(root.appendingPathComponent("launch/hostfile").path, [])
        XCTAssertEqual(missing, 2)
        XCTAssertEqual(message, "launch/hostfile: error: give a hostfile (see --help)\n")
    }
}
