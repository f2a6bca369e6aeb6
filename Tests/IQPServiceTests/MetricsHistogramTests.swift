import Foundation
import IQPCore
@testable import IQPService
import XCTest

/// The histograms of /metrics: Prometheus buckets are cumulative with inclusive upper bounds
/// (`le`), and the counts match the requests and jobs the service actually saw.
final class MetricsHistogramTests: XCTestCase {
    /// The value of the series `series` (name with its labels, exactly as exposed).
    static func value(_ text: String, _ series: String) -> Double? {
        text.split(separator: "\n").first { $0.hasPrefix(series + " ") }
            .flatMap { Double($0.split(separator: " ").last!) }
    }

    /// Every `_bucket` series of `name` whose labels contain `labels`, in exposition order.
    static func buckets(_ text: String, _ name: String, _ labels: String) -> [Double] {
        text.split(separator: "\n")
            .filter { $0.hasPrefix(name + "_bucket{") && $0.contains(labels) }
            .compactMap { Double($0.split(separator: " ").last!) }
    }

    func testBucketsAreCumulativeWithInclusiveBounds() {
        var h = Histogram(bounds: [0.001, 0.01, 1])
        for x in [0.0005, 0.001, 0.003, 0.5, 20] { h.observe(x) }
        XCTAssertEqual(h.lines("t", labels: "a=\"b\""), [
            "t_bucket{a=\"b\",le=\"0.001\"} 2",
            "t_bucket{a=\"b\",le=\"0.01\"} 3",
            "t_bucket{a=\"b\",le=\"1\"} 4",
            "t_bucket{a=\"b\",le=\"+Inf\"} 5",
            "t_sum{a=\"b\"} \(0.0005 + 0.001 + 0.003 + 0.5 + 20)",
            "t_count{a=\"b\"} 5",
        ])
        XCTAssertEqual(Histogram(bounds: [1]).lines("e", labels: ""),
                       ["e_bucket{le=\"1\"} 0", "e_bucket{le=\"+Inf\"} 0", "e_sum 0", "e_count 0"])
    }

    /// Three completed jobs, five health checks and one unknown path: the histograms count
    /// exactly those, under fixed route labels (no job ids).
    func testServiceHistogramsCountWhatHappened() async throws {
        let model = try testModel(nQubits: 6)
        try await LiveServer.with { url, _ in
            var ids: [String] = []
            for seed in 1...3 as ClosedRange<UInt64> {
                ids.append(try await ResultRetentionTests.runJob(url, model, shots: 100, seed: seed))
            }
            for id in ids {
                let result = try await http("GET", url, "/v1/jobs/\(id)/result")
                XCTAssertEqual(result.status, 200)
            }
            for _ in 0..<5 {
                let health = try await http("GET", url, "/healthz")
                XCTAssertEqual(health.status, 200)
            }
            let nowhere = try await http("GET", url, "/nowhere")
            XCTAssertEqual(nowhere.status, 404)
            let text = try await http("GET", url, "/metrics").text

            let request = "iqp_http_request_duration_seconds"
            XCTAssertEqual(Self.value(text, "\(request)_count{route=\"/healthz\",method=\"GET\",status=\"200\"}"), 5)
            XCTAssertEqual(Self.value(text, "\(request)_count{route=\"/v1/jobs\",method=\"POST\",status=\"202\"}"), 3)
            XCTAssertEqual(Self.value(text, "\(request)_count{route=\"/v1/jobs/{id}/result\",method=\"GET\",status=\"200\"}"), 3)
            XCTAssertEqual(Self.value(text, "\(request)_count{route=\"other\",method=\"GET\",status=\"404\"}"), 1)
            XCTAssertFalse(text.contains(ids[0]), "a job id leaked into the metric labels")

            XCTAssertEqual(Self.value(text, "iqp_job_run_seconds_count{status=\"completed\"}"), 3)
            XCTAssertEqual(Self.value(text, "iqp_job_run_seconds_count{status=\"cancelled\"}"), 0)
            XCTAssertEqual(Self.value(text, "iqp_job_queue_seconds_count"), 3)
            let run = Self.buckets(text, "iqp_job_run_seconds", "status=\"completed\"")
            XCTAssertEqual(run.count, Histogram.jobSeconds.count + 1)
            XCTAssertEqual(run, run.sorted(), "buckets must be cumulative")
            XCTAssertEqual(run.last, 3)
            let runSum = try XCTUnwrap(Self.value(text, "iqp_job_run_seconds_sum{status=\"completed\"}"))
            XCTAssertGreaterThan(runSum, 0)
        }
    }
}
