import Foundation
import XCTest

/// Runs the built `iqp` binary (next to the test bundle, or $IQP_BIN) alone and under
/// `mpirun`, including a rank that kills itself with SIGKILL.
final class InfoCommandTests: XCTestCase {
    private var binary: String {
        if let path = ProcessInfo.processInfo.environment["IQP_BIN"] { return path }
        let products = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        // The test bundle is `<products>/iqp-trainerPackageTests.xctest` (an executable on Linux).
        return products.appendingPathComponent("iqp").path
    }

    private func run(_ arguments: [String], timeout: TimeInterval = 120) throws -> (status: Int32, output: String) {
        XCTAssertTrue(FileManager.default.isExecutableFile(atPath: binary), "no iqp binary at \(binary) (set IQP_BIN)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: arguments[0] == "mpirun" ? "/usr/bin/env" : binary)
        process.arguments = arguments[0] == "mpirun" ? arguments.map { $0 == "IQP" ? binary : $0 } : Array(arguments.dropFirst())
        process.environment = cleanEnvironment()
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

    private let mpirun = ["mpirun", "--oversubscribe", "--allow-run-as-root", "-x", "OPENBLAS_NUM_THREADS=1"]

    func testInfoAloneIsOneRank() throws {
        let (status, output) = try run(["IQP", "info", "--ops", "10", "--samples", "6", "--ranks", "4"])
        XCTAssertEqual(status, 0, output)
        XCTAssertTrue(output.hasPrefix("iqp "), output)
        XCTAssertTrue(output.contains("MPI: Open MPI v"), output)
        XCTAssertTrue(output.contains("ranks: 1 (no launcher: single-process run); laying out 4"), output)
        // 2x2 has blocks of 5·3 = 15 pairs; 1x4 has 10·2 = 20 and 4x1 has 3·6 = 18.
        XCTAssertTrue(output.contains("grid: 2x2 = 2 op group(s) x 2 sample group(s) (automatic for 10 strings, 6 samples)"), output)
        XCTAssertTrue(output.contains("  rank 3 (1,1): strings 5..<10, samples 3..<6"), output)
    }

    func testBadGridIsAOneLineError() throws {
        let (status, output) = try run(["IQP", "info", "--grid", "2x2", "--ranks", "6"])
        XCTAssertNotEqual(status, 0)
        XCTAssertEqual(output, "Error: field '--grid': grid 2x2 has 4 ranks but the job has 6\n")
    }

    func testCollectivesAcrossThreeProcesses() throws {
        let (status, output) = try run(mpirun + ["-np", "3", "IQP", "info", "--check-collectives"])
        XCTAssertEqual(status, 0, output)
        XCTAssertTrue(output.contains("ranks: 3 (started by a launcher)"), output)
        XCTAssertTrue(output.contains("collectives: ok on 3 ranks"), output)
        XCTAssertEqual(output.components(separatedBy: "MPI: Open MPI").count, 2, "only rank 0 prints")
    }

    func testKilledRankEndsTheJob() throws {
        // Rank 1 dies with SIGKILL while rank 0 waits in MPI_Allreduce: mpirun must notice
        // and end the job with a non-zero status instead of hanging (the run() timeout fails it).
        let (status, output) = try run(mpirun + ["-np", "2", "IQP", "info", "--kill-rank", "1"], timeout: 60)
        XCTAssertNotEqual(status, 0, output)
        XCTAssertFalse(output.contains("collectives: ok"), output)
    }
}

/// This process's environment without the launcher variables that the test process's own
/// singleton `MPI_Init` set (`PMIX_*`, `OMPI_*`, `PMI_*`): a child started with them would try
/// to join this process's MPI job instead of starting its own.
func cleanEnvironment() -> [String: String] {
    ProcessInfo.processInfo.environment.filter { key, _ in
        !key.hasPrefix("PMIX_") && !key.hasPrefix("OMPI_") && !key.hasPrefix("PMI_")
    }
}
