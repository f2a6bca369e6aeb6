import Foundation
import IQPCore
import IQPSampler

/// The life of a job: queued → running → completed | failed | cancelled
/// (a queued job may also go straight to cancelled or, at shutdown, failed).
public enum JobStatus: String, Sendable, CaseIterable {
    case queued, running, completed, failed, cancelled

    public var isFinished: Bool { self == .completed || self == .failed || self == .cancelled }
}

/// A flag set by `DELETE` (or shutdown) and polled by the simulator between passes.
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
    let request: SamplingRequest
    let seedGiven: Bool
    let cancelFlag = CancelFlag()
    var status: JobStatus = .queued
    let createdAt: Date
    var startedAt: Date?
    var finishedAt: Date?
    /// Why it failed or was cancelled.
    var reason: String?
    var outcome: SamplingOutcome?
    /// When a finished job is dropped.
    var expiresAt: Date?
    let idempotencyKey: String?
    /// Hash of the request body (to detect a reused idempotency key).
    let bodyHash: UInt64
}

/// What `GET /v1/jobs/{id}` reports.
public struct JobSnapshot: Sendable {
    public var id: String
    public var status: JobStatus
    public var createdAt: Date
    public var startedAt: Date?
    public var finishedAt: Date?
    /// 1 = next to run; nil unless queued.
    public var queuePosition: Int?
    public var reason: String?
    public var nQubits: Int
    public var shots: Int
    public var modelKind: String
    public var precision: Precision
    public var seed: UInt64
    public var cancelRequested: Bool
    public var simulationSeconds: Double?

    /// The JSON body.
    var json: String {
        func optionalTime(_ d: Date?) -> String { d.map(JSONWriter.time) ?? "null" }
        return JSONWriter.object([
            ("id", JSONWriter.quote(id)),
            ("status", JSONWriter.quote(status.rawValue)),
            ("created_at", JSONWriter.time(createdAt)),
            ("started_at", optionalTime(startedAt)),
            ("finished_at", optionalTime(finishedAt)),
            ("queue_position", queuePosition.map { String($0) } ?? "null"),
            ("error", reason.map(JSONWriter.quote) ?? "null"),
            ("n_qubits", "\(nQubits)"),
            ("shots", "\(shots)"),
            ("model", JSONWriter.quote(modelKind)),
            ("precision", JSONWriter.quote(precision.rawValue)),
            ("seed", "\(seed)"),
            ("cancel_requested", "\(cancelRequested)"),
            ("simulation_seconds", simulationSeconds.map(JSONWriter.format) ?? "null"),
        ]) + "\n"
    }
}

/// FNV-1a, 64 bit: a cheap fingerprint of a request body for idempotency checks.
func fnv1a(_ bytes: [UInt8]) -> UInt64 {
    var h: UInt64 = 0xCBF2_9CE4_8422_2325
    for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
    return h
}
