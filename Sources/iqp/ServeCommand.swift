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
            reason; a full queue answers 429 with Retry-After. With --token-file every request \
            needs a bearer token and sees only its own jobs. SIGTERM or SIGINT shuts down \
            gracefully: queued jobs fail, running jobs get --shutdown-grace seconds to finish.
            """)

    @Option(help: "Address to listen on (anything but loopback should come with --token-file).")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0: any free port).")
    var port = 8470

    @Option(help: "Jobs simulated at once, 1…256 (each uses every core).")
    var workers = 2

    @Option(help: "Jobs that may wait in the queue before submissions get 429, 1…100000.")
    var queue = 16

    @Option(name: .customLong("max-memory"), help: ArgumentHelp(
        "Memory budget of the running jobs and kept results: bytes, a size such as 12G, or auto "
            + "(half of this machine, at most 3/4 of what the host has available).", valueName: "size"),
            transform: MemoryBudget.parse)
    var maxMemory = MemoryBudget.automatic

    @Option(help: "Default state-vector precision (a job may ask for the other).")
    var precision = Precision.complex128

    @Option(help: "Seconds a finished job's result is kept, 1…604800 (60 s at most once fetched).")
    var retention = 600.0

    @Option(name: .customLong("max-results"), help: "Most finished jobs kept, 1…100000 (the oldest go first).")
    var maxResults = 1000

    @Option(name: .customLong("max-result-memory"), help: ArgumentHelp(
        "Most memory of kept results (part of --max-memory; default: half of it).", valueName: "size"),
            transform: MemoryBudget.parse)
    var maxResultMemory: MemoryBudget?

    @Option(name: .customLong("max-shots"), help: "Most shots one job may ask for, 1…2147483647.")
    var maxShots = 1_000_000

    @Option(name: .customLong("max-body"), help: "Largest request body in bytes, 1024…1073741824.")
    var maxBody = 64 << 20

    @Option(name: .customLong("idle-timeout"),
            help: "Seconds a connection may stay idle or take to send its request headers, 1…3600.")
    var idleTimeout = 30.0

    @Option(name: .customLong("body-timeout"), help: "Seconds a request body may take to arrive, 1…3600.")
    var bodyTimeout = 60.0

    @Option(name: .customLong("shutdown-grace"), help: "Seconds running jobs may finish after SIGTERM, 0…3600.")
    var shutdownGrace = 30.0

    @Option(name: .customLong("token-file"), help: ArgumentHelp(
        "File of bearer tokens, one per line (16+ characters each): requests need one and see only its jobs.",
        valueName: "path"))
    var tokenFile: String?

    func validate() throws {
        try bound(Double(port), 0...65535, "--port", "a port number")
        try bound(Double(workers), 1...256, "--workers", "jobs simulated at once")
        try bound(Double(queue), 1...100_000, "--queue", "jobs waiting")
        try bound(retention, 1...604_800, "--retention", "seconds (7 days at most)")
        try bound(Double(maxResults), 1...100_000, "--max-results", "finished jobs kept")
        try bound(Double(maxShots), 1...Double(Int32.max), "--max-shots", "shots per job")
        try bound(Double(maxBody), 1024...Double(1 << 30), "--max-body", "bytes")
        try bound(idleTimeout, 1...3600, "--idle-timeout", "seconds")
        try bound(bodyTimeout, 1...3600, "--body-timeout", "seconds")
        try bound(shutdownGrace, 0...3600, "--shutdown-grace", "seconds")
        if case .bytes(let bytes) = maxMemory, bytes > HostMemory.physicalBytes {
            throw ValidationError("--max-memory: \(formatBytes(Double(bytes))) is more than this machine's "
                + "\(formatBytes(Double(HostMemory.physicalBytes))) of memory")
        }
        if case .bytes(let budget) = maxMemory, case .bytes(let results)? = maxResultMemory, results > budget {
            throw ValidationError("--max-result-memory: \(formatBytes(Double(results))) is more than the "
                + "--max-memory budget of \(formatBytes(Double(budget)))")
        }
    }

    /// Refuses `value` outside `range` (and infinities, NaN) with a message naming the option.
    func bound(_ value: Double, _ range: ClosedRange<Double>, _ option: String, _ what: String) throws {
        guard value.isFinite && range.contains(value) else {
            func text(_ x: Double) -> String { x == x.rounded() && abs(x) < 1e15 ? "\(Int64(x))" : "\(x)" }
            throw ValidationError("\(option) must be \(text(range.lowerBound))…\(text(range.upperBound)) (\(what)), got \(text(value))")
        }
    }

    func run() async throws {
        do {
            let configuration = try makeConfiguration()
            let budget = formatBytes(Double(configuration.limits.maxMemoryBytes))
            let budgetNote = maxMemory == .automatic ? " (\(SamplerLimits.automaticBudget().reason))" : ""
            let summary = "\(workers) workers, queue \(queue), memory budget \(budget)\(budgetNote), "
                + "\(precision.rawValue)" + (configuration.tokens == nil ? "" : ", bearer tokens required")
            if configuration.tokens == nil && !ServeCommand.isLoopback(host) {
                writeToStandardError(ServeCommand.openWarning(host: host, port: port))
            }
            let host = self.host
            try await SamplerService(configuration: configuration).run(onListening: { port in
                writeToStandardError("iqp serve: listening on http://\(host):\(port) (\(summary))\n")
            })
        } catch {
            CommandSupport.fail(ServeCommand.bindError(error, host: host, port: port) ?? error, communicator: nil)
        }
    }

    /// A failure to listen, as one line naming the address and the option to change: the
    /// system's "Address already in use" alone does not say which port.
    static func bindError(_ error: Error, host: String, port: Int) -> IQPError? {
        let text = "\(error)"
        if text.contains("Address already in use") || text.contains("EADDRINUSE") {
            return IQPError("cannot listen on \(host):\(port): the port is already in use by another process; "
                            + "stop it or choose another port (0: any free port)", field: "port")
        }
        if text.contains("Cannot assign requested address") || text.contains("EADDRNOTAVAIL") {
            return IQPError("cannot listen on \(host):\(port): this machine has no such address", field: "host")
        }
        if text.contains("Permission denied") || text.contains("EACCES") {
            return IQPError("cannot listen on \(host):\(port): permission denied (ports below 1024 need privileges)",
                            field: "port")
        }
        return nil
    }

    func makeConfiguration() throws -> SamplerServiceConfiguration {
        var configuration = SamplerServiceConfiguration()
        configuration.host = host
        configuration.port = port
        configuration.workers = workers
        configuration.queueCapacity = queue
        switch maxMemory {
        case .automatic:
            configuration.limits = .automatic(maxShots: maxShots)
            configuration.checkHostMemory = true
        case .bytes(let bytes):
            configuration.limits = SamplerLimits(maxMemoryBytes: bytes, maxShots: maxShots)
        }
        if case .bytes(let results)? = maxResultMemory {
            guard results <= configuration.limits.maxMemoryBytes else {
                throw ValidationError("--max-result-memory: \(formatBytes(Double(results))) is more than the "
                    + "memory budget of \(formatBytes(Double(configuration.limits.maxMemoryBytes)))")
            }
            configuration.maxResultBytes = results
        } else {
            configuration.maxResultBytes = configuration.limits.maxMemoryBytes / 2
        }
        configuration.precision = precision
        configuration.retentionSeconds = retention
        configuration.maxResults = maxResults
        configuration.maxBodyBytes = maxBody
        configuration.idleTimeoutSeconds = idleTimeout
        configuration.bodyTimeoutSeconds = bodyTimeout
        configuration.shutdownGraceSeconds = shutdownGrace
        configuration.tokens = try tokenFile.map { try BearerTokens.read(path: $0) }
        return configuration
    }

    /// 127.0.0.0/8, ::1 and localhost.
    static func isLoopback(_ host: String) -> Bool {
        let h = host.lowercased()
        return h == "localhost" || h == "::1" || h == "[::1]" || h.hasPrefix("127.")
    }

    static func openWarning(host: String, port: Int) -> String {
        let line = String(repeating: "!", count: 78)
        return """
            \(line)
            iqp serve: WARNING: listening on \(host):\(port) WITHOUT authentication.
            Anyone who can reach this port can submit, read and delete jobs and use this
            machine's memory and cores. Give --token-file FILE (one token per line, e.g.
            `openssl rand -hex 32 > FILE`) and set IQP_SAMPLER_TOKEN for the clients, or
            listen on 127.0.0.1 behind an authenticating proxy.
            \(line)

            """
    }
}
