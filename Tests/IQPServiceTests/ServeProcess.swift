import Foundation
import IQPCore
import IQPTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// `iqp serve` as a child process on a free loopback port, as a user runs it: its address from
/// the line it prints, its resident memory from /proc, SIGTERM, its exit status and log.
final class ServeProcess: @unchecked Sendable {
    let process = Process()
    let logPath: String
    private(set) var url: URL!

    /// Starts `iqp serve --host HOST --port 0 ARGS` and waits until it listens.
    init(_ arguments: [String], environment: [String: String] = [:], host: String = "127.0.0.1") throws {
        logPath = FileManager.default.temporaryDirectory.appendingPathComponent("iqp-serve-\(UUID().uuidString).log").path
        FileManager.default.createFile(atPath: logPath, contents: nil)
        let log = try XCTUnwrapOrThrow(FileHandle(forWritingAtPath: logPath))
        process.executableURL = URL(fileURLWithPath: ChildProcess.iqpBinary)
        process.arguments = ["serve", "--host", host, "--port", "0"] + arguments
        process.environment = ChildProcess.cleanEnvironment().merging(environment) { _, new in new }
        process.standardOutput = log
        process.standardError = log
        try process.run()
        let started = Date()
        while Date().timeIntervalSince(started) < 60 {
            if let range = self.log.range(of: #"listening on http://[0-9.]+:[0-9]+"#, options: .regularExpression) {
                let port = self.log[range].split(separator: ":").last!
                url = URL(string: "http://127.0.0.1:\(port)")
                return
            }
            if !process.isRunning { break }
            usleep(50_000)
        }
        stop()
        throw IQPError("iqp serve did not start: \(self.log)")
    }

    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// Resident set size in bytes (VmRSS), nil once the process is gone.
    var residentBytes: Int? {
        guard let text = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kb = line.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) else { return nil }
        return kb * 1024
    }

    func terminate() { kill(process.processIdentifier, SIGTERM) }

    /// Waits for the exit (at most `seconds`, then SIGKILL); returns the exit status.
    @discardableResult
    func waitForExit(seconds: Double = 60) -> Int32 {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        return process.terminationStatus
    }

    func stop() {
        if process.isRunning { terminate(); waitForExit(seconds: 30) }
        try? FileManager.default.removeItem(atPath: logPath)
    }
}

/// `iqp ARGS` to completion: (exit status, standard error).
func runIQP(_ arguments: [String]) throws -> (status: Int32, stderr: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: ChildProcess.iqpBinary)
    process.arguments = arguments
    process.environment = ChildProcess.cleanEnvironment()
    let pipe = Pipe()
    process.standardError = pipe
    process.standardOutput = FileHandle.nullDevice
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}

func XCTUnwrapOrThrow<T>(_ value: T?) throws -> T {
    guard let value else { throw IQPError("unexpected nil") }
    return value
}
