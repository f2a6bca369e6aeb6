import IQPSampler

/// Settings of `iqp serve` (see docs/service.md).
public struct SamplerServiceConfiguration: Sendable {
    /// Address and port to listen on (port 0: any free port, reported when the server runs).
    public var host: String = "127.0.0.1"
    public var port: Int = 8470
    /// Jobs simulated at the same time (each also spreads over all cores).
    public var workers: Int = 2
    /// Jobs that may wait in the queue; one more gets 429 with Retry-After.
    public var queueCapacity: Int = 16
    /// Memory budget for the running jobs and the retained results together, and the most
    /// shots per job.
    public var limits: SamplerLimits = .automatic()
    /// Whether a job about to start is first checked against the memory the host has available
    /// (with the automatic budget: other processes may have grown since the service started).
    public var checkHostMemory = false
    /// Default precision of the state vector (a job may ask for another).
    public var precision: Precision = .complex128
    /// Seconds a finished job (and its result) is kept.
    public var retentionSeconds: Double = 600
    /// Seconds a result is still kept after it was first fetched (if less than the retention left).
    public var fetchedRetentionSeconds: Double = 60
    /// Most finished jobs kept (the oldest are removed first).
    public var maxResults: Int = 1000
    /// Most bytes of retained results (the oldest results are dropped first); part of the budget.
    public var maxResultBytes: Int = SamplerLimits.automatic().maxMemoryBytes / 2
    /// Largest request body accepted, in bytes.
    public var maxBodyBytes: Int = 64 << 20
    /// Seconds a connection may stay idle, or take to send a request's headers, before it is closed.
    public var idleTimeoutSeconds: Double = 30
    /// Seconds a request's body may take to arrive before the connection is closed.
    public var bodyTimeoutSeconds: Double = 60
    /// At shutdown, running jobs may finish for this many seconds; then they are cancelled and
    /// reported failed.
    public var shutdownGraceSeconds: Double = 30
    /// After the last job ended at shutdown, the API keeps answering until every finished job's
    /// status has been reported to a client, for at most this many seconds.
    public var shutdownReportSeconds: Double = 5
    /// Bearer tokens (nil: no authentication). Jobs are visible only to the token that made them.
    public var tokens: BearerTokens?

    public init() {}
}
