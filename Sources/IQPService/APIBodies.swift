import Foundation
import Hummingbird
import IQPSampler

// The JSON bodies of the sampler API (docs/openapi.yaml). The service returns them through
// Hummingbird's `ResponseEncodable` (JSONEncoder, keys sorted) and `SamplerClient` reads them
// back with JSONDecoder: one definition of every answer. A 64-bit seed is a `UInt64`, which
// both write and read as its exact decimal digits.

/// `202` of `POST /v1/jobs`.
public struct JobCreated: ResponseCodable, Sendable, Equatable {
    public var id: String
    public var status: JobStatus
}

/// `200` of `DELETE /v1/jobs/{id}` for a finished job, which is removed with its result.
public struct JobDeleted: ResponseCodable, Sendable, Equatable {
    public var id: String
    public var status = "deleted"
}

/// `GET /v1/jobs/{id}`. Every member is present; those that do not apply are null.
public struct JobSnapshot: ResponseCodable, Sendable, Equatable {
    public var id: String
    public var status: JobStatus
    public var createdAt: Date
    public var startedAt: Date?
    public var finishedAt: Date?
    /// 1 = next to run; nil unless queued.
    public var queuePosition: Int?
    /// Why the job failed or was cancelled.
    public var reason: String?
    public var nQubits: Int
    public var shots: Int
    public var modelKind: String
    public var precision: Precision
    public var seed: UInt64
    public var cancelRequested: Bool
    public var simulationSeconds: Double?

    enum CodingKeys: String, CodingKey {
        case id, status, shots, precision, seed
        case createdAt = "created_at", startedAt = "started_at", finishedAt = "finished_at"
        case queuePosition = "queue_position", reason = "error", nQubits = "n_qubits", modelKind = "model"
        case cancelRequested = "cancel_requested", simulationSeconds = "simulation_seconds"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(status, forKey: .status)
        try c.encode(APITime.text(createdAt), forKey: .createdAt)
        try c.encode(startedAt.map(APITime.text), forKey: .startedAt)
        try c.encode(finishedAt.map(APITime.text), forKey: .finishedAt)
        try c.encode(queuePosition, forKey: .queuePosition)
        try c.encode(reason, forKey: .reason)
        try c.encode(nQubits, forKey: .nQubits)
        try c.encode(shots, forKey: .shots)
        try c.encode(modelKind, forKey: .modelKind)
        try c.encode(precision, forKey: .precision)
        try c.encode(seed, forKey: .seed)
        try c.encode(cancelRequested, forKey: .cancelRequested)
        try c.encode(simulationSeconds, forKey: .simulationSeconds)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        status = try c.decode(JobStatus.self, forKey: .status)
        createdAt = try APITime.decode(c, .createdAt)
        startedAt = try APITime.decodeIfPresent(c, .startedAt)
        finishedAt = try APITime.decodeIfPresent(c, .finishedAt)
        queuePosition = try c.decodeIfPresent(Int.self, forKey: .queuePosition)
        reason = try c.decodeIfPresent(String.self, forKey: .reason)
        nQubits = try c.decode(Int.self, forKey: .nQubits)
        shots = try c.decode(Int.self, forKey: .shots)
        modelKind = try c.decode(String.self, forKey: .modelKind)
        precision = try c.decode(Precision.self, forKey: .precision)
        seed = try c.decode(UInt64.self, forKey: .seed)
        cancelRequested = try c.decode(Bool.self, forKey: .cancelRequested)
        simulationSeconds = try c.decodeIfPresent(Double.self, forKey: .simulationSeconds)
    }

    public init(id: String, status: JobStatus, createdAt: Date, startedAt: Date?, finishedAt: Date?,
                queuePosition: Int?, reason: String?, nQubits: Int, shots: Int, modelKind: String,
                precision: Precision, seed: UInt64, cancelRequested: Bool, simulationSeconds: Double?) {
        self.id = id
        self.status = status
        self.createdAt = createdAt
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.queuePosition = queuePosition
        self.reason = reason
        self.nQubits = nQubits
        self.shots = shots
        self.modelKind = modelKind
        self.precision = precision
        self.seed = seed
        self.cancelRequested = cancelRequested
        self.simulationSeconds = simulationSeconds
    }
}

/// `GET /v1/jobs/{id}/result` in the JSON formats (packed or text).
public struct JobResult: ResponseCodable, Sendable {
    public var id: String
    public var numShots: Int
    public var numBits: Int
    public var seed: UInt64
    public var modelKind: String
    public var precision: Precision
    public var simulationSeconds: Double
    public var timings: Timings
    /// "packed" or "text".
    public var encoding: String
    /// "wires" (qubit 0 first) or "qiskit" (qubit 0 last), see `BitOrder`.
    public var bitOrder: BitOrder
    /// ⌈n/8⌉ when packed.
    public var bytesPerShot: Int?
    public var shots: Shots
    /// With `counts=true` (bitstring keys in `bitOrder`) or `counts=int` (Σ 2^i·bit_i).
    public var counts: [String: Int]?

    enum CodingKeys: String, CodingKey {
        case id, seed, precision, timings, encoding, shots, counts
        case numShots = "num_shots", numBits = "num_bits", modelKind = "model"
        case simulationSeconds = "simulation_seconds", bitOrder = "bit_order", bytesPerShot = "bytes_per_shot"
    }

    /// Seconds per phase of the simulation.
    public struct Timings: Codable, Sendable {
        public var build, phaseTransform, exponentiate, amplitudeTransform, sampling: Double

        enum CodingKeys: String, CodingKey {
            case build, exponentiate, sampling
            case phaseTransform = "phase_transform", amplitudeTransform = "amplitude_transform"
        }

        init(_ t: SimulationTimings) {
            build = t.buildSeconds
            phaseTransform = t.phaseTransformSeconds
            exponentiate = t.exponentiateSeconds
            amplitudeTransform = t.amplitudeTransformSeconds
            sampling = t.samplingSeconds
        }
    }

    /// Packed shots (one base64 string) or text shots (one string per shot).
    public enum Shots: Codable, Sendable {
        case packed(String)
        case text([String])

        public init(from decoder: any Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let text = try? c.decode(String.self) { self = .packed(text) } else { self = .text(try c.decode([String].self)) }
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.singleValueContainer()
            switch self {
            case .packed(let base64): try c.encode(base64)
            case .text(let rows): try c.encode(rows)
            }
        }
    }
}

/// `GET /healthz`.
public struct Health: ResponseCodable, Sendable {
    public var status: String
    public var version: String
    public var queueLength: Int
    public var queueCapacity: Int
    public var running: Int
    public var workers: Int
    public var memoryBudgetBytes: Int
    public var maxShots: Int
    public var precision: Precision
    public var authentication: Bool

    enum CodingKeys: String, CodingKey {
        case status, version, running, workers, precision, authentication
        case queueLength = "queue_length", queueCapacity = "queue_capacity"
        case memoryBudgetBytes = "memory_budget_bytes", maxShots = "max_shots"
    }
}

/// The body of every error: `{"error": {"status": 404, "code": "job_not_found", "message": …}}`.
public struct ErrorBody: Codable, Sendable {
    public struct Detail: Codable, Sendable {
        public var status: Int
        public var code: String
        public var message: String
    }

    public var error: Detail
}

/// Times in the API: ISO 8601 UTC with milliseconds, "2026-11-21T06:09:09.740Z".
enum APITime {
    static func text(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }

    static func decode<K: CodingKey>(_ c: KeyedDecodingContainer<K>, _ key: K) throws -> Date {
        guard let date = try decodeIfPresent(c, key) else {
            throw DecodingError.valueNotFound(Date.self, .init(codingPath: c.codingPath + [key], debugDescription: "null time"))
        }
        return date
    }

    static func decodeIfPresent<K: CodingKey>(_ c: KeyedDecodingContainer<K>, _ key: K) throws -> Date? {
        guard let text = try c.decodeIfPresent(String.self, forKey: key) else { return nil }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        guard let date = formatter.date(from: text) else {
            throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "not an ISO 8601 time: \(text)")
        }
        return date
    }
}
