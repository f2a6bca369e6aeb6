/// How the optimisation runs (the loss itself is described by `LossSettings`).
public struct TrainingOptions: Sendable {
    /// Maximum number of Adam steps.
    public var steps: Int
    public var learningRate: Double
    /// Stop early by the reference's convergence rule with this interval (nil: never).
    public var convergenceInterval: Int?
    /// Compute the validation loss every this many steps (0: never).
    public var validationEvery: Int
    /// Root writes a checkpoint here every `checkpointEvery` steps (and at the end).
    public var checkpointPath: String?
    public var checkpointEvery: Int
    /// Root writes the loss log (CSV: step,loss,validation_loss,seconds) here.
    public var logPath: String?
    /// Where Adam's state lives across the ranks (the same numbers either way).
    public var optimizer: OptimizerKind

    public init(steps: Int = 100, learningRate: Double = 1e-3, convergenceInterval: Int? = nil,
                validationEvery: Int = 0, checkpointPath: String? = nil, checkpointEvery: Int = 0,
                logPath: String? = nil, optimizer: OptimizerKind = .root) {
        self.steps = steps
        self.learningRate = learningRate
        self.convergenceInterval = convergenceInterval
        self.validationEvery = validationEvery
        self.checkpointPath = checkpointPath
        self.checkpointEvery = checkpointEvery
        self.logPath = logPath
        self.optimizer = optimizer
    }

    public func validate() throws {
        guard steps >= 0 else { throw IQPError("must be non-negative, got \(steps)", field: "steps") }
        guard learningRate > 0 && learningRate.isFinite else {
            throw IQPError("must be positive, got \(learningRate)", field: "lr")
        }
        if let i = convergenceInterval, i < 1 { throw IQPError("must be at least 1, got \(i)", field: "convergence-interval") }
        guard validationEvery >= 0 else { throw IQPError("must be non-negative", field: "validate-every") }
        guard checkpointEvery >= 0 else { throw IQPError("must be non-negative", field: "checkpoint-every") }
    }
}

/// `--optimizer`: which `OptimizerStep` a run uses (docs/distributed.md, "Optimizer").
public enum OptimizerKind: String, CaseIterable, Sendable {
    /// `RootAdam`: reduce the gradient to root, Adam on root, broadcast θ.
    case root
    /// `ShardedAdam` (ZeRO-1): reduce-scatter the gradient, Adam on each rank's slice, allgather θ.
    case sharded
}

/// One line of the loss log.
public struct TrainingRecord: Equatable, Sendable {
    public var step: Int
    public var loss: Double
    public var validationLoss: Double?
    /// Wall seconds since training started (cumulative across resumes).
    public var seconds: Double

    public init(step: Int, loss: Double, validationLoss: Double?, seconds: Double) {
        self.step = step; self.loss = loss; self.validationLoss = validationLoss; self.seconds = seconds
    }

    public static let csvHeader = "step,loss,validation_loss,seconds"

    public var csvLine: String {
        "\(step),\(loss),\(validationLoss.map { "\($0)" } ?? ""),\(String(format: "%.6f", seconds))"
    }
}

import Foundation
