import Foundation
import XCTest

/// The dispatch stage end to end: `iqp serve` on a free loopback port, two trainers pointed at
/// it at once, both get their shots back and report the shots' MMD² next to the model's.
final class DispatchTests: XCTestCase {
    func testTwoTrainersShareOneSamplerService() throws {
        let directory = try CommandRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let log = directory.appendingPathComponent("serve.log").path
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let server = Process()
        server.executableURL = URL(fileURLWithPath: CommandRunner.iqp)
        server.arguments = ["serve", "--host", "127.0.0.1", "--port", "0", "--workers", "1"]
        server.environment = CommandRunner.childEnvironment()
        let logHandle = FileHandle(forWritingAtPath: log)!
        server.standardOutput = logHandle
        server.standardError = logHandle
        try server.run()
        defer { if server.isRunning { server.interrupt(); server.waitUntilExit() } }

        // The server prints the URL it listens on.
        var url: String?
        let started = Date()
        while url == nil && Date().timeIntervalSince(started) < 60 {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            if let range = text.range(of: #"http://127\.0\.0\.1:[0-9]+"#, options: .regularExpression) { url = String(text[range]) }
            else { usleep(100_000) }
        }
        let serviceURL = try XCTUnwrap(url, "iqp serve did not report its address")

        // Two trainers at once, different seeds.
        let results = ResultBox()
        DispatchQueue.concurrentPerform(iterations: 2) { i in
            let args = ["train", "--steps", "15", "--lr", "0.01", "--ops", "200", "--samples", "200", "--seed", "\(i + 1)",
                        "--eval-ops", "200", "--eval-samples", "200", "--quiet",
                        "--out", directory.appendingPathComponent("m\(i).json").path,
                        "--shots", "3000", "--sampler", serviceURL,
                        "--samples-out", directory.appendingPathComponent("shots\(i).csv").path]
            results.set(i, try? CommandRunner.iqp(args, timeout: 300))
        }
        for i in 0..<2 {
            let r = try XCTUnwrap(results.get(i))
            XCTAssertEqual(r.status, 0, r.stderr)
            XCTAssertTrue(r.stdout.contains("3000 shots written"), r.stdout)
            XCTAssertTrue(r.stdout.contains("sample-based MMD²"), r.stdout)
            let shots = try String(contentsOfFile: directory.appendingPathComponent("shots\(i).csv").path, encoding: .utf8)
                .split(separator: "\n")
            XCTAssertEqual(shots.count, 3000)
            XCTAssertTrue(shots.allSatisfy { $0.split(separator: ",").count == 16 })
            // The shots' MMD² agrees with the model's string-based estimate within a loose bound.
            let row = r.stdout.split(separator: "\n").last { $0.contains("±") }!.split(separator: " ")
            let fromShots = Double(row[1])!, fromModel = Double(row[2])!, stderr = Double(row[4])!
            XCTAssertLessThan(abs(fromShots - fromModel), 5 * stderr + 2e-3, String(r.stdout))
        }
        // Graceful shutdown on SIGTERM.
        server.terminate()
        server.waitUntilExit()
        XCTAssertEqual(server.terminationStatus, 0)
    }

    final class ResultBox: @unchecked Sendable {
        private var results: [Int: CommandRunner.Result] = [:]
        private let lock = NSLock()
        func set(_ i: Int, _ r: CommandRunner.Result?) { lock.lock(); results[i] = r; lock.unlock() }
        func get(_ i: Int) -> CommandRunner.Result? { lock.lock(); defer { lock.unlock() }; return results[i] }
    }
}
