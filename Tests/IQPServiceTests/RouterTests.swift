import Foundation
import Hummingbird
import HummingbirdTesting
import IQPCore
import IQPSampler
@testable import IQPService
import Logging
import XCTest

/// The API through HummingbirdTesting's `.router` framework (requests handed straight to the
/// router, no sockets): the job flow and error bodies without a worker pool.
final class RouterTests: XCTestCase {
    func testRouterWithoutWorkers() async throws {
        var configuration = SamplerServiceConfiguration()
        configuration.limits = SamplerLimits(maxMemoryBytes: 1 << 30, maxShots: 1000)
        configuration.queueCapacity = 1
        let service = SamplerService(configuration: configuration)
        let app = Application(router: service.buildRouter())
        let model = try testModel(nQubits: 5)
        try await app.test(.router) { client in
            // Accepted and queued (no workers run here), then the queue of 1 is full.
            let json: HTTPFields = [.contentType: "application/json"]
            let accepted = try await client.execute(uri: "/v1/jobs", method: .post, headers: json,
                                                    body: ByteBuffer(string: jobJSON(model, shots: 10)))
            XCTAssertEqual(accepted.status, .accepted)
            let id = try XCTUnwrap(JSONParser.parse(String(buffer: accepted.body))["id"]?.string)
            let status = try await client.execute(uri: "/v1/jobs/\(id)", method: .get)
            XCTAssertEqual(try JSONParser.parse(String(buffer: status.body))["queue_position"]?.integer, 1)
            let full = try await client.execute(uri: "/v1/jobs", method: .post, headers: json,
                                                body: ByteBuffer(string: jobJSON(model, shots: 10)))
            XCTAssertEqual(full.status, .tooManyRequests)
            XCTAssertEqual(full.headers[.retryAfter], "1")
            let notReady = try await client.execute(uri: "/v1/jobs/\(id)/result", method: .get)
            XCTAssertEqual(notReady.status, .conflict)
            XCTAssertEqual(try JSONParser.parse(String(buffer: notReady.body))["error"]?["message"]?.string,
                           "job '\(id)' is queued; poll GET /v1/jobs/\(id) until it is completed")
            let malformed = try await client.execute(uri: "/v1/jobs", method: .post, headers: json,
                                                     body: ByteBuffer(string: "{"))
            XCTAssertEqual(malformed.status, .badRequest)
            XCTAssertEqual(malformed.headers[.contentType], "application/json; charset=utf-8")
            // A body not declared as JSON (curl -d sends a form type) is 415.
            for type in [nil, "application/x-www-form-urlencoded", "text/plain"] as [String?] {
                let headers: HTTPFields = type.map { [.contentType: $0] } ?? [:]
                let refused = try await client.execute(uri: "/v1/jobs", method: .post, headers: headers,
                                                       body: ByteBuffer(string: jobJSON(model, shots: 10)))
                XCTAssertEqual(refused.status, .unsupportedMediaType, "\(type ?? "none")")
                XCTAssertEqual(try JSONDecoder().decode(ErrorBody.self, from: Data(buffer: refused.body)).error.message,
                               "the job body must be JSON: send 'Content-Type: application/json' (got "
                                   + (type.map { "'\($0)'" } ?? "no Content-Type") + ")")
            }
            let cancelled = try await client.execute(uri: "/v1/jobs/\(id)", method: .delete)
            XCTAssertEqual(cancelled.status, .ok)
            XCTAssertEqual(try JSONParser.parse(String(buffer: cancelled.body))["status"]?.string, "cancelled")
            let health = try await client.execute(uri: "/healthz", method: .get)
            XCTAssertEqual(health.status, .ok)
        }
    }
}
