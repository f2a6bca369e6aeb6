import Foundation
import IQPTestSupport
import XCTest

/// Runs the built `iqp info` and its subcommands (next to the test bundle, or $IQP_BIN) alone
/// and under `mpirun`, including a rank that kills itself with SIGKILL (`info inject-fault`).
final class InfoCommandTests: XCTestCase {
    private var binary: String { ChildProcess.iqpBinary }

    func run(_ arguments: [String], timeout: TimeInterval = 120) throws -> (status: Int32, output: String) {
        XCTAssertTrue(FileManager.default.isExecutableFile(atPath: binary), "no iqp binary at \(binary) (set IQP_BIN)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: arguments[0] == "mpirun" ? "/usr/bin/env" : binary)
        process.arguments = arguments[0] == "mpirun" ? arguments.map { $0 == "IQP" ? binary : $0 } : Array(arguments.dropFirst())
        process.environment = ChildProcess.cleanEnvironment()
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(50_000) }
        if process.isRunning {
            process.terminate()
            XCTFail("\(arguments.joined(separator: " ")) still running after \(timeout) s")
        }
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    let mpirun = ["mpirun", "--oversubscribe", "--allow-run-as-root", "-x", "OPENBLAS_NUM_THREADS=1"]

    func testInfoAloneIsOneRank() throws {
        let (status, output) = try run(["IQP", "info"])
        XCTAssertEqual(status, 0, output)
        XCTAssertTrue(output.hasPrefix("iqp "), output)
        XCTAssertTrue(output.contains("MPI: Open MPI v"), output)
        XCTAssertTrue(output.contains("\nranks: 1 (no launcher: single-process run)\n"), output)
        XCTAssertTrue(output.contains("\nInner loops: "), output)
        XCTAssertFalse(output.contains("grid:"), output)
    }

    func testGridPreviewsAnotherRankCount() throws {
        let (status, output) = try run(["IQP", "info", "grid", "--ops", "10", "--samples", "6", "--ranks", "4"])
        XCTAssertEqual(status, 0, output)
        XCTAssertTrue(output.hasPrefix("ranks: 1 (no launcher: single-process run); laying out 4\n"), output)
        // 2x2 has blocks of 5·3 = 15 pairs; 1x4 has 10·2 = 20 and 4x1 has 3·6 = 18.
        XCTAssertTrue(output.contains("grid: 2x2 = 2 op group(s) x 2 sample group(s) (automatic for 10 strings, 6 samples)"), output)
        XCTAssertTrue(output.contains("  rank 3 (1,1): strings 5..<10, samples 3..<6"), output)
    }

    func testBadGridIsAOneLineError() throws {
        // With --ranks the mismatch is in the command line itself: a usage error (exit 64).
        let (status, output) = try run(["IQP", "info", "grid", "--grid", "2x2", "--ranks", "6"])
        XCTAssertEqual(status, 64, output)
        XCTAssertEqual(output, "iqp: error: --grid: grid 2x2 has 4 ranks but the job has 6 (see 'iqp info grid --help')\n")
    }

    func testCollectivesAcrossThreeProcesses() throws {
        let (status, output) = try run(mpirun + ["-np", "3", "IQP", "info", "check-collectives"])
        XCTAssertEqual(status, 0, output)
        XCTAssertTrue(output.contains("ranks: 3 (started by a launcher)"), output)
        XCTAssertTrue(output.contains("collectives: ok on 3 ranks"), output)
        XCTAssertEqual(output.components(separatedBy: "MPI: Open MPI").count, 2, "only rank 0 prints")
    }

    func testKilledRankEndsTheJob() throws {
        // Rank 1 dies with SIGKILL while rank 0 waits in MPI_Allreduce: mpirun must notice
        // and end the job with a non-zero status instead of hanging (the run() timeout fails it).
        let (status, output) = try run(mpirun + ["-np", "2", "IQP", "info", "inject-fault", "--kill-rank", "1"], timeout: 60)
        XCTAssertNotEqual(status, 0, output)
        XCTAssertFalse(output.contains("collectives: ok"), output)
    }
}

extension InfoCommandTests {
    func testVersionNamesTheLibrariesWithoutStartingMPI() throws {
        let (status, output) = try run(["IQP", "--version"])
        XCTAssertEqual(status, 0, output)
        let lines = output.split(separator: "\n")
        XCTAssertEqual(lines.count, 3, output)
        XCTAssertTrue(lines[0].hasPrefix("iqp "), output)
        XCTAssertTrue(lines[1].hasPrefix("MPI: Open MPI v"), output)
        XCTAssertTrue(lines[2].hasPrefix("BLAS: OpenBLAS "), output)
    }

    func testAbortingRankEndsTheJobWithItsMessage() throws {
        // Rank 1 calls MPICommunicator.abort while ranks 0 and 2 wait in MPI_Allreduce.
        let (status, output) = try run(mpirun + ["-np", "3", "IQP", "info", "inject-fault", "--abort-rank", "1"], timeout: 60)
        XCTAssertEqual(status, 3, output)
        XCTAssertTrue(output.contains("iqp: rank 1: error: --abort-rank 1 was given\n"), output)
        // Open MPI's own "MPI_ABORT was invoked" banner is usually there but not always (its
        // show_help can lose a race with the teardown), so it is not asserted.
        XCTAssertFalse(output.contains("collectives: ok"), output)
    }

    func testMeasureCollectivesUnderMPIRunWritesTheCSV() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("iqp-coll-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let out = directory.appendingPathComponent("collectives.csv").path
        let (status, output) = try run(mpirun + [
            "-np", "2", "IQP", "info", "measure-collectives", "--max-bytes", "4K", "--out", out])
        XCTAssertEqual(status, 0, output)
        XCTAssertTrue(output.contains("collective timings on 2 ranks, 8 B … 4096 B"), output)
        for name in ["allreduce", "reduce", "bcast", "reduce_scatter", "allgather"] {
            XCTAssertTrue(output.contains("\n\(String(repeating: " ", count: max(0, 8 - name.count)))\(name)  "), output)
        }
        let rows = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").dropFirst()
        XCTAssertEqual(rows.count, 5 * 10)
        for row in rows {
            let fields = row.split(separator: ",", omittingEmptySubsequences: false)
            XCTAssertEqual(fields[2], "2")
            XCTAssertGreaterThan(Double(fields[3])!, 0, String(row))
            XCTAssertNotNil(Double(fields[5]), String(row))
        }
    }

    /// predict-scaling: the summary names both models and fabrics and the given inputs; the
    /// CSVs have a row per rank count whose 1-rank efficiencies are 1 and whose sharded steps
    /// are not slower.
    func testPredictScalingWritesOneCSVPerModel() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("iqp-pred-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let (status, output) = try run(["IQP", "info", "predict-scaling", "--compute-seconds", "0.25,14",
                                        "--adam-ns", "6.5", "--out", directory.path])
        XCTAssertEqual(status, 0, output)
        XCTAssertTrue(output.hasPrefix("Adam: 6.5 ns per parameter (--adam-ns)\n"), output)
        XCTAssertTrue(output.contains("1000 qubits: p = 500500, T1 = 0.25 s; root Adam state 7 MiB, 0.00325 s/step"), output)
        XCTAssertTrue(output.contains("1000 qubits: p = 500500"), output)
        XCTAssertTrue(output.contains("10000 qubits: p = 50005000"), output)
        XCTAssertTrue(output.contains("  ib100 (α = 1.5 µs"), output)
        XCTAssertTrue(output.contains("  eth25 (α = 15 µs"), output)
        for qubits in [1000, 10_000] {
            let lines = try String(contentsOfFile: directory.appendingPathComponent("prediction-\(qubits).csv").path,
                                   encoding: .utf8).split(separator: "\n")
            XCTAssertEqual(lines[0], "ranks,ib100_root_step,ib100_root_efficiency,ib100_sharded_step,ib100_sharded_efficiency,"
                           + "eth25_root_step,eth25_root_efficiency,eth25_sharded_step,eth25_sharded_efficiency")
            XCTAssertEqual(lines.count, 12)
            let one = lines[1].split(separator: ",").map { Double($0)! }
            XCTAssertEqual([one[0], one[2], one[4], one[6], one[8]], [1, 1, 1, 1, 1])
            for line in lines.dropFirst(2) {
                let cells = line.split(separator: ",").map { Double($0)! }
                XCTAssertLessThanOrEqual(cells[3], cells[1], String(line))
                XCTAssertLessThanOrEqual(cells[7], cells[5], String(line))
            }
        }
    }

    /// Without --adam-ns, Adam's rate is measured in the process (a positive figure; its value
    /// depends on the machine).
    func testPredictScalingMeasuresAdamWhenNotGiven() throws {
        let (status, output) = try run(["IQP", "info", "predict-scaling", "--compute-seconds", "0.25,14"])
        XCTAssertEqual(status, 0, output)
        let first = try XCTUnwrap(output.split(separator: "\n").first)
        XCTAssertTrue(first.hasPrefix("Adam: ") && first.hasSuffix(" ns per parameter (measured now on 2^20 parameters)"), output)
        XCTAssertGreaterThan(Double(first.dropFirst(6).split(separator: " ")[0]) ?? 0, 0, output)
    }
}
