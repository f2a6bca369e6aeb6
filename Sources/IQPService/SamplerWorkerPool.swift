import Foundation
import IQPCore
import IQPSampler
import Logging
import ServiceLifecycle

/// The workers that run queued jobs, as a `Service` of the server's `ServiceGroup`.
///
/// Each worker takes the next job from the store and simulates it on a Dispatch thread
/// (`ShotSampler.runDetached`), so the HTTP server keeps answering while jobs run. A retention
/// loop drops expired results and hands their memory back to the system.
///
/// Graceful shutdown (SIGTERM/SIGINT): no new jobs are taken (POST answers 503), queued jobs
/// fail with "the service shut down before the job started", running jobs may finish for
/// `shutdownGraceSeconds`, after which they are cancelled (within about a second) and reported
/// failed. Then the pool waits until every finished job's status has been reported to a client
/// (GET, result or DELETE), for at most `shutdownReportSeconds`, and returns; the HTTP server
/// stops after it.
public struct SamplerWorkerPool: Service {
    let store: JobStore
    let logger: Logger

    var configuration: SamplerServiceConfiguration { store.configuration }

    public func run() async throws {
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { group in
                for worker in 0..<max(1, configuration.workers) {
                    group.addTask { await self.workerLoop(worker) }
                }
                group.addTask { await self.retentionLoop() }
                await group.waitForAll()
            }
        } onGracefulShutdown: {
            Task { await self.beginShutdown() }
        }
        await reportFinishedJobs()
    }

    func workerLoop(_ worker: Int) async {
        while let item = await store.nextJob() {
            let flag = item.cancelFlag
            logger.info("job started", metadata: ["job": "\(item.id)", "worker": "\(worker)",
                                                  "qubits": "\(item.request.model.nQubits)", "shots": "\(item.request.shots)"])
            let result: Result<SamplingOutcome, any Error>
            do {
                result = .success(try await ShotSampler.runDetached(item.request, isCancelled: { flag.isSet }))
            } catch {
                result = .failure(error)
            }
            let final = await store.finish(id: item.id, result: result, now: Date())
            logger.info("job \(final?.status.rawValue ?? "ended")", metadata: [
                "job": "\(item.id)", "seconds": "\(final?.simulationSeconds ?? 0)", "reason": "\(final?.reason ?? "")",
            ])
        }
    }

    /// Every 250 ms: drop expired jobs, and give freed result memory back to the system.
    func retentionLoop() async {
        while !(await store.shuttingDown) && !Task.isCancelled {
            await store.purgeExpired(now: Date())
            if await store.takeMemoryToReturn() { HostMemory.trim() }
            try? await Task.sleep(nanoseconds: 250_000_000)
        }
    }

    /// No new jobs; queued jobs fail; running jobs get the grace time, then are cancelled.
    func beginShutdown() async {
        let grace = configuration.shutdownGraceSeconds
        logger.info("shutting down: no new jobs; queued jobs fail; running jobs may finish",
                    metadata: ["grace_seconds": "\(grace)"])
        await store.beginShutdown(now: Date())
        let deadline = Date().addingTimeInterval(grace)
        while await store.runningCount > 0 && Date() < deadline {
            try? await Task.sleep(nanoseconds: 20_000_000)
        }
        if await store.runningCount > 0 {
            await store.failRunningJobs(reason: "the service shut down while the job was running "
                + "(its grace of \(seconds(grace)) s ran out)")
        }
    }

    /// After the workers stopped: keep the API up until every finished job's status has been
    /// reported to a client, for at most `shutdownReportSeconds`.
    func reportFinishedJobs() async {
        let deadline = Date().addingTimeInterval(configuration.shutdownReportSeconds)
        while await store.unreportedCount > 0 && Date() < deadline {
            try? await Task.sleep(nanoseconds: 20_000_000)
        }
        let left = await store.unreportedCount
        if left > 0 { logger.info("stopping with \(left) finished jobs not yet reported to their clients") }
    }

    /// "30" or "0.2".
    func seconds(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e9 ? "\(Int(x))" : "\(x)"
    }
}
