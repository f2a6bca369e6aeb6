import Foundation
import IQPCore
import IQPSampler
@testable import IQPService
import Logging
import XCTest

/// Graceful shutdown in process: a job that finishes within the grace time is reported
/// completed and its result stays fetchable until the service has handed it out.
final class ShutdownTests: XCTestCase {
    func testJobFinishingDuringTheGraceIsFetchable() async throws {
        let slow = try slowModel(nQubits: 20)
        var configuration = SamplerServiceConfiguration()
        configuration.port = 0
        configuration.workers = 1
        configuration.limits = SamplerLimits(maxMemoryBytes: 1 << 30, maxShots: 1_000_000)
        configuration.shutdownGraceSeconds = 60
        configuration.shutdownReportSeconds = 30
        let service = SamplerService(configuration: configuration)
        var logger = Logger(label: "iqp.serve.test")
        logger.logLevel = .warning
        let (ports, portContinuation) = AsyncStream<Int>.makeStream()
        let group = service.makeServiceGroup(logger: logger, signals: [], onListening: { portContinuation.yield($0) })
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var iterator = ports.makeAsyncIterator()
            let port = await iterator.next()
            let url = URL(string: "http://127.0.0.1:\(try XCTUnwrap(port))")!
            let client = SamplerClient(baseURL: url)
            let request = SamplingRequest(model: slow, shots: 100, seed: 4)
            let id = try await client.submit(request)
            try await waitRunning(url, id)
            await group.triggerGracefulShutdown()

            // New jobs are refused; the running one completes and is reported so.
            let refused = try await http("POST", url, "/v1/jobs", json: jobJSON(slow, shots: 1))
            XCTAssertEqual(refused.status, 503)
            XCTAssertEqual(refused.errorCode, "shutting_down")
            let health = try await http("GET", url, "/healthz")
            XCTAssertEqual(health.status, 503)
            let state = try await client.waitUntilFinished(id: id)
            XCTAssertEqual(state.status, .completed)
            let result = try await client.result(id: id)
            XCTAssertEqual(result.shots, try ShotSampler.run(request).shots)
            // Once its result is handed out the service stops (well before the 30 s report limit).
            try await tasks.waitForAll()
        }
        let snapshot = await service.store.metrics()
        XCTAssertEqual(snapshot.counters.finished[.completed], 1)
        let unreported = await service.store.unreportedCount
        XCTAssertEqual(unreported, 0)
    }
}
