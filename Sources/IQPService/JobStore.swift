import Foundation
import IQPCore
import IQPSampler

/// Every job of the service, the bounded FIFO queue and the counters behind /metrics.
///
/// Memory: `limits.maxMemoryBytes` is the budget of the running jobs and the retained results
/// together. Workers take the queue's head when its memory fits next to the jobs already
/// running and the results kept (results are dropped, oldest and already-fetched first, when a
/// queued job needs their memory). Finished jobs are kept `retentionSeconds` (less once
/// fetched), at most `maxResults` of them and `maxResultBytes` of results; then dropped.
///
/// Jobs belong to the token that made them (`owner`); another owner's job is "not found".
actor JobStore {
    let configuration: SamplerServiceConfiguration
    var jobs: [String: Job] = [:]
    var queue: [String] = []
    /// Finished job ids in the order they finished (some may since have been removed).
    var finishedOrder: [String] = []
    var finishedOrderStart = 0
    var finishedCount = 0
    /// (owner, Idempotency-Key) → job id.
    var idempotency: [IdempotencyScope: String] = [:]
    var waiters: [CheckedContinuation<Void, Never>] = []
    /// Memory reserved by the running jobs.
    var runningBytes: Double = 0
    /// Memory held by the retained results.
    var resultBytes: Double = 0
    var running = 0
    var shuttingDown = false
    var counters = Counters()
    /// Running jobs cancelled because the service shut down (reported failed, not cancelled).
    var stoppedByShutdown = Set<String>()
    /// Results were dropped since the last `HostMemory.trim()`.
    var memoryToReturn = false

    struct IdempotencyScope: Hashable {
        var owner: Int
        var key: String
    }

    struct Counters: Sendable {
        var submitted = 0
        var finished: [JobStatus: Int] = [:]
        var rejected: [RejectionReason: Int] = [:]
        var resultsDropped = 0
        var simulationSeconds = 0.0
        var simulatedJobs = 0
        var shots = 0
        /// Created → started, of every job that started.
        var queueWait = Histogram(bounds: Histogram.jobSeconds)
        /// Started → finished, by final status.
        var runSeconds: [JobStatus: Histogram] = [:]
    }

    /// A job handed to a worker.
    struct WorkItem: Sendable {
        let id: String
        let request: SamplingRequest
        let cancelFlag: CancelFlag
    }

    init(configuration: SamplerServiceConfiguration) {
        self.configuration = configuration
    }

    // MARK: API side

    /// Queues a job, or replays the job of a known idempotency key.
    func submit(_ submission: JobSubmission, owner: Int = 0, idempotencyKey: String?, bodyHash: UInt64,
                now: Date) throws(ServiceError) -> (snapshot: JobSnapshot, replayed: Bool) {
        let scope = idempotencyKey.map { IdempotencyScope(owner: owner, key: $0) }
        if let scope, let id = idempotency[scope], let job = jobs[id] {
            guard job.bodyHash == bodyHash else { throw .idempotencyConflict(scope.key) }
            return (snapshot(job), true)
        }
        guard !shuttingDown else {
            counters.rejected[.shuttingDown, default: 0] += 1
            throw .shuttingDown
        }
        guard queue.count < configuration.queueCapacity else {
            counters.rejected[.queueFull, default: 0] += 1
            throw .queueFull(capacity: configuration.queueCapacity, retryAfter: retryAfterSeconds())
        }
        let job = Job(id: UUID().uuidString.lowercased(), owner: owner, submission: submission, createdAt: now,
                      idempotencyKey: idempotencyKey, bodyHash: bodyHash)
        jobs[job.id] = job
        queue.append(job.id)
        if let scope { idempotency[scope] = job.id }
        counters.submitted += 1
        wakeWaiters()
        return (snapshot(job), false)
    }

    func recordRejection(_ reason: RejectionReason) {
        counters.rejected[reason, default: 0] += 1
    }

    /// The status of a job; the client of a failed or cancelled job now knows how it ended (a
    /// completed job is reported once its result is fetched).
    func status(id: String, owner: Int = 0) throws(ServiceError) -> JobSnapshot {
        var job = try lookup(id, owner: owner)
        if job.status.isFinished && job.status != .completed && !job.reported {
            job.reported = true
            jobs[id] = job
        }
        return snapshot(job)
    }

    /// The status of a job without marking it reported (tests, logging).
    func snapshot(id: String, owner: Int = 0) throws(ServiceError) -> JobSnapshot {
        snapshot(try lookup(id, owner: owner))
    }

    /// The result of a completed job; from now on it is kept at most `fetchedRetentionSeconds`.
    func result(id: String, owner: Int = 0, now: Date) throws(ServiceError) -> (snapshot: JobSnapshot, outcome: SamplingOutcome) {
        var job = try lookup(id, owner: owner)
        if job.status.isFinished && job.status != .completed || job.resultDropped {
            job.reported = true
            jobs[id] = job
        }
        if job.resultDropped { throw .resultDropped(id, caps: capsDescription) }
        guard job.status == .completed, let outcome = job.outcome else {
            throw .noResult(id, status: job.status, reason: job.reason)
        }
        let fetchedDeadline = now.addingTimeInterval(configuration.fetchedRetentionSeconds)
        if let expires = job.expiresAt, expires > fetchedDeadline { job.expiresAt = fetchedDeadline }
        job.fetched = true
        job.reported = true
        jobs[id] = job
        return (snapshot(job), outcome)
    }

    /// DELETE: a queued job is cancelled at once; a running one is asked to stop (it becomes
    /// cancelled when the simulator next checks); a finished one is removed with its result.
    func delete(id: String, owner: Int = 0, now: Date) throws(ServiceError) -> (snapshot: JobSnapshot, removed: Bool) {
        var job = try lookup(id, owner: owner)
        switch job.status {
        case .queued:
            queue.removeAll { $0 == id }
            job.reason = "cancelled by the client before it started"
            job.cancelFlag.set()
            job.reported = true
            jobs[id] = job
            record(id, as: .cancelled, now: now)
            return (snapshot(jobs[id]!), false)
        case .running:
            job.reason = "cancelled by the client while running"
            job.cancelFlag.set()
            jobs[id] = job
            return (snapshot(job), false)
        case .completed, .failed, .cancelled:
            remove(id)
            return (snapshot(job), true)
        }
    }

    func lookup(_ id: String, owner: Int) throws(ServiceError) -> Job {
        guard let job = jobs[id], job.owner == owner else {
            throw .jobNotFound(id, retention: configuration.retentionSeconds)
        }
        return job
    }

    func snapshot(_ job: Job) -> JobSnapshot {
        job.snapshot(queuePosition: job.status == .queued ? queue.firstIndex(of: job.id).map { $0 + 1 } : nil)
    }

    /// "at most 1000 finished jobs and 5.9 GiB of results, which yield to queued jobs".
    var capsDescription: String {
        "it keeps at most \(configuration.maxResults) finished jobs and "
            + "\(formatBytes(Double(configuration.maxResultBytes))) of results, which yield their memory to queued jobs"
    }

    // MARK: Helpers

    func wakeWaiters() {
        let waiting = waiters
        waiters.removeAll()
        for w in waiting { w.resume() }
    }

    /// Seconds until a queue slot is likely free: mean simulation time × jobs ahead / workers,
    /// between 1 and 300.
    private func retryAfterSeconds() -> Int {
        let mean = counters.simulatedJobs > 0 ? counters.simulationSeconds / Double(counters.simulatedJobs) : 1
        let ahead = Double(queue.count + running) / Double(max(1, configuration.workers))
        return min(300, max(1, Int((mean * ahead).rounded(.up))))
    }
}
