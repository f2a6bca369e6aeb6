import ArgumentParser
import IQPCore
import IQPSampler
import IQPService

/// `iqp serve`: the shared sampler service (docs/service.md).
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the sampler service: a shared simulated quantum processor over HTTP/JSON.",
        discussion: """
            Trainers (`iqp train --sampler URL`) and users (`iqp sample --sampler URL`) send models \
            and get measurement shots back. API: POST /v1/jobs, GET /v1/jobs/{id}, \
            GET /v1/jobs/{id}/result, DELETE /v1/jobs/{id}, GET /healthz, GET /metrics \
            (docs/openapi.yaml). Jobs that would not fit the memory budget are refused with the \
            reason; a full queue answers 429 with Retry-After. SIGTERM or SIGINT shuts down \
            gracefully: queued jobs fail, running jobs get --shutdown-grace seconds to finish.
            """)

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0: any free port).")
    var port = 8470

    @Option(help: "Jobs simulated at once (each uses every core).")
    var workers = 2

    @Option(help: "Jobs that may wait in the queue before submissions get 429.")
    var queue = 16

    @Option(name: .customLong("max-memory"),
            help: "Memory budget of the running jobs: bytes, a size such as 12G, or auto (half of this machine).")
    var maxMemory = "auto"

    @Option(help: "Default state-vector precision: complex64 or complex128 (a job may ask for the other).")
    var precision = "complex128"

    @Option(help: "Seconds a finished job's result is kept (60 s at most once fetched).")
    var retention = 600.0

    @Option(name: .customLong("max-shots"), help: "Most shots one job may ask for.")
    var maxShots = 1_000_000

    @Option(name: .customLong("max-body"), help: "Largest request body in bytes.")
    var maxBody = 64 << 20

    @Option(name: .customLong("shutdown-grace"), help: "Seconds running jobs may finish after SIGTERM.")
    var shutdownGrace = 30.0

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0…65535, got \(port)") }
        guard workers >= 1 else { throw ValidationError("--workers must be at least 1, got \(workers)") }
        guard queue >= 1 else { throw ValidationError("--queue must be at least 1, got \(queue)") }
        guard Precision(rawValue: precision) != nil else {
            throw ValidationError("--precision must be complex64 or complex128, got '\(precision)'")
        }
        do { _ = try SamplerLimits.parseBytes(maxMemory) } catch { throw ValidationError("--max-memory: \(error)") }
        guard retention > 0 else { throw ValidationError("--retention must be positive, got \(retention)") }
        guard maxShots >= 1 else { throw ValidationError("--max-shots must be at least 1, got \(maxShots)") }
        guard maxBody >= 1024 else { throw ValidationError("--max-body must be at least 1024 bytes, got \(maxBody)") }
        guard shutdownGrace >= 0 else { throw ValidationError("--shutdown-grace must be ≥ 0, got \(shutdownGrace)") }
    }

    func run() async throws {
        var configuration = SamplerServiceConfiguration()
        configuration.host = host
        configuration.port = port
        configuration.workers = workers
        configuration.queueCapacity = queue
        let budget = try SamplerLimits.parseBytes(maxMemory)
        configuration.limits = budget.map { SamplerLimits(maxMemoryBytes: $0, maxShots: maxShots) }
            ?? .automatic(maxShots: maxShots)
        configuration.precision = Precision(rawValue: precision)!
        configuration.retentionSeconds = retention
        configuration.maxBodyBytes = maxBody
        configuration.shutdownGraceSeconds = shutdownGrace
        let summary = "\(workers) workers, queue \(queue), memory budget "
            + "\(formatBytes(Double(configuration.limits.maxMemoryBytes))), \(precision)"
        let host = self.host
        try await SamplerService(configuration: configuration).run(onListening: { port in
            writeToStandardError("iqp serve: listening on http://\(host):\(port) (\(summary))\n")
        })
    }
}
