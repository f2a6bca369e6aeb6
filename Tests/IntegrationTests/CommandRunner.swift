import Foundation
import IQPTestSupport
import XCTest

/// Runs the built `iqp` binary (and `mpirun`) as a user would, for the end-to-end tests.
enum CommandRunner {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        var seconds: Double
    }

    /// The `iqp` binary next to the test bundle (or `$IQP_BIN`).
    static var iqp: String { ChildProcess.iqpBinary }

    static var mpirun: String? {
        for dir in ["/usr/bin", "/usr/local/bin"] where FileManager.default.isExecutableFile(atPath: dir + "/mpirun") {
            return dir + "/mpirun"
        }
        return nil
    }

    /// mpirun's arguments for `ranks` ranks on this machine.
    static func mpirunArguments(ranks: Int) -> [String] {
        var args = ["-np", "\(ranks)", "--oversubscribe", "-x", "OPENBLAS_NUM_THREADS=1"]
        if getuid() == 0 { args.append("--allow-run-as-root") }
        return args
    }

    /// Runs `executable` with `arguments`, waiting at most `timeout` seconds (then SIGKILL).
    @discardableResult
    static func run(_ executable: String, _ arguments: [String], timeout: Double = 300,
                    environment: [String: String] = [:]) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var env = childEnvironment()
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        let start = Date()
        try process.run()
        // Drain both pipes concurrently so a chatty child never blocks.
        let outData = DataBox(), errData = DataBox()
        let group = DispatchGroup()
        for (pipe, box) in [(out, outData), (err, errData)] {
            group.enter()
            DispatchQueue.global().async {
                box.data = pipe.fileHandleForReading.readDataToEndOfFile()
                group.leave()
            }
        }
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        group.wait()
        return Result(status: process.terminationStatus, stdout: String(decoding: outData.data, as: UTF8.self),
                      stderr: String(decoding: errData.data, as: UTF8.self), seconds: Date().timeIntervalSince(start))
    }

    /// What `interrupt` saw: the exit status, whether a signal ended the process, its stderr.
    struct Interrupted {
        var status: Int32
        var signalled: Bool
        var stderr: String
    }

    /// Starts `executable`, waits until the loss log `log` has at least `lines` steps, sends
    /// `signal` `times` times (50 ms apart), and waits for the process (at most 120 s in all).
    static func interrupt(_ executable: String, _ arguments: [String], log: String, lines: Int, signal: Int32,
                          times: Int = 1, environment: [String: String] = [:]) throws -> Interrupted {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = childEnvironment().merging(environment) { _, new in new }
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        let box = DataBox(), done = DispatchSemaphore(value: 0)
        try process.run()
        DispatchQueue.global().async { box.data = err.fileHandleForReading.readDataToEndOfFile(); done.signal() }
        let deadline = Date().addingTimeInterval(120)
        func logLines() -> Int {
            ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").split(separator: "\n").count - 1
        }
        while process.isRunning && logLines() < lines && Date() < deadline { usleep(5_000) }
        XCTAssertTrue(process.isRunning, "the run ended before the signal; give it more steps")
        for i in 0..<times {
            if i > 0 { usleep(50_000) }
            kill(process.processIdentifier, signal)
        }
        while process.isRunning && Date() < deadline { usleep(10_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        done.wait()
        return Interrupted(status: process.terminationStatus, signalled: process.terminationReason == .uncaughtSignal,
                           stderr: String(decoding: box.data, as: UTF8.self))
    }

    /// The environment for child processes: no MPI launcher variables of the test process
    /// (`ChildProcess.cleanEnvironment`), root allowed, one BLAS thread.
    static func childEnvironment() -> [String: String] {
        var env = ChildProcess.cleanEnvironment()
        if getuid() == 0 { env["OMPI_ALLOW_RUN_AS_ROOT"] = "1"; env["OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"] = "1" }
        env["OPENBLAS_NUM_THREADS"] = "1"
        return env
    }

    final class DataBox: @unchecked Sendable { var data = Data() }

    static func iqp(_ arguments: [String], timeout: Double = 300) throws -> Result {
        try run(iqp, arguments, timeout: timeout)
    }

    static func mpi(ranks: Int, _ arguments: [String], timeout: Double = 300) throws -> Result {
        guard let mpirun else { throw XCTSkip("mpirun is not installed") }
        return try run(mpirun, mpirunArguments(ranks: ranks) + [iqp] + arguments, timeout: timeout)
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("iqp-it-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Rows of a CSV file as arrays of numbers (header skipped).
    /// A 3×3 bars-and-stripes data set of 300 rows made with `iqp data` as `bas.csv` in
    /// `directory` (the integration tests' small training set); traps if `iqp data` fails.
    static func barsAndStripes(in directory: URL, seed: Int) -> String {
        let path = directory.appendingPathComponent("bas.csv").path
        let r = try! iqp(["data", "bars-and-stripes", "--rows", "3", "--columns", "3",
                          "--count", "300", "--seed", "\(seed)", "--out", path])
        precondition(r.status == 0, r.stderr)
        return path
    }

    static func csvNumbers(_ path: String) throws -> [[Double]] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").dropFirst().map { line in
            line.split(separator: ",", omittingEmptySubsequences: false).map { Double($0) ?? .nan }
        }
    }

    /// The "params" list of a model file.
    static func params(_ path: String) throws -> [Double] {
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [String: Any]
        return (object["params"] as! [Any]).map { ($0 as! NSNumber).doubleValue }
    }
}
