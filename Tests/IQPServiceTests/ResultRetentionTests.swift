import Foundation
import IQPCore
import IQPSampler
@testable import IQPService
import XCTest

/// Retained results are capped in count and bytes, counted in the memory budget, and give
/// way to queued jobs; a dropped result answers 410, a removed job 404.
final class ResultRetentionTests: XCTestCase {
    /// One metric's value from the /metrics text.
    static func metric(_ text: String, _ name: String) -> Double? {
        text.split(separator: "\n").first { $0.hasPrefix(name + " ") }.flatMap { Double($0.split(separator: " ")[1]) }
    }

    static func runJob(_ url: URL, _ model: IQPModel, shots: Int, seed: UInt64) async throws -> String {
        let post = try await http("POST", url, "/v1/jobs", json: jobJSON(model, shots: shots, seed: seed))
        XCTAssertEqual(post.status, 202, post.text)
        let id = try post.decode(JobCreated.self).id
        let status = try await waitFinished(url, id)
        XCTAssertEqual(status["status"]?.string, "completed")
        return id
    }

    /// At most 3 finished jobs: the oldest (fetched first) are removed; the memory metric is the
    /// bytes of the results kept.
    func testCountCap() async throws {
        let model = try testModel(nQubits: 10)
        try await LiveServer.with({ $0.maxResults = 3 }) { url, _ in
            var ids: [String] = []
            for seed in 0..<3 as Range<UInt64> { ids.append(try await Self.runJob(url, model, shots: 1000, seed: seed)) }
            // Fetch the second: it goes before the (older) unfetched first one.
            let fetched = try await http("GET", url, "/v1/jobs/\(ids[1])/result")
            XCTAssertEqual(fetched.status, 200)
            ids.append(try await Self.runJob(url, model, shots: 1000, seed: 3))
            let removed = try await http("GET", url, "/v1/jobs/\(ids[1])")
            XCTAssertEqual(removed.status, 404)
            let kept = try await http("GET", url, "/v1/jobs/\(ids[0])")
            XCTAssertEqual(kept.status, 200)
            ids.append(try await Self.runJob(url, model, shots: 1000, seed: 4))
            let removedToo = try await http("GET", url, "/v1/jobs/\(ids[0])")
            XCTAssertEqual(removedToo.status, 404)
            let metrics = try await http("GET", url, "/metrics").text
            XCTAssertEqual(Self.metric(metrics, "iqp_results_retained"), 3)
            // 1000 shots of 10 qubits: one 8-byte word each.
            XCTAssertEqual(Self.metric(metrics, "iqp_result_bytes"), 3 * 8000)
            XCTAssertEqual(Self.metric(metrics, "iqp_memory_reserved_bytes"), 3 * 8000)
        }
    }

    /// Results over the byte cap are dropped oldest first; their jobs answer 410 with the reason.
    func testByteCap() async throws {
        let model = try testModel(nQubits: 10)
        try await LiveServer.with({ $0.maxResultBytes = 20_000 }) { url, _ in
            let first = try await Self.runJob(url, model, shots: 1000, seed: 1)
            let second = try await Self.runJob(url, model, shots: 1000, seed: 2)
            let third = try await Self.runJob(url, model, shots: 1000, seed: 3)
            let dropped = try await http("GET", url, "/v1/jobs/\(first)/result")
            XCTAssertEqual(dropped.status, 410)
            XCTAssertEqual(dropped.errorCode, "result_dropped")
            XCTAssertEqual(dropped.errorMessage, "job '\(first)' completed but its result was dropped to make room "
                + "(it keeps at most 1000 finished jobs and 19.5 KiB of results, which yield their memory to queued "
                + "jobs); fetch results promptly")
            for id in [second, third] { 
                let answer = try await http("GET", url, "/v1/jobs/\(id)/result")
                XCTAssertEqual(answer.status, 200)
            }
            let status = try await http("GET", url, "/v1/jobs/\(first)").decode(JobSnapshot.self)
            XCTAssertEqual(status.status, .completed)
            let metrics = try await http("GET", url, "/metrics").text
            XCTAssertEqual(Self.metric(metrics, "iqp_results_dropped_total"), 1)
            XCTAssertEqual(Self.metric(metrics, "iqp_result_bytes"), 2 * 8000)
        }
    }

    /// A queued job that needs the memory a result holds drops that result and runs.
    func testResultsYieldToQueuedJobs() async throws {
        let model = try testModel(nQubits: 10)
        // 400,000 shots need 400,000 × (8 + 24) bytes ≈ 12.2 MiB while running and keep 3.05 MiB.
        let budget = 14 << 20
        try await LiveServer.with({
            $0.limits = SamplerLimits(maxMemoryBytes: budget, maxShots: 1_000_000)
            $0.maxResultBytes = budget
        }) { url, _ in
            let first = try await Self.runJob(url, model, shots: 400_000, seed: 1)
            var metrics = try await http("GET", url, "/metrics").text
            XCTAssertEqual(Self.metric(metrics, "iqp_memory_reserved_bytes"), 3_200_000)
            let second = try await Self.runJob(url, model, shots: 400_000, seed: 2)
            let dropped = try await http("GET", url, "/v1/jobs/\(first)/result")
            XCTAssertEqual(dropped.errorCode, "result_dropped")
            let kept = try await http("GET", url, "/v1/jobs/\(second)/result")
            XCTAssertEqual(kept.status, 200)
            metrics = try await http("GET", url, "/metrics").text
            XCTAssertEqual(Self.metric(metrics, "iqp_memory_reserved_bytes"), 3_200_000)
        }
    }

    /// Finished jobs no longer hold their model; expiry and DELETE remove them.
    func testFinishedJobsDropTheirModel() async throws {
        let model = try testModel(nQubits: 6)
        try await LiveServer.with { url, service in
            let id = try await Self.runJob(url, model, shots: 10, seed: 1)
            let job = await service.store.jobs[id]
            XCTAssertNil(job?.request)
            XCTAssertEqual(job?.nQubits, 6)
            let deleted = try await http("DELETE", url, "/v1/jobs/\(id)")
            XCTAssertEqual(try deleted.decode(JobDeleted.self), JobDeleted(id: id))
            let count = await service.store.finishedCount
            XCTAssertEqual(count, 0)
        }
    }
}
