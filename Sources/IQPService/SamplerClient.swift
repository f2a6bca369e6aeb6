import Foundation
import IQPCore
import IQPSampler
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A client of the sampler service (Foundation's URLSession; FoundationNetworking on Linux).
///
/// `sample` submits a job, polls its status with exponential backoff (0.05 s doubling up to
/// 2 s) and fetches the shots. A full queue (429) or a service starting up or unreachable is
/// retried with backoff (honouring Retry-After) up to `submitAttempts` times, with the same
/// Idempotency-Key so a retried submission never creates a second job. Every failure is an
/// `IQPError` whose line says what the service answered. The answers are read into the same
/// `Codable` types the service writes (`JobCreated`, `JobSnapshot`, `JobResult`, `ErrorBody`).
///
/// A service with a token file needs `token` (by default the environment's `IQP_SAMPLER_TOKEN`,
/// so `iqp train --sampler URL` needs no option for it).
public struct SamplerClient: Sendable {
    public let baseURL: URL
    /// Bearer token sent with every request (nil: none).
    public var token: String? = ProcessInfo.processInfo.environment["IQP_SAMPLER_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
    /// First and longest wait between status polls, in seconds.
    public var pollInitialSeconds = 0.05
    public var pollMaxSeconds = 2.0
    /// Longest wait for a job to finish, in seconds.
    public var timeoutSeconds = 24 * 3600.0
    /// Attempts to submit a job (queue full, connection refused) before giving up.
    public var submitAttempts = 6
    /// Longest wait between submission attempts, in seconds.
    public var submitBackoffMaxSeconds = 30.0

    public init(baseURL: URL) {
        self.baseURL = baseURL
    }

    /// A client for "http://host:port" (a trailing slash is fine).
    public init(url: String) throws {
        guard let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased(),
              scheme == "http" || scheme == "https", parsed.host != nil else {
            throw IQPError("'\(url)' is not an http:// or https:// URL of a sampler service", field: "sampler")
        }
        self.init(baseURL: parsed)
    }

    /// Status of a job as the service reports it.
    public typealias JobState = JobSnapshot

    /// A finished job's shots.
    public struct SampleResult: Sendable {
        public var id: String
        public var shots: BitMatrix
        public var seed: UInt64
        public var simulationSeconds: Double
    }

    // MARK: The whole round trip

    /// Submits, waits and fetches. The job is cancelled if the calling task is cancelled.
    public func sample(_ request: SamplingRequest) async throws -> SampleResult {
        let id = try await submit(request)
        do {
            let state = try await waitUntilFinished(id: id)
            guard state.status == .completed else {
                throw IQPError("sampler service \(baseURL.absoluteString): job \(id) \(state.status.rawValue)"
                    + (state.reason.map { ": \($0)" } ?? ""))
            }
            return try await result(id: id)
        } catch is CancellationError {
            try? await cancel(id: id)
            throw CancellationError()
        }
    }

    // MARK: Single calls

    /// POST /v1/jobs; returns the job id.
    public func submit(_ request: SamplingRequest, idempotencyKey: String = UUID().uuidString) async throws -> String {
        let body = try SamplerClient.jobBody(request)
        var delay = 0.5
        var attempt = 0
        while true {
            attempt += 1
            var urlRequest = makeRequest("POST", "v1/jobs")
            urlRequest.setValue("application/json", forHTTPHeaderField: "Content-Type")
            urlRequest.setValue(idempotencyKey, forHTTPHeaderField: "Idempotency-Key")
            urlRequest.httpBody = body
            let answer: (Data, HTTPURLResponse)
            do {
                answer = try await send(urlRequest)
            } catch let error as IQPError {
                // Unreachable: retry a few times (the service may be starting).
                if attempt >= submitAttempts { throw error }
                try await Task.sleep(nanoseconds: UInt64(delay * 1e9))
                delay = min(delay * 2, submitBackoffMaxSeconds)
                continue
            }
            let (data, response) = answer
            switch response.statusCode {
            case 200, 202:
                return try decode(JobCreated.self, data, what: "the job submission").id
            case 429, 503:
                if attempt >= submitAttempts {
                    throw refusal("refused the job after \(attempt) attempts", response, data)
                }
                let retryAfter = response.value(forHTTPHeaderField: "Retry-After").flatMap(Double.init) ?? delay
                try await Task.sleep(nanoseconds: UInt64(min(max(retryAfter, 0.05), submitBackoffMaxSeconds) * 1e9))
                delay = min(delay * 2, submitBackoffMaxSeconds)
            default:
                throw refusal("refused the job", response, data)
            }
        }
    }

    /// GET /v1/jobs/{id}.
    public func status(id: String) async throws -> JobState {
        let data = try await call("GET", "v1/jobs/\(id)", failure: "could not report job \(id)")
        return try decode(JobSnapshot.self, data, what: "the job status")
    }

    /// Polls until the job is completed, failed or cancelled.
    public func waitUntilFinished(id: String) async throws -> JobState {
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        var delay = pollInitialSeconds
        while true {
            let state = try await status(id: id)
            if state.status.isFinished { return state }
            guard Date() < deadline else {
                throw IQPError("sampler service \(baseURL.absoluteString): job \(id) still \(state.status.rawValue) "
                    + "after \(Int(timeoutSeconds)) s")
            }
            try await Task.sleep(nanoseconds: UInt64(delay * 1e9))
            delay = min(delay * 2, pollMaxSeconds)
        }
    }

    /// GET /v1/jobs/{id}/result (packed shots).
    public func result(id: String) async throws -> SampleResult {
        let data = try await call("GET", "v1/jobs/\(id)/result", failure: "has no result for job \(id)")
        let body = try decode(JobResult.self, data, what: "the job result")
        guard case .packed(let packed) = body.shots, body.bitOrder == .wires,
              let shots = ShotEncoding.decodePacked(packed, rows: body.numShots, nQubits: body.numBits) else {
            throw malformed("the job result", data)
        }
        return SampleResult(id: id, shots: shots, seed: body.seed, simulationSeconds: body.simulationSeconds)
    }

    /// DELETE /v1/jobs/{id}.
    public func cancel(id: String) async throws {
        _ = try await call("DELETE", "v1/jobs/\(id)", accepting: [200, 202], failure: "could not cancel job \(id)")
    }

    // MARK: Helpers

    /// The JSON body of a job (`JobRequestBody`, the type the service decodes), one line with
    /// sorted keys: the same request gives the same bytes, which the idempotency key relies on.
    static func jobBody(_ request: SamplingRequest) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(JobRequestBody(request))
    }

    /// A request for `method` on `path` below the base URL.
    /// Asks `GET /healthz` once (10 s at most): throws unless the service answers 200. For a
    /// trainer to find an unreachable or stopping service before training, not after.
    /// A service that refuses the connection is asked again for 5 s (`iqp serve &` just started).
    public func checkReachable() async throws {
        var request = makeRequest("GET", "healthz")
        request.timeoutInterval = 10
        var answer: (Data, HTTPURLResponse)? = nil
        for attempt in 0..<11 {
            do { answer = try await send(request); break } catch let error as IQPError {
                if attempt == 10 { throw error }
                try await Task.sleep(nanoseconds: 500_000_000)
            }
        }
        guard let (data, response) = answer else { return }
        guard response.statusCode == 200 else { throw refusal("is not serving", response, data) }
    }

    func makeRequest(_ method: String, _ path: String) -> URLRequest {
        var base = baseURL.absoluteString
        while base.hasSuffix("/") { base.removeLast() }
        var request = URLRequest(url: URL(string: base + "/" + path)!)
        request.httpMethod = method
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        return request
    }

    /// Sends `method path` and returns the answer's body; an answer with a status not in
    /// `accepted` is the error "sampler service URL `failure` (HTTP n): reason".
    func call(_ method: String, _ path: String, accepting accepted: Set<Int> = [200],
              failure: String) async throws -> Data {
        let (data, response) = try await send(makeRequest(method, path))
        guard accepted.contains(response.statusCode) else { throw refusal(failure, response, data) }
        return data
    }

    func send(_ request: URLRequest) async throws -> (Data, HTTPURLResponse) {
        let data: Data, response: URLResponse
        do {
            (data, response) = try await URLSession.shared.data(for: request)
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw IQPError("sampler service \(baseURL.absoluteString) is unreachable: \(error.localizedDescription)")
        }
        guard let http = response as? HTTPURLResponse else {
            throw IQPError("sampler service \(baseURL.absoluteString) answered without HTTP")
        }
        return (data, http)
    }

    func decode<T: Decodable>(_ type: T.Type, _ data: Data, what: String) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch {
            throw malformed(what, data)
        }
    }

    func malformed(_ what: String, _ data: Data) -> IQPError {
        IQPError("sampler service \(baseURL.absoluteString) sent an unreadable answer to \(what): "
            + String(String(decoding: data.prefix(200), as: UTF8.self).prefix(200)))
    }

    /// "sampler service URL refused the job (HTTP 422): 31 qubits in complex64 needs …".
    func refusal(_ what: String, _ response: HTTPURLResponse, _ data: Data) -> IQPError {
        let message = (try? JSONDecoder().decode(ErrorBody.self, from: data))?.error.message
            ?? String(decoding: data.prefix(200), as: UTF8.self)
        return IQPError("sampler service \(baseURL.absoluteString) \(what) (HTTP \(response.statusCode)): \(message)")
    }
}
