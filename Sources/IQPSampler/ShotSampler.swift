import IQPCore

/// One sampling job: what the service queues and what `iqp sample --sampler local` runs.
public struct SamplingRequest: Sendable, Equatable {
    public var model: IQPModel
    public var shots: Int
    public var seed: UInt64
    public var noise: ReadoutNoise
    public var precision: Precision

    public init(model: IQPModel, shots: Int, seed: UInt64, noise: ReadoutNoise = .none,
                precision: Precision = .complex128) {
        self.model = model
        self.shots = shots
        self.seed = seed
        self.noise = noise
        self.precision = precision
    }

    /// Bytes the job needs (state vector plus shots), see `SamplerLimits`.
    public var requiredBytes: Double {
        SamplerLimits.requiredBytes(nQubits: model.nQubits, kind: model.kind, precision: precision, shots: shots)
    }
}

/// The shots of a job with the time each phase took.
public struct SamplingOutcome: Sendable {
    public var shots: BitMatrix
    public var timings: SimulationTimings
}

/// Runs a sampling job with the simulator its model needs: exact FWHT sampling for IQP
/// models (docs/math.md §7–§8), classical sampling for the bitflip model (docs/math.md §9).
public enum ShotSampler {
    /// Checks `limits` (when given), then samples. Blocks the calling thread and uses every
    /// core; call it from a thread that may block (not from a Swift concurrency task directly:
    /// see `runDetached`).
    public static func run(_ request: SamplingRequest, limits: SamplerLimits? = nil,
                           budgetName: String = "the memory budget",
                           isCancelled: @Sendable () -> Bool = { false }) throws -> SamplingOutcome {
        if let limits {
            try limits.admit(model: request.model, precision: request.precision, shots: request.shots,
                             budgetName: budgetName)
        }
        try request.noise.validate(nQubits: request.model.nQubits)
        switch request.model.kind {
        case .iqp:
            let simulator = try ExactIQPSimulator(model: request.model, precision: request.precision)
            let (shots, timings) = try simulator.sample(shots: request.shots, seed: request.seed,
                                                        noise: request.noise, isCancelled: isCancelled)
            return SamplingOutcome(shots: shots, timings: timings)
        case .bitflip:
            let sampler = BitflipSampler(model: request.model)
            let (shots, timings) = try sampler.sample(shots: request.shots, seed: request.seed,
                                                      noise: request.noise, isCancelled: isCancelled)
            return SamplingOutcome(shots: shots, timings: timings)
        }
    }
}

import Dispatch

extension ShotSampler {
    /// `run` on a Dispatch thread, awaited: the simulation blocks that thread (and spreads over
    /// the cores with `concurrentPerform`), never the cooperative thread pool of Swift
    /// concurrency that the HTTP server and the caller's tasks run on.
    public static func runDetached(_ request: SamplingRequest, limits: SamplerLimits? = nil,
                                   budgetName: String = "the memory budget",
                                   isCancelled: @escaping @Sendable () -> Bool = { false }) async throws -> SamplingOutcome {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global(qos: .userInitiated).async {
                continuation.resume(with: Result {
                    try run(request, limits: limits, budgetName: budgetName, isCancelled: isCancelled)
                })
            }
        }
    }
}
