import Foundation
import IQPSampler
import Logging
import ServiceLifecycle

/// The workers that run queued jobs, as a `Service` of the server's `ServiceGroup`.
///
/// Each worker takes the next job from the store and simulates it on a Dispatch thread
/// (`ShotSampler.runDetached`), so the HTTP server keeps answering while jobs run. A retention
/// loop drops expired results.
///
/// Graceful shutdown (SIGTERM/SIGINT): no new jobs are taken (POST answers 503), queued jobs
/// fail with "the service shut down before the job started", running jobs may finish for
/// `shutdownGraceSeconds`, after which they are cancelled and reported failed. Then the pool
/// returns and the HTTP server stops.
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
            Task { await self.shutDown() }
        }
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

    /// "30" or "0.2".
    func seconds(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e9 ? "\(Int(x))" : "\(x)"
    }

    func retentionLoop() async {
        while !(await store.shuttingDown) && !Task.isCancelled {
            await store.purgeExpired(now: Date())
            try? await Task.sleep(nanoseconds: 250_000_000)
        }
    }

    func shutDown() async {
        logger.info("shutting down: no new jobs; queued jobs fail; running jobs may finish",
                    metadata: ["grace_seconds": "\(configuration.shutdownGraceSeconds)"])
        await store.beginShutdown(now: Date())
        let deadline = Date().addingTimeInterval(configuration.shutdownGraceSeconds)
        while await store.runningCount > 0 && Date() < deadline {
            try? await Task.sleep(nanoseconds: 50_000_000)
        }
        if await store.runningCount > 0 {
            await store.failRunningJobs(reason: "the service shut down while the job was running "
                + "(its grace of \(seconds(configuration.shutdownGraceSeconds)) s ran out)")
        }
    }
}
