import Foundation
import IQPCore
import XCTest
@testable import IQPService

/// One request must never take the service down (docs/reliability.md, "Sampler service"): after
/// each hostile request — a model claiming 10¹⁰ or 10⁹ qubits, absurd shots, bad JSON, a
/// repeated query parameter, pipelined requests — the service answers `/healthz` and an
/// earlier job's result can still be fetched.
final class HostileRequestTests: XCTestCase {
    func testTheServiceSurvivesEveryHostileRequest() async throws {
        try await LiveServer.with { url, _ in
            let submitted = try await http("POST", url, "/v1/jobs", json: jobJSON(try testModel(nQubits: 6), shots: 50, seed: 3))
            XCTAssertEqual(submitted.status, 202, submitted.text)
            let id = try XCTUnwrap(try submitted.json()["id"]?.string)
            _ = try await waitFinished(url, id)
            let first = try await http("GET", url, "/v1/jobs/\(id)/result?format=csv")
            XCTAssertEqual(first.status, 200)

            func stillUp(after what: String) async throws {
                let health = try await http("GET", url, "/healthz")
                XCTAssertEqual(health.status, 200, "healthz after \(what)")
                let again = try await http("GET", url, "/v1/jobs/\(id)/result?format=csv")
                XCTAssertEqual(again.status, 200, "earlier result after \(what)")
                XCTAssertEqual(again.body, first.body, "earlier result after \(what)")
            }

            let huge = #"{"model": {"n_qubits": 10000000000, "gates": [[[0]], [[1]]], "params": [0.1, 0.2]}, "shots": 5}"#
            let answerHuge = try await http("POST", url, "/v1/jobs", json: huge)
            XCTAssertEqual(answerHuge.status / 100, 4, answerHuge.text)
            XCTAssertTrue(answerHuge.text.contains("n_qubits"), answerHuge.text)
            try await stillUp(after: "10^10 qubits")

            let big = #"{"model": {"n_qubits": 1000000000, "gates": [[[0]], [[1]]], "params": [0.1, 0.2]}, "shots": 5}"#
            let answerBig = try await http("POST", url, "/v1/jobs", json: big)
            XCTAssertEqual(answerBig.status / 100, 4, answerBig.text)
            try await stillUp(after: "10^9 qubits")

            let manyShots = jobJSON(try testModel(nQubits: 6), shots: 0).replacingOccurrences(
                of: "\"shots\": 0", with: "\"shots\": 999999999999999999")
            let answerShots = try await http("POST", url, "/v1/jobs", json: manyShots)
            XCTAssertEqual(answerShots.status / 100, 4, answerShots.text)
            try await stillUp(after: "huge shots")

            let answerJSON = try await http("POST", url, "/v1/jobs", json: "{\"model\": {\"n_qubits\": [[[")
            XCTAssertEqual(answerJSON.status, 400, answerJSON.text)
            try await stillUp(after: "bad JSON")

            let repeated = try await http("GET", url, "/v1/jobs/\(id)/result?format=csv&format=text")
            XCTAssertEqual(repeated.status, 400, repeated.text)
            XCTAssertTrue(repeated.text.contains("format"), repeated.text)
            try await stillUp(after: "a repeated query parameter")

            // Two requests in one write: both are answered, in order (or neither job exists).
            let port = try XCTUnwrap(url.port)
            let connection = try RawConnection(port: port)
            let body = jobJSON(try testModel(nQubits: 5), shots: 10, seed: 1)
            let request = "POST /v1/jobs HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: \(body.utf8.count)\r\n\r\n" + body
            XCTAssertTrue(connection.send(request + request + "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
            _ = connection.waitForClose(seconds: 10)
            let answers = connection.received.components(separatedBy: "HTTP/1.1 ").dropFirst()
            XCTAssertEqual(answers.map { String($0.prefix(3)) }, ["202", "202", "200"], connection.received)
            try await stillUp(after: "pipelined requests")
        }
    }
}
