import Foundation
import IQPCore

/// How long finished jobs and their results stay: until their expiry, a DELETE, or a cap.
///
/// Caps: at most `maxResults` finished jobs (the oldest are removed) and `maxResultBytes` of
/// results (the oldest results are dropped; the job stays and its result answers 410). A queued
/// job that needs memory held by results drops them too. Results already fetched go first.
/// Dropped memory is handed back to the system (`HostMemory.trim`) by the retention loop.
extension JobStore {
    /// Removes a job (and its result).
    func remove(_ id: String) {
        guard let job = jobs.removeValue(forKey: id) else { return }
        if job.outcome != nil {
            resultBytes = max(0, resultBytes - job.resultBytes)
            memoryToReturn = true
        }
        if job.status.isFinished { finishedCount -= 1 }
        if let key = job.idempotencyKey {
            let scope = IdempotencyScope(owner: job.owner, key: key)
            if idempotency[scope] == id { idempotency[scope] = nil }
        }
        compactFinishedOrder()
    }

    /// Drops a completed job's result; the job stays (its result answers 410).
    func dropResult(_ id: String) {
        guard var job = jobs[id], job.outcome != nil else { return }
        resultBytes = max(0, resultBytes - job.resultBytes)
        job.outcome = nil
        job.resultDropped = true
        jobs[id] = job
        counters.resultsDropped += 1
        memoryToReturn = true
    }

    /// Applies the caps on finished jobs and result bytes.
    func enforceCaps() {
        while finishedCount > configuration.maxResults, let id = evictionCandidate(withResult: false) {
            remove(id)
        }
        while resultBytes > Double(configuration.maxResultBytes), let id = evictionCandidate(withResult: true) {
            dropResult(id)
        }
    }

    /// Drops results, oldest and fetched first, until `bytes` are free (or none is left).
    func dropResults(toFree bytes: Double) {
        let target = resultBytes - bytes
        while resultBytes > max(0, target), let id = evictionCandidate(withResult: true) {
            dropResult(id)
        }
    }

    /// The finished job to give up first: the oldest one whose result is fetched or absent,
    /// else the oldest one (`withResult`: only jobs that still hold a result).
    func evictionCandidate(withResult: Bool) -> String? {
        var oldest: String?
        for id in finishedOrder[finishedOrderStart...] {
            guard let job = jobs[id], job.status.isFinished else { continue }
            if withResult && job.outcome == nil { continue }
            if job.fetched || job.outcome == nil { return id }
            if oldest == nil { oldest = id }
        }
        return oldest
    }

    /// Drops finished jobs past their expiry.
    func purgeExpired(now: Date) {
        while finishedOrderStart < finishedOrder.count {
            let id = finishedOrder[finishedOrderStart]
            if let job = jobs[id], job.status.isFinished {
                // Expiry is finish time + retention, shortened when fetched: scan the rest.
                break
            }
            finishedOrderStart += 1
        }
        for id in finishedOrder[finishedOrderStart...] {
            if let job = jobs[id], job.status.isFinished, (job.expiresAt ?? .distantFuture) <= now { remove(id) }
        }
    }

    /// Whether results were dropped since the last call (then the caller trims the heap).
    func takeMemoryToReturn() -> Bool {
        defer { memoryToReturn = false }
        return memoryToReturn
    }

    /// Keeps `finishedOrder` from growing without bound as jobs are removed.
    private func compactFinishedOrder() {
        let live = finishedOrder.count - finishedOrderStart
        guard live > 2 * finishedCount + 64 else { return }
        finishedOrder = finishedOrder[finishedOrderStart...].filter { jobs[$0]?.status.isFinished == true }
        finishedOrderStart = 0
    }

    // MARK: Metrics

    struct MetricsSnapshot: Sendable {
        var byStatus: [JobStatus: Int]
        var counters: Counters
        var queueLength: Int
        var running: Int
        var runningBytes: Double
        var resultBytes: Double
        var results: Int
    }

    func metrics() -> MetricsSnapshot {
        var byStatus: [JobStatus: Int] = [:]
        var results = 0
        for job in jobs.values {
            byStatus[job.status, default: 0] += 1
            if job.outcome != nil { results += 1 }
        }
        return MetricsSnapshot(byStatus: byStatus, counters: counters, queueLength: queue.count, running: running,
                               runningBytes: runningBytes, resultBytes: resultBytes, results: results)
    }
}
