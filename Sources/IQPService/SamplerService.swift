import Foundation
import HTTPTypes
import Hummingbird
import IQPCore
import IQPSampler
import Logging
import NIOCore
import ServiceLifecycle
import UnixSignals

/// The sampler service: a shared simulated quantum processor over HTTP/JSON (docs/service.md,
/// docs/openapi.yaml). It is a Hummingbird router (the API) plus a worker pool, run together in
/// one `ServiceGroup` that shuts down gracefully on SIGTERM/SIGINT.
///
///     POST   /v1/jobs              → 202 {id, status}
///     GET    /v1/jobs/{id}         → status, times, queue position, error
///     GET    /v1/jobs/{id}/result  → shots (?format=packed|text|csv, ?counts=true)
///     DELETE /v1/jobs/{id}         → cancel (or remove a finished job)
///     GET    /healthz, GET /metrics
public struct SamplerService: Sendable {
    public let configuration: SamplerServiceConfiguration
    let store: JobStore

    public init(configuration: SamplerServiceConfiguration) {
        self.configuration = configuration
        self.store = JobStore(configuration: configuration)
    }

    /// The API's routes, with every error turned into a JSON 4xx/5xx.
    public func buildRouter() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: ServiceErrorMiddleware(allowedMethods: SamplerService.allowedMethods))
        router.post("/v1/jobs") { request, _ in try await self.submit(request) }
        router.get("/v1/jobs/:id") { _, context in try await self.status(context.parameters.get("id") ?? "") }
        router.get("/v1/jobs/:id/result") { request, context in
            try await self.result(context.parameters.get("id") ?? "", request: request)
        }
        router.delete("/v1/jobs/:id") { _, context in try await self.delete(context.parameters.get("id") ?? "") }
        router.get("/healthz") { _, _ in try await self.health() }
        router.get("/metrics") { _, _ in
            let text = MetricsText.render(await self.store.metrics(), configuration: self.configuration)
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
        }
        return router
    }

    /// The methods of the endpoint at `path`, or nil when there is none.
    static func allowedMethods(path: String) -> [String]? {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        switch (parts.count, parts.first, parts.dropFirst().first, parts.last) {
        case (2, "v1", "jobs", _): return ["POST"]
        case (3, "v1", "jobs", _): return ["GET", "DELETE"]
        case (4, "v1", "jobs", "result"): return ["GET"]
        case (1, "healthz", _, _), (1, "metrics", _, _): return ["GET"]
        default: return nil
        }
    }

    /// The HTTP application; `onListening` receives the bound port (useful with port 0).
    public func makeApplication(logger: Logger,
                                onListening: @escaping @Sendable (Int) async -> Void = { _ in })
        -> Application<RouterResponder<BasicRequestContext>> {
        Application(
            router: buildRouter(),
            configuration: ApplicationConfiguration(address: .hostname(configuration.host, port: configuration.port),
                                                    serverName: "iqp-sampler/\(IQPVersion.string)"),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? 0) },
            logger: logger)
    }

    /// The worker pool that runs the queued jobs.
    public func makeWorkerPool(logger: Logger) -> SamplerWorkerPool {
        SamplerWorkerPool(store: store, logger: logger)
    }

    /// API and workers in one group. At shutdown the workers go first (queued jobs fail,
    /// running ones finish within the grace time) while the API still answers status requests;
    /// then the HTTP server stops.
    public func makeServiceGroup(logger: Logger, signals: [UnixSignal] = [.sigterm, .sigint],
                                 onListening: @escaping @Sendable (Int) async -> Void = { _ in }) -> ServiceGroup {
        ServiceGroup(configuration: ServiceGroupConfiguration(
            services: [makeApplication(logger: logger, onListening: onListening), makeWorkerPool(logger: logger)],
            gracefulShutdownSignals: signals,
            logger: logger))
    }

    /// Runs until SIGTERM or SIGINT.
    public func run(logger: Logger, onListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        try await makeServiceGroup(logger: logger, onListening: onListening).run()
    }

    /// Runs until SIGTERM or SIGINT, logging to standard error.
    public func run(onListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        try await run(logger: SamplerService.standardErrorLogger(), onListening: onListening)
    }

    /// A logger writing one line per event to standard error (level from LOG_LEVEL, default info).
    public static func standardErrorLogger(label: String = "iqp.serve") -> Logger {
        var logger = Logger(label: label, factory: { StreamLogHandler.standardError(label: $0) })
        let level = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap { Logger.Level(rawValue: $0) }
        logger.logLevel = level ?? .info
        return logger
    }

    // MARK: Handlers

    func submit(_ request: Request) async throws -> Response {
        if await store.shuttingDown { throw ServiceError.shuttingDown }
        let limit = configuration.maxBodyBytes
        if let declared = request.headers[.contentLength].flatMap({ Int($0) }), declared > limit {
            await store.recordRejection("body_too_large")
            throw ServiceError.bodyTooLarge(limit: limit)
        }
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: limit)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            await store.recordRejection("body_too_large")
            throw ServiceError.bodyTooLarge(limit: limit)
        }
        let body = Array(buffer.readableBytesView)

        let submission: JobSubmission
        do {
            submission = try JobSubmission.decode(body, defaultPrecision: configuration.precision,
                                                  randomSeed: { UInt64.random(in: 0...UInt64.max) })
            try configuration.limits.admit(model: submission.request.model, precision: submission.request.precision,
                                           shots: submission.request.shots, budgetName: "the service's budget")
        } catch let error as ServiceError {
            await store.recordRejection("invalid")
            throw error
        } catch let error as IQPError {
            await store.recordRejection("over_budget")
            throw ServiceError.overBudget(error)
        }

        var key: String?
        if let name = HTTPField.Name("Idempotency-Key"), let value = request.headers[name] {
            guard !value.isEmpty, value.count <= 255 else {
                throw ServiceError.invalidField("header 'Idempotency-Key': must be 1 to 255 characters")
            }
            key = value
        }
        let (snapshot, replayed) = try await store.submit(submission, idempotencyKey: key, bodyHash: fnv1a(body),
                                                          now: Date())
        var headers: HTTPFields = [.contentType: "application/json", .location: "/v1/jobs/\(snapshot.id)"]
        if replayed, let name = HTTPField.Name("Idempotent-Replayed") { headers[name] = "true" }
        let json = JSONWriter.encodeCompact(.object([
            JSONMember("id", .string(snapshot.id)), JSONMember("status", .string(snapshot.status.rawValue)),
        ]))
        return Response(status: replayed ? .ok : .accepted, headers: headers,
                        body: ResponseBody(byteBuffer: ByteBuffer(string: json + "\n")))
    }

    func status(_ id: String) async throws -> Response {
        json(try await store.snapshot(id: id).json)
    }

    func result(_ id: String, request: Request) async throws -> Response {
        let query = request.uri.queryParameters
        for (key, _) in query where key != "format" && key != "counts" {
            throw ServiceError.invalidField("unknown query parameter '\(key)'; the parameters are format, counts")
        }
        let format = query.get("format").map { String($0) } ?? "packed"
        guard ["packed", "text", "csv"].contains(format) else {
            throw ServiceError.invalidField("query parameter 'format': expected packed, text or csv, got '\(format)'")
        }
        let countsText = query.get("counts").map { String($0) } ?? "false"
        guard let withCounts = ["true": true, "1": true, "false": false, "0": false][countsText] else {
            throw ServiceError.invalidField("query parameter 'counts': expected true or false, got '\(countsText)'")
        }
        let (snapshot, outcome) = try await store.result(id: id, now: Date())
        let shots = outcome.shots
        if format == "csv" {
            return Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8"],
                            body: ResponseBody(byteBuffer: ByteBuffer(string: ShotEncoding.csv(shots))))
        }
        let t = outcome.timings
        var members: [(String, String)] = [
            ("id", JSONWriter.quote(snapshot.id)),
            ("num_shots", "\(shots.rows)"),
            ("num_bits", "\(shots.columns)"),
            ("seed", "\(snapshot.seed)"),
            ("model", JSONWriter.quote(snapshot.modelKind)),
            ("precision", JSONWriter.quote(snapshot.precision.rawValue)),
            ("simulation_seconds", JSONWriter.format(t.totalSeconds)),
            ("timings", JSONWriter.encodeCompact(.object([
                JSONMember("build", .number(t.buildSeconds)),
                JSONMember("phase_transform", .number(t.phaseTransformSeconds)),
                JSONMember("exponentiate", .number(t.exponentiateSeconds)),
                JSONMember("amplitude_transform", .number(t.amplitudeTransformSeconds)),
                JSONMember("sampling", .number(t.samplingSeconds)),
            ]))),
        ]
        if format == "text" {
            members.append(("encoding", JSONWriter.quote("text")))
            members.append(("shots", JSONWriter.encodeCompact(.array((0..<shots.rows).map {
                .string(ShotEncoding.text(shots, row: $0))
            }))))
        } else {
            members.append(("encoding", JSONWriter.quote("packed")))
            members.append(("bytes_per_shot", "\(ShotEncoding.bytesPerShot(nQubits: shots.columns))"))
            members.append(("shots", JSONWriter.quote(ShotEncoding.packedBase64(shots))))
        }
        if withCounts {
            members.append(("counts", JSONWriter.encodeCompact(.object(ShotEncoding.counts(shots).map {
                JSONMember($0.0, .number(Double($0.1)))
            }))))
        }
        return json(JSONWriter.object(members) + "\n")
    }

    func delete(_ id: String) async throws -> Response {
        let (snapshot, removed) = try await store.delete(id: id, now: Date())
        // A running job stops at the simulator's next check: 202; otherwise done: 200.
        let status: HTTPResponse.Status = (!removed && snapshot.status == .running) ? .accepted : .ok
        var body = snapshot.json
        if removed {
            body = JSONWriter.encodeCompact(.object([JSONMember("id", .string(id)), JSONMember("status", .string("deleted"))])) + "\n"
        }
        return json(body, status: status)
    }

    func health() async throws -> Response {
        let m = await store.metrics()
        let down = await store.shuttingDown
        let body = JSONWriter.encodeCompact(.object([
            JSONMember("status", .string(down ? "shutting_down" : "ok")),
            JSONMember("version", .string(IQPVersion.string)),
            JSONMember("queue_length", .number(Double(m.queueLength))),
            JSONMember("queue_capacity", .number(Double(configuration.queueCapacity))),
            JSONMember("running", .number(Double(m.running))),
            JSONMember("workers", .number(Double(configuration.workers))),
            JSONMember("memory_budget_bytes", .number(Double(configuration.limits.maxMemoryBytes))),
            JSONMember("max_shots", .number(Double(configuration.limits.maxShots))),
            JSONMember("precision", .string(configuration.precision.rawValue)),
        ])) + "\n"
        return json(body, status: down ? .serviceUnavailable : .ok)
    }

    func json(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json"],
                 body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}
