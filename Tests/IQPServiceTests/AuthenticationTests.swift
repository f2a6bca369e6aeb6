import Foundation
import IQPCore
import IQPSampler
@testable import IQPService
import XCTest

/// `--token-file`: requests need a token, jobs are visible only to their token.
final class AuthenticationTests: XCTestCase {
    static let alice = "alice-0123456789abcdef"
    static let bob = "bob-0123456789abcdef01"

    static func bearer(_ token: String) -> [String: String] { ["Authorization": "Bearer \(token)"] }

    func testJobsBelongToTheirToken() async throws {
        let model = try testModel(nQubits: 6)
        let tokens = try BearerTokens(tokens: [Self.alice, Self.bob])
        try await LiveServer.with({ $0.tokens = tokens }) { url, _ in
            // No token, a wrong one, a malformed header: 401 with a challenge.
            for headers in [[:], Self.bearer("mallory-0123456789ab"), ["Authorization": Self.alice]] {
                let refused = try await http("POST", url, "/v1/jobs", json: jobJSON(model, shots: 10), headers: headers)
                XCTAssertEqual(refused.status, 401, "\(headers)")
                XCTAssertEqual(refused.errorCode, "unauthorized")
                XCTAssertEqual(refused.headers["www-authenticate"], "Bearer realm=\"iqp\"")
            }
            let metrics = try await http("GET", url, "/metrics")
            XCTAssertEqual(metrics.status, 401)
            let health = try await http("GET", url, "/healthz")
            XCTAssertEqual(health.status, 200)
            XCTAssertEqual(try health.decode(Health.self).authentication, true)

            let post = try await http("POST", url, "/v1/jobs", json: jobJSON(model, shots: 10, seed: 1),
                                      headers: Self.bearer(Self.alice).merging(["Idempotency-Key": "k"]) { a, _ in a })
            XCTAssertEqual(post.status, 202)
            let id = try post.decode(JobCreated.self).id
            // Bob sees nothing of Alice's job; the same idempotency key makes his own job.
            for (method, path) in [("GET", "/v1/jobs/\(id)"), ("GET", "/v1/jobs/\(id)/result"), ("DELETE", "/v1/jobs/\(id)")] {
                let answer = try await http(method, url, path, headers: Self.bearer(Self.bob))
                XCTAssertEqual(answer.status, 404, "\(method) \(path)")
                XCTAssertEqual(answer.errorCode, "job_not_found")
            }
            let bobs = try await http("POST", url, "/v1/jobs", json: jobJSON(model, shots: 10, seed: 2),
                                      headers: Self.bearer(Self.bob).merging(["Idempotency-Key": "k"]) { a, _ in a })
            XCTAssertEqual(bobs.status, 202)
            XCTAssertNotEqual(try bobs.decode(JobCreated.self).id, id)

            // The client sends its token; Alice's job is hers.
            var client = SamplerClient(baseURL: url)
            client.token = Self.alice
            let state = try await client.waitUntilFinished(id: id)
            XCTAssertEqual(state.status, .completed)
            let result = try await client.result(id: id)
            XCTAssertEqual(result.shots, try ShotSampler.run(SamplingRequest(model: model, shots: 10, seed: 1)).shots)
            client.token = nil
            do {
                _ = try await client.status(id: id)
                XCTFail("a request without a token was answered")
            } catch let error as IQPError {
                XCTAssertEqual(error.description, "sampler service \(url.absoluteString) could not report job \(id) (HTTP 401): "
                    + "this service needs 'Authorization: Bearer TOKEN' with a token of its --token-file")
            }
        }
    }

    /// Token files: comments and blank lines skipped; short, duplicate or absent tokens refused
    /// with the file and line.
    func testTokenFiles() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("iqp-tokens-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        func file(_ text: String) throws -> String {
            let path = directory.appendingPathComponent(UUID().uuidString).path
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }
        let good = try BearerTokens.read(path: try file("# trainers\n\(Self.alice)\n\n  \(Self.bob)  \n"))
        XCTAssertEqual(good.owner(authorization: "Bearer \(Self.bob)"), 1)
        XCTAssertEqual(good.owner(authorization: "bearer \(Self.alice)"), 0)
        XCTAssertNil(good.owner(authorization: "Bearer \(Self.alice)x"))
        XCTAssertNil(good.owner(authorization: "Bearer \(Self.alice.dropLast())"))
        XCTAssertEqual(good.first, Self.alice)
        let short = try file("\(Self.alice)\nshort\n")
        XCTAssertThrowsError(try BearerTokens.read(path: short)) {
            XCTAssertEqual("\($0)", "\(short):2: the token has 5 characters; use 16 to 512 (e.g. `openssl rand -hex 32`)")
        }
        let twice = try file("\(Self.alice)\n\(Self.alice)\n")
        XCTAssertThrowsError(try BearerTokens.read(path: twice)) { XCTAssertEqual("\($0)", "\(twice): token 2 appears twice") }
        let empty = try file("# nothing\n")
        XCTAssertThrowsError(try BearerTokens.read(path: empty)) { XCTAssertEqual("\($0)", "\(empty): the file has no token") }
    }
}
