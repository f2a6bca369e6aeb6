import Foundation
import IQPCore
import IQPSampler
@testable import IQPService
import XCTest

/// `iqp serve` as a process under load: concurrent clients, random cancels and a SIGTERM in
/// the middle. Every accepted job must end completed (with the right shots), cancelled or
/// failed with a reason, as its own client sees it; none is lost; the resident memory stays
/// within the budget; the process exits 0. (About 10 s.)
final class ServeSoakTests: XCTestCase {
    enum Outcome: Equatable {
        case completed(verified: Bool)
        case cancelled
        case failed(String)
        /// The client's DELETE came after the job had finished (it removed the job).
        case deletedAfterFinishing
        /// The client could not learn how its job ended.
        case lost(String)
    }

    final class Ledger: @unchecked Sendable {
        private let lock = NSLock()
        private var list: [Outcome] = []
        private var peak = 0
        func record(_ o: Outcome) { lock.withLock { list.append(o) } }
        func observe(rss: Int) { lock.withLock { peak = max(peak, rss) } }
        var outcomes: [Outcome] { lock.withLock { list } }
        var peakRSS: Int { lock.withLock { peak } }
    }

    func testSoakWithCancelsAndSIGTERM() async throws {
        let budget = 160 << 20
        let server = try ServeProcess(["--workers", "2", "--queue", "6", "--max-memory", "160M", "--max-results", "40",
                                       "--retention", "30", "--shutdown-grace", "2"])
        defer { server.stop() }
        let url = server.url!
        _ = try await http("GET", url, "/healthz")
        let baseline = try XCTUnwrap(server.residentBytes)
        let models = [try testModel(nQubits: 6, seed: 1), try testModel(nQubits: 10, seed: 2),
                      try testModel(nQubits: 14, seed: 3), try slowModel(nQubits: 18), try slowModel(nQubits: 20)]
        let ledger = Ledger()
        let sampler = Task.detached {
            while !Task.isCancelled, let rss = server.residentBytes {
                ledger.observe(rss: rss)
                try? await Task.sleep(nanoseconds: 50_000_000)
            }
        }
        let terminator = Task.detached {
            try? await Task.sleep(nanoseconds: 6_000_000_000)
            server.terminate()
        }
        await withTaskGroup(of: Void.self) { group in
            for client in 0..<8 {
                group.addTask { await Self.client(client, url: url, models: models, ledger: ledger) }
            }
        }
        _ = await terminator.value
        XCTAssertEqual(server.waitForExit(seconds: 30), 0, server.log)
        sampler.cancel()

        let outcomes = ledger.outcomes
        XCTAssertGreaterThanOrEqual(outcomes.count, 16, "too few jobs were accepted: \(outcomes)")
        let lost = outcomes.filter { if case .lost = $0 { return true } else { return false } }
        XCTAssertEqual(lost, [], server.log)
        for case .failed(let reason) in outcomes {
            XCTAssertTrue(reason.hasPrefix("the service shut down"), reason)
        }
        XCTAssertTrue(outcomes.contains(.completed(verified: true)))
        XCTAssertTrue(outcomes.contains(.cancelled))
        XCTAssertFalse(outcomes.contains(.completed(verified: false)))
        XCTAssertLessThan(ledger.peakRSS, baseline + budget + (64 << 20),
                          "peak RSS \(ledger.peakRSS >> 20) MiB, baseline \(baseline >> 20) MiB")
        print("soak: \(outcomes.count) accepted jobs; peak RSS \(ledger.peakRSS >> 20) MiB (baseline \(baseline >> 20) MiB); "
            + (["completed", "cancelled", "failed", "deleted"].map { kind in
                "\(kind) \(outcomes.filter { "\($0)".hasPrefix(kind) }.count)"
            }.joined(separator: ", ")))
    }

    /// One client: submits jobs until the service refuses (503) or is gone; cancels about one
    /// job in three within 0.1 s; polls each job to its end and checks the shots.
    static func client(_ k: Int, url: URL, models: [IQPModel], ledger: Ledger) async {
        var stream = KeyedStream(key: UInt64(100 + k))
        while true {
            let model = models[stream.nextInt(below: models.count)]
            let shots = [100, 10_000, 100_000][stream.nextInt(below: 3)]
            let seed = UInt64(stream.nextInt(below: 1_000_000))
            let cancelAfter: Double? = stream.nextUniform() < 0.3 ? stream.nextUniform() * 0.1 : nil
            guard let answer = try? await http("POST", url, "/v1/jobs", json: jobJSON(model, shots: shots, seed: seed)) else { return }
            if answer.status == 429 {
                try? await Task.sleep(nanoseconds: 100_000_000)
                continue
            }
            guard answer.status == 202, let id = try? answer.decode(JobCreated.self).id else { return }
            let request = SamplingRequest(model: model, shots: shots, seed: seed)
            ledger.record(await follow(id, url: url, request: request, cancelAfter: cancelAfter))
        }
    }

    /// Polls a job to its end (sending DELETE after `cancelAfter` seconds) and fetches its result.
    static func follow(_ id: String, url: URL, request: SamplingRequest, cancelAfter: Double?) async -> Outcome {
        let start = Date()
        var cancelled = cancelAfter == nil
        while true {
            if !cancelled, Date().timeIntervalSince(start) >= cancelAfter! {
                cancelled = true
                guard let answer = try? await http("DELETE", url, "/v1/jobs/\(id)") else { return .lost("DELETE unanswered") }
                if (try? answer.decode(JobDeleted.self))?.status == "deleted" { return .deletedAfterFinishing }
            }
            guard let answer = try? await http("GET", url, "/v1/jobs/\(id)"),
                  let status = try? answer.decode(JobSnapshot.self) else { return .lost("status unanswered") }
            switch status.status {
            case .queued, .running:
                try? await Task.sleep(nanoseconds: 30_000_000)
                continue
            case .cancelled: return .cancelled
            case .failed: return .failed(status.reason ?? "")
            case .completed:
                guard let result = try? await http("GET", url, "/v1/jobs/\(id)/result").decode(JobResult.self),
                      case .packed(let packed) = result.shots,
                      let shots = ShotEncoding.decodePacked(packed, rows: result.numShots, nQubits: result.numBits) else {
                    return .lost("result unanswered")
                }
                // Small jobs: the shots of the in-process sampler, bit for bit; large ones: the shape.
                guard request.model.nQubits <= 14 && request.shots <= 10_000 else {
                    return .completed(verified: shots.rows == request.shots && shots.columns == request.model.nQubits)
                }
                let local = try? ShotSampler.run(request).shots
                return .completed(verified: local == shots)
            }
        }
    }
}
