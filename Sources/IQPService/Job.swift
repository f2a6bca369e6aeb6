import Foundation
import IQPCore
import IQPSampler

/// The life of a job: queued → running → completed | failed | cancelled
/// (a queued job may also go straight to cancelled or, at shutdown, failed).
public enum JobStatus: String, Sendable, CaseIterable, Codable {
    case queued, running, completed, failed, cancelled

    public var isFinished: Bool { self == .completed || self == .failed || self == .cancelled }
}

/// A flag set by `DELETE` (or shutdown) and polled by the simulator between chunks of work.
///
/// `@unchecked Sendable`: the one stored Bool is only read and written under `lock`.
final class CancelFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false

    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}

/// One job as the store keeps it.
struct Job: Sendable {
    let id: String
    /// The bearer token that made it (its index in the token file; 0 without authentication).
    let owner: Int
    /// What to run; dropped once the job has finished (the model can be large).
    var request: SamplingRequest?
    let nQubits: Int
    let shots: Int
    let modelKind: ModelKind
    let precision: Precision
    let seed: UInt64
    /// Memory the job reserves while it runs (state vector and shots).
    let requiredBytes: Double
    let seedGiven: Bool
    let cancelFlag = CancelFlag()
    var status: JobStatus = .queued
    let createdAt: Date
    var startedAt: Date?
    var finishedAt: Date?
    /// Why it failed or was cancelled.
    var reason: String?
    /// The shots of a completed job, until the result is dropped.
    var outcome: SamplingOutcome?
    var simulationSeconds: Double?
    /// The result was dropped (a cap on retained results, or memory a queued job needed).
    var resultDropped = false
    /// The result was fetched at least once.
    var fetched = false
    /// A client has been told how the job ended: the result of a completed job was fetched, the
    /// status of a failed or cancelled one was read (or the job was deleted).
    var reported = false
    /// When a finished job is dropped.
    var expiresAt: Date?
    let idempotencyKey: String?
    /// Hash of the request body (to detect a reused idempotency key).
    let bodyHash: UInt64

    init(id: String, owner: Int, submission: JobSubmission, createdAt: Date, idempotencyKey: String?, bodyHash: UInt64) {
        let request = submission.request
        self.id = id
        self.owner = owner
        self.request = request
        self.nQubits = request.model.nQubits
        self.shots = request.shots
        self.modelKind = request.model.kind
        self.precision = request.precision
        self.seed = request.seed
        self.requiredBytes = request.requiredBytes
        self.seedGiven = submission.seedGiven
        self.createdAt = createdAt
        self.idempotencyKey = idempotencyKey
        self.bodyHash = bodyHash
    }

    /// Bytes the retained result holds (the packed shots).
    var resultBytes: Double {
        guard let outcome else { return 0 }
        return Double(outcome.shots.words.count * MemoryLayout<UInt64>.stride)
    }

    /// The status body of `GET /v1/jobs/{id}`; `queuePosition` is 1 for the queue's head.
    func snapshot(queuePosition: Int?) -> JobSnapshot {
        JobSnapshot(id: id, status: status, createdAt: createdAt, startedAt: startedAt, finishedAt: finishedAt,
                    queuePosition: status == .queued ? queuePosition : nil, reason: reason, nQubits: nQubits,
                    shots: shots, modelKind: modelKind.rawValue, precision: precision, seed: seed,
                    cancelRequested: cancelFlag.isSet, simulationSeconds: simulationSeconds)
    }
}

/// FNV-1a, 64 bit: a cheap fingerprint of a request body for idempotency checks.
func fnv1a(_ bytes: [UInt8]) -> UInt64 {
    var h: UInt64 = 0xCBF2_9CE4_8422_2325
    for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
    return h
}
