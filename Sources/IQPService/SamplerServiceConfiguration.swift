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
    /// Memory budget for the jobs running at once, and the most shots per job.
    public var limits: SamplerLimits = .automatic()
    /// Default precision of the state vector (a job may ask for another).
    public var precision: Precision = .complex128
    /// Seconds a finished job (and its result) is kept.
    public var retentionSeconds: Double = 600
    /// Seconds a result is still kept after it was first fetched (if less than the retention left).
    public var fetchedRetentionSeconds: Double = 60
    /// Largest request body accepted, in bytes.
    public var maxBodyBytes: Int = 64 << 20
    /// At shutdown, running jobs may finish for this many seconds; then they are cancelled and
    /// reported failed.
    public var shutdownGraceSeconds: Double = 30

    public init() {}
}
