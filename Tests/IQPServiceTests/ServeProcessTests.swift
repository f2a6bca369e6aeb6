import Foundation
import IQPCore
import IQPSampler
@testable import IQPService
import XCTest

/// `iqp serve` as a process: slow and idle connections are closed, freed results give their
/// memory back to the system, options out of bounds are refused with one clear line.
final class ServeProcessTests: XCTestCase {
    /// Half-sent headers, an idle keep-alive connection and a trickled body are all closed by
    /// the server (idle timeout 1 s, body timeout 2 s) while it goes on answering; connections
    /// left half-open do not hold up a SIGTERM.
    func testSlowClientsAreClosed() async throws {
        let server = try ServeProcess(["--idle-timeout", "1", "--body-timeout", "2", "--shutdown-grace", "1"])
        defer { server.stop() }
        let port = try XCTUnwrap(server.url.port)
        let halfSent = try (0..<20).map { _ in try RawConnection(port: port) }
        for c in halfSent { c.send("POST /v1/jobs HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: app") }
        let idle = try RawConnection(port: port)
        idle.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        let trickle = try RawConnection(port: port)
        trickle.send("POST /v1/jobs HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{")
        let trickling = Task.detached {
            // One byte every 0.3 s: never idle for a second, but the body never completes.
            while !Task.isCancelled && trickle.send(" ") { try? await Task.sleep(nanoseconds: 300_000_000) }
        }
        defer { trickling.cancel() }
        // Still serving while those connections hang.
        let health = try await http("GET", server.url, "/healthz")
        XCTAssertEqual(health.status, 200)

        for (k, c) in halfSent.enumerated() { XCTAssertTrue(c.waitForClose(seconds: 20), "half-sent connection \(k) still open") }
        XCTAssertTrue(idle.waitForClose(seconds: 20), "idle keep-alive connection still open")
        XCTAssertTrue(idle.received.hasPrefix("HTTP/1.1 200"), idle.received)
        XCTAssertTrue(trickle.waitForClose(seconds: 20), "trickling connection still open")

        // Half-open connections at SIGTERM: the process still exits, with status 0.
        let more = try (0..<10).map { _ in try RawConnection(port: port) }
        for c in more { c.send("GET /heal") }
        server.terminate()
        XCTAssertEqual(server.waitForExit(seconds: 30), 0, server.log)
    }

    /// Results held (4 × 1,000,000 shots = 32 MB) count in the memory metric, and when they are
    /// deleted the process's resident memory falls back (the heap is trimmed).
    func testResultMemoryIsGivenBack() async throws {
        let server = try ServeProcess(["--workers", "1", "--max-memory", "512M"])
        defer { server.stop() }
        let url = server.url!
        _ = try await http("GET", url, "/healthz")
        let model = try testModel(nQubits: 10)
        var ids: [String] = []
        for seed in 0..<4 as Range<UInt64> {
            ids.append(try await http("POST", url, "/v1/jobs", json: jobJSON(model, shots: 1_000_000, seed: seed))
                .decode(JobCreated.self).id)
        }
        for id in ids { _ = try await waitFinished(url, id) }
        let metrics = try await http("GET", url, "/metrics").text
        XCTAssertTrue(metrics.contains("\niqp_result_bytes 32000000\n"), metrics)
        XCTAssertTrue(metrics.contains("\niqp_memory_reserved_bytes 32000000\n"), metrics)
        let held = try XCTUnwrap(server.residentBytes)
        for id in ids { _ = try await http("DELETE", url, "/v1/jobs/\(id)") }
        try await Task.sleep(nanoseconds: 1_000_000_000)   // the retention loop trims every 250 ms
        let after = try XCTUnwrap(server.residentBytes)
        XCTAssertLessThan(after, held - 24_000_000, "RSS \(held >> 20) MiB with results, \(after >> 20) MiB after deleting them")
        print("result memory: RSS \(held >> 20) MiB holding 32 MB of results, \(after >> 20) MiB after deleting them")
    }

    /// Options out of bounds and bad files: one line, non-zero exit, no server.
    func testOptionBoundsAndErrors() throws {
        let cases: [([String], Int32, String)] = [
            (["serve", "--retention", "inf"], 64, "--retention must be 1…604800 (seconds (7 days at most)), got inf"),
            (["serve", "--workers", "100000"], 64, "--workers must be 1…256 (jobs simulated at once), got 100000"),
            (["serve", "--queue", "1000000000"], 64, "--queue must be 1…100000 (jobs waiting), got 1000000000"),
            (["serve", "--shutdown-grace=-1"], 64, "--shutdown-grace must be 0…3600 (seconds), got -1"),
            (["serve", "--max-memory", "lots"], 64, "expected auto, a number of bytes, or a size such as 12G or 512MiB"),
            (["serve", "--max-memory", "100000G"], 64, "is more than this machine's"),
            (["serve", "--precision", "complex32"], 64, "complex32"),
            (["serve", "--max-memory", "2M", "--max-result-memory", "3M"], 64,
             "--max-result-memory: 3 MiB is more than the --max-memory budget"),
            (["serve", "--max-result-memory", "100000G"], 64, "iqp: error: --max-result-memory: "),
            (["serve", "--token-file", "/nonexistent/tokens"], 1, "iqp: error: /nonexistent/tokens: cannot read the token file"),
            (["sample", "--model", "/nonexistent/model.json", "--shots", "10", "--out", "/tmp/x.csv"], 1,
             "iqp: error: "),
        ]
        for (arguments, status, message) in cases {
            let (exit, stderr) = try runIQP(arguments)
            XCTAssertEqual(exit, status, "\(arguments): \(stderr)")
            XCTAssertTrue(stderr.contains(message), "\(arguments): \(stderr)")
        }
    }

    /// Listening beyond loopback without tokens prints a loud warning.
    func testOpenBindingWarns() throws {
        let server = try ServeProcess([], environment: [:], host: "0.0.0.0")
        defer { server.stop() }
        XCTAssertTrue(server.log.contains("WARNING: listening on 0.0.0.0"), server.log)
    }
}
