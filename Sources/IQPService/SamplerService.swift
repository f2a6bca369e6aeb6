import Foundation
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
///     GET    /v1/jobs/{id}/result  → shots (?format=packed|text|csv, ?counts=true|int, ?bit_order=wires|qiskit)
///     DELETE /v1/jobs/{id}         → cancel (or remove a finished job)
///     GET    /healthz, GET /metrics
public struct SamplerService: Sendable {
    public let configuration: SamplerServiceConfiguration
    let store: JobStore
    let requestMetrics = RequestMetrics()

    public init(configuration: SamplerServiceConfiguration) {
        self.configuration = configuration
        self.store = JobStore(configuration: configuration)
    }

    /// The API's routes: request metrics, then errors turned into JSON 4xx/5xx, then
    /// authentication (with a token file), then the handlers.
    public func buildRouter() -> Router<ServiceRequestContext> {
        let router = Router(context: ServiceRequestContext.self)
        router.add(middleware: RequestMetricsMiddleware(metrics: requestMetrics))
        router.add(middleware: ServiceErrorMiddleware())
        router.add(middleware: AuthenticationMiddleware(tokens: configuration.tokens))
        router.post("/v1/jobs") { request, context in try await self.submit(request, context: context) }
        router.get("/v1/jobs/:id") { _, context in
            try await self.store.status(id: context.parameters.get("id") ?? "", owner: context.owner)
        }
        router.get("/v1/jobs/:id/result") { request, context in
            try await self.result(context.parameters.get("id") ?? "", request: request, context: context)
        }
        router.delete("/v1/jobs/:id") { request, context in
            try await self.delete(context.parameters.get("id") ?? "", request: request, context: context)
        }
        router.get("/healthz") { _, _ in try await self.health() }
        router.get("/metrics") { _, _ in
            let text = MetricsText.render(await self.store.metrics(), requests: self.requestMetrics.snapshot(),
                                          configuration: self.configuration)
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
        }
        return router
    }

    /// The HTTP application; `onListening` receives the bound port (useful with port 0).
    /// Connections idle (or sending their headers) for `idleTimeoutSeconds` are closed, and so
    /// are those whose body takes longer than `bodyTimeoutSeconds`.
    public func makeApplication(logger: Logger, onListening: @escaping @Sendable (Int) async -> Void = { _ in })
        -> Application<RouterResponder<ServiceRequestContext>> {
        let bodyTimeout = TimeAmount.nanoseconds(Int64(configuration.bodyTimeoutSeconds * 1e9))
        return Application(
            router: buildRouter(),
            server: .http1(configuration: .init(
                additionalChannelHandlers: [BodyDeadlineHandler(timeout: bodyTimeout)],
                idleTimeout: .nanoseconds(Int64(configuration.idleTimeoutSeconds * 1e9)))),
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
    /// running ones finish within the grace time, finished jobs are reported) while the API
    /// still answers; then the HTTP server stops. Whatever still runs after the grace, the
    /// reporting time and 10 s more is cancelled, so the exit time is bounded.
    public func makeServiceGroup(logger: Logger, signals: [UnixSignal] = [.sigterm, .sigint],
                                 onListening: @escaping @Sendable (Int) async -> Void = { _ in }) -> ServiceGroup {
        var group = ServiceGroupConfiguration(
            services: [makeApplication(logger: logger, onListening: onListening), makeWorkerPool(logger: logger)],
            gracefulShutdownSignals: signals,
            logger: logger)
        group.maximumGracefulShutdownDuration = .seconds(
            configuration.shutdownGraceSeconds + configuration.shutdownReportSeconds + 10)
        group.maximumCancellationDuration = .seconds(5)
        return ServiceGroup(configuration: group)
    }

    /// Runs until SIGTERM or SIGINT. Freed results are handed back to the system as they go.
    public func run(logger: Logger, onListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        HostMemory.returnLargeBlocksPromptly()
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
}
