import Foundation
import IQPCore
import IQPSampler

/// The worker side of the store: handing out jobs, recording how they ended, shutdown.
extension JobStore {
    /// The next job to run, waiting while the queue is empty or its head does not fit in the
    /// memory left; nil once the service shuts down (or the calling task is cancelled).
    func nextJob() async -> WorkItem? {
        while true {
            if Task.isCancelled { return nil }
            if let head = queue.first, let job = jobs[head], let request = job.request {
                switch start(job, request, now: Date()) {
                case .started(let item): return item
                case .refused: continue
                case .mustWait: break
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

    private enum StartOutcome {
        case started(WorkItem)
        /// Failed at once (the host lacks the memory); look at the next job.
        case refused
        /// Memory is held by running jobs.
        case mustWait
    }

    /// Starts the queue's head if its memory fits next to the running jobs, dropping retained
    /// results when they are what stands in the way.
    private func start(_ job: Job, _ request: SamplingRequest, now: Date) -> StartOutcome {
        let budget = Double(configuration.limits.maxMemoryBytes)
        let need = job.requiredBytes
        guard running == 0 || runningBytes + need <= budget else { return .mustWait }
        if runningBytes + resultBytes + need > budget {
            dropResults(toFree: runningBytes + resultBytes + need - budget)
        }
        var job = job
        queue.removeFirst()
        if configuration.checkHostMemory, case let available = Double(HostMemory.availableBytes()), available < need {
            job.reason = "the host has only \(formatBytes(available)) of memory available now (other processes "
                + "hold the rest); the job needs \(formatBytes(need))"
            jobs[job.id] = job
            record(job.id, as: .failed, now: now)
            enforceCaps()
            return .refused
        }
        job.status = .running
        job.startedAt = now
        jobs[job.id] = job
        running += 1
        runningBytes += need
        counters.queueWait.observe(now.timeIntervalSince(job.createdAt))
        return .started(WorkItem(id: job.id, request: request, cancelFlag: job.cancelFlag))
    }

    /// Records how a running job ended.
    @discardableResult
    func finish(id: String, result: Result<SamplingOutcome, any Error>, now: Date) -> JobSnapshot? {
        running -= 1
        defer { wakeWaiters() }
        guard var job = jobs[id] else { return nil }
        runningBytes = max(0, runningBytes - job.requiredBytes)
        let status: JobStatus
        switch result {
        case .success(let outcome):
            status = .completed
            job.outcome = outcome
            job.simulationSeconds = outcome.timings.totalSeconds
            resultBytes += job.resultBytes
            counters.simulationSeconds += outcome.timings.totalSeconds
            counters.simulatedJobs += 1
            counters.shots += outcome.shots.rows
        case .failure(let error as SamplingCancelled):
            status = stoppedByShutdown.contains(id) ? .failed : .cancelled
            job.reason = job.reason ?? "\(error)"
        case .failure(let error):
            status = .failed
            job.reason = "\((error as? IQPError)?.description ?? "\(error)")"
        }
        jobs[id] = job
        record(id, as: status, now: now)
        if let started = job.startedAt {
            counters.runSeconds[status, default: Histogram(bounds: Histogram.jobSeconds)]
                .observe(now.timeIntervalSince(started))
        }
        enforceCaps()
        return jobs[id].map(snapshot)
    }

    /// Marks a job finished with `status`: it is kept until its expiry (without its model).
    func record(_ id: String, as status: JobStatus, now: Date) {
        guard var job = jobs[id] else { return }
        job.status = status
        job.finishedAt = now
        job.expiresAt = now.addingTimeInterval(configuration.retentionSeconds)
        job.request = nil
        jobs[id] = job
        counters.finished[status, default: 0] += 1
        finishedOrder.append(id)
        finishedCount += 1
    }

    // MARK: Shutdown

    /// Stops taking jobs: queued jobs fail with a reason, running ones go on (see
    /// `failRunningJobs`), idle workers are released.
    func beginShutdown(now: Date) {
        guard !shuttingDown else { return }
        shuttingDown = true
        for id in queue {
            jobs[id]?.reason = "the service shut down before the job started"
            record(id, as: .failed, now: now)
        }
        queue.removeAll()
        enforceCaps()
        wakeWaiters()
    }

    /// Cancels the running jobs; they are reported failed with this reason.
    func failRunningJobs(reason: String) {
        for (id, job) in jobs where job.status == .running {
            jobs[id]?.reason = reason
            stoppedByShutdown.insert(id)
            job.cancelFlag.set()
        }
    }

    var runningCount: Int { running }

    /// Finished jobs whose final status no client has been told yet.
    var unreportedCount: Int { jobs.values.reduce(0) { $0 + ($1.status.isFinished && !$1.reported ? 1 : 0) } }
}
