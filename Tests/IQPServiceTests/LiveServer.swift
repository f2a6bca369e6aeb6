import Foundation
import IQPCore
import IQPTestSupport
import IQPSampler
@testable import IQPService
import Logging
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Runs the sampler service on an ephemeral loopback port for the duration of `body`, then
/// shuts it down gracefully and waits for it to stop.
enum LiveServer {
    static func with<T: Sendable>(
        _ configure: (inout SamplerServiceConfiguration) -> Void = { _ in },
        _ body: @Sendable (URL, SamplerService) async throws -> T
    ) async throws -> T {
        var configuration = SamplerServiceConfiguration()
        configuration.host = "127.0.0.1"
        configuration.port = 0
        configuration.limits = SamplerLimits(maxMemoryBytes: 1 << 30, maxShots: 1_000_000)
        configuration.maxResultBytes = 1 << 29
        configuration.shutdownReportSeconds = 0.5
        configure(&configuration)
        let service = SamplerService(configuration: configuration)
        var logger = Logger(label: "iqp.serve.test")
        logger.logLevel = .warning
        let (ports, portContinuation) = AsyncStream<Int>.makeStream()
        let group = service.makeServiceGroup(logger: logger, signals: [], onListening: { port in
            portContinuation.yield(port)
        })
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { throw IQPError("the test server did not start") }
            let url = URL(string: "http://127.0.0.1:\(port)")!
            do {
                let value = try await body(url, service)
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
                return value
            } catch {
                await group.triggerGracefulShutdown()
                try? await tasks.waitForAll()
                throw error
            }
        }
    }
}

/// A raw HTTP exchange (URLSession), for requests the client would never send.
struct HTTPAnswer: Sendable {
    var status: Int
    var headers: [String: String]
    var body: Data

    var text: String { String(decoding: body, as: UTF8.self) }

    /// The parsed JSON body (fails the caller's test if not JSON).
    func json() throws -> JSONNode { try JSONParser.parse(data: body) }

    /// The body read as one of the API's types.
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try JSONDecoder().decode(type, from: body) }

    /// error.code of an error body.
    var errorCode: String? { (try? json())?["error"]?["code"]?.string }
    var errorMessage: String? { (try? json())?["error"]?["message"]?.string }
}

func http(_ method: String, _ url: URL, _ path: String, body: Data? = nil,
          headers: [String: String] = [:]) async throws -> HTTPAnswer {
    var request = URLRequest(url: URL(string: url.absoluteString + path)!)
    request.httpMethod = method
    request.httpBody = body
    for (k, v) in headers { request.setValue(v, forHTTPHeaderField: k) }
    let (data, response) = try await URLSession.shared.data(for: request)
    let h = response as! HTTPURLResponse
    var fields: [String: String] = [:]
    for (k, v) in h.allHeaderFields { fields[String(describing: k).lowercased()] = String(describing: v) }
    return HTTPAnswer(status: h.statusCode, headers: fields, body: data)
}

func http(_ method: String, _ url: URL, _ path: String, json: String,
          headers: [String: String] = [:]) async throws -> HTTPAnswer {
    try await http(method, url, path, body: Data(json.utf8), headers: headers.merging(["Content-Type": "application/json"]) { a, _ in a })
}

/// Polls a job until it is finished (or 60 s pass).
func waitFinished(_ url: URL, _ id: String) async throws -> JSONNode {
    for _ in 0..<3000 {
        let status = try await http("GET", url, "/v1/jobs/\(id)").json()
        if let s = status["status"]?.string, let st = JobStatus(rawValue: s), st.isFinished { return status }
        try await Task.sleep(nanoseconds: 20_000_000)
    }
    throw IQPError("job \(id) did not finish in 60 s")
}

/// Polls until the job is running.
func waitRunning(_ url: URL, _ id: String) async throws {
    for _ in 0..<3000 {
        let status = try await http("GET", url, "/v1/jobs/\(id)").json()
        if status["status"]?.string == "running" { return }
        try await Task.sleep(nanoseconds: 10_000_000)
    }
    throw IQPError("job \(id) did not start in 30 s")
}

/// A small test model and its JSON.
func testModel(nQubits: Int = 8, seed: UInt64 = 1, kind: ModelKind = .iqp) throws -> IQPModel {
    try Reference.randomModel(nQubits: nQubits, gates: 2 * nQubits, maxWeight: 2, seed: seed, kind: kind)
}

/// The model with every generator of weight ≤ 2 on n qubits: a job that runs long enough
/// (about 2 s in a debug build at n = 22) to observe queueing and cancellation.
func slowModel(nQubits: Int = 22) throws -> IQPModel {
    try SimulatorBenchmark.allPairsModel(nQubits: nQubits, seed: 3)
}

func jobJSON(_ model: IQPModel, shots: Int, seed: UInt64? = nil, extra: String = "") -> String {
    var text = "{\"model\": \(ModelFile.encode(model)), \"shots\": \(shots)"
    if let seed { text += ", \"seed\": \(seed)" }
    return text + extra + "}"
}
