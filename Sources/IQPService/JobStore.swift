import Foundation
import IQPCore
import IQPSampler

/// Every job of the service, the bounded FIFO queue and the counters behind /metrics.
///
/// Workers take the queue's head when its memory fits next to the jobs already running
/// (`limits.maxMemoryBytes` is the budget of all running jobs together; a job larger than the
/// budget was refused at submission). Finished jobs are kept `retentionSeconds` (less once
/// fetched), then dropped.
actor JobStore {
    let configuration: SamplerServiceConfiguration
    private var jobs: [String: Job] = [:]
    private var queue: [String] = []
    private var idempotency: [String: String] = [:]
    private var waiters: [CheckedContinuation<Void, Never>] = []
    private var reservedBytes: Double = 0
    private var running = 0
    private(set) var shuttingDown = false
    private var counters = Counters()
    /// Running jobs cancelled because the service shut down (reported failed, not cancelled).
    private var stoppedByShutdown = Set<String>()

    struct Counters: Sendable {
        var submitted = 0
        var finished: [JobStatus: Int] = [:]
        var rejected: [String: Int] = [:]
        var simulationSeconds = 0.0
        var simulatedJobs = 0
        var shots = 0
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
    func submit(_ submission: JobSubmission, idempotencyKey: String?, bodyHash: UInt64,
                now: Date) throws(ServiceError) -> (snapshot: JobSnapshot, replayed: Bool) {
        if let key = idempotencyKey, let id = idempotency[key], let job = jobs[id] {
            guard job.bodyHash == bodyHash else { throw .idempotencyConflict(key) }
            return (snapshot(job), true)
        }
        guard !shuttingDown else { throw .shuttingDown }
        guard queue.count < configuration.queueCapacity else {
            counters.rejected["queue_full", default: 0] += 1
            throw .queueFull(capacity: configuration.queueCapacity, retryAfter: retryAfterSeconds())
        }
        let job = Job(id: UUID().uuidString.lowercased(), request: submission.request, seedGiven: submission.seedGiven,
                      createdAt: now, idempotencyKey: idempotencyKey, bodyHash: bodyHash)
        jobs[job.id] = job
        queue.append(job.id)
        if let key = idempotencyKey { idempotency[key] = job.id }
        counters.submitted += 1
        wakeWaiters()
        return (snapshot(job), false)
    }

    func recordRejection(_ code: String) {
        counters.rejected[code, default: 0] += 1
    }

    func snapshot(id: String) throws(ServiceError) -> JobSnapshot {
        guard let job = jobs[id] else { throw .jobNotFound(id, retention: configuration.retentionSeconds) }
        return snapshot(job)
    }

    /// The result of a completed job; from now on it is kept at most `fetchedRetentionSeconds`.
    func result(id: String, now: Date) throws(ServiceError) -> (snapshot: JobSnapshot, outcome: SamplingOutcome) {
        guard var job = jobs[id] else { throw .jobNotFound(id, retention: configuration.retentionSeconds) }
        guard job.status == .completed, let outcome = job.outcome else {
            throw .noResult(id, status: job.status, reason: job.reason)
        }
        let fetchedDeadline = now.addingTimeInterval(configuration.fetchedRetentionSeconds)
        if let expires = job.expiresAt, expires > fetchedDeadline {
            job.expiresAt = fetchedDeadline
            jobs[id] = job
        }
        return (snapshot(job), outcome)
    }

    /// DELETE: a queued job is cancelled at once; a running one is asked to stop (it becomes
    /// cancelled when the simulator next checks); a finished one is removed with its result.
    func delete(id: String, now: Date) throws(ServiceError) -> (snapshot: JobSnapshot, removed: Bool) {
        guard var job = jobs[id] else { throw .jobNotFound(id, retention: configuration.retentionSeconds) }
        switch job.status {
        case .queued:
            queue.removeAll { $0 == id }
            job.status = .cancelled
            job.reason = "cancelled by the client before it started"
            job.finishedAt = now
            job.expiresAt = now.addingTimeInterval(configuration.retentionSeconds)
            job.cancelFlag.set()
            counters.finished[.cancelled, default: 0] += 1
            jobs[id] = job
            return (snapshot(job), false)
        case .running:
            job.reason = "cancelled by the client while running"
            job.cancelFlag.set()
            jobs[id] = job
            return (snapshot(job), false)
        case .completed, .failed, .cancelled:
            jobs[id] = nil
            if let key = job.idempotencyKey { idempotency[key] = nil }
            return (snapshot(job), true)
        }
    }

    // MARK: Worker side

    /// The next job to run, waiting while the queue is empty or its head does not fit in the
    /// memory left; nil once the service shuts down (or the calling task is cancelled).
    func nextJob() async -> WorkItem? {
        while true {
            if Task.isCancelled { return nil }
            if let head = queue.first, var job = jobs[head] {
                let need = job.request.requiredBytes
                if running == 0 || reservedBytes + need <= Double(configuration.limits.maxMemoryBytes) {
                    queue.removeFirst()
                    job.status = .running
                    job.startedAt = Date()
                    jobs[head] = job
                    running += 1
                    reservedBytes += need
                    return WorkItem(id: head, request: job.request, cancelFlag: job.cancelFlag)
                }
            } else if shuttingDown {
                return nil
            }
            await withTaskCancellationHandler {
                await withCheckedContinuation { waiters.append($0) }
            } onCancel: {
                Task { await self.wakeWaiters() }
            }
        }
    }

    /// Records how a running job ended.
    @discardableResult
    func finish(id: String, result: Result<SamplingOutcome, any Error>, now: Date) -> JobSnapshot? {
        running -= 1
        defer { wakeWaiters() }
        guard var job = jobs[id] else { return nil }
        reservedBytes -= job.request.requiredBytes
        if reservedBytes < 1 { reservedBytes = 0 }
        job.finishedAt = now
        job.expiresAt = now.addingTimeInterval(configuration.retentionSeconds)
        switch result {
        case .success(let outcome):
            job.status = .completed
            job.outcome = outcome
            counters.simulationSeconds += outcome.timings.totalSeconds
            counters.simulatedJobs += 1
            counters.shots += outcome.shots.rows
        case .failure(let error as SamplingCancelled):
            if stoppedByShutdown.contains(id) {
                job.status = .failed
                job.reason = job.reason ?? "\(error)"
            } else {
                job.status = .cancelled
                job.reason = job.reason ?? "\(error)"
            }
        case .failure(let error):
            job.status = .failed
            job.reason = "\(error)"
        }
        counters.finished[job.status, default: 0] += 1
        jobs[id] = job
        return snapshot(job)
    }

    /// Drops finished jobs past their expiry.
    func purgeExpired(now: Date) {
        for (id, job) in jobs where job.status.isFinished && (job.expiresAt ?? .distantFuture) <= now {
            jobs[id] = nil
            if let key = job.idempotencyKey, idempotency[key] == id { idempotency[key] = nil }
        }
    }

    // MARK: Shutdown

    /// Stops taking jobs: queued jobs fail with a reason, running ones go on (see
    /// `failRunningJobs`), idle workers are released.
    func beginShutdown(now: Date) {
        guard !shuttingDown else { return }
        shuttingDown = true
        for id in queue {
            guard var job = jobs[id] else { continue }
            job.status = .failed
            job.reason = "the service shut down before the job started"
            job.finishedAt = now
            job.expiresAt = now.addingTimeInterval(configuration.retentionSeconds)
            counters.finished[.failed, default: 0] += 1
            jobs[id] = job
        }
        queue.removeAll()
        wakeWaiters()
    }

    /// Cancels the running jobs; they are reported failed with this reason.
    func failRunningJobs(reason: String) {
        for (id, job) in jobs where job.status == .running {
            var updated = job
            updated.reason = reason
            jobs[id] = updated
            stoppedByShutdown.insert(id)
            job.cancelFlag.set()
        }
    }

    var runningCount: Int { running }

    // MARK: Metrics

    struct MetricsSnapshot: Sendable {
        var byStatus: [JobStatus: Int]
        var counters: Counters
        var queueLength: Int
        var running: Int
        var reservedBytes: Double
    }

    func metrics() -> MetricsSnapshot {
        var byStatus: [JobStatus: Int] = [:]
        for job in jobs.values { byStatus[job.status, default: 0] += 1 }
        return MetricsSnapshot(byStatus: byStatus, counters: counters, queueLength: queue.count,
                               running: running, reservedBytes: reservedBytes)
    }

    // MARK: Helpers

    private func wakeWaiters() {
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

    private func snapshot(_ job: Job) -> JobSnapshot {
        JobSnapshot(id: job.id, status: job.status, createdAt: job.createdAt, startedAt: job.startedAt,
                    finishedAt: job.finishedAt,
                    queuePosition: job.status == .queued ? queue.firstIndex(of: job.id).map { $0 + 1 } : nil,
                    reason: job.reason, nQubits: job.request.model.nQubits, shots: job.request.shots,
                    modelKind: job.request.model.kind.rawValue, precision: job.request.precision,
                    seed: job.request.seed, cancelRequested: job.cancelFlag.isSet,
                    simulationSeconds: job.outcome?.timings.totalSeconds)
    }
}
