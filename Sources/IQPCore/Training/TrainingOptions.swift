/// How the optimisation runs (the loss itself is described by `LossSettings`).
public struct TrainingOptions: Sendable {
    /// Maximum number of Adam steps.
    public var steps: Int
    public var learningRate: Double
    /// Stop early by IQPopt's convergence rule with this interval in steps (nil: never).
    public var convergenceInterval: Int?
    /// The loss the convergence rule watches (validation: needs `validationEvery` ≥ 1 dividing
    /// the interval).
    public var convergenceMonitor: ConvergenceRule.Monitor = .train
    /// Compute the validation loss every this many steps (0: never).
    public var validationEvery: Int
    /// Root writes a checkpoint here every `checkpointEvery` steps (0: only at the end), and at the end.
    public var checkpointPath: String?
    public var checkpointEvery: Int
    /// Root writes the loss log (CSV: step,loss,validation_loss,seconds) here.
    public var logPath: String?
    /// Watched for a request to stop at the next step boundary (nil: never asked).
    public var stop: StopRequest?
    /// Where root writes the checkpoint when stopping on request (nil: `checkpointPath`).
    public var stopCheckpointPath: String?
    /// Where Adam's state lives across the ranks (the same numbers either way).
    public var optimizer: OptimizerKind
    /// The run's settings, recorded in every checkpoint (nil: none recorded).
    public var runRecord: RunRecord?

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

    /// The convergence rule of these options, its interval counted in values of the monitored
    /// series (validation losses come every `validationEvery` steps).
    public var convergenceRule: ConvergenceRule? {
        convergenceInterval.map {
            ConvergenceRule(interval: convergenceMonitor == .validation ? max(1, $0 / max(1, validationEvery)) : $0,
                            monitor: convergenceMonitor)
        }
    }

    /// Checks the values; the errors name these fields (`learningRate`, `checkpointEvery`, …).
    public func validate() throws {
        guard steps >= 0 else { throw IQPError("must be non-negative, got \(steps)", field: "steps") }
        guard learningRate > 0 && learningRate.isFinite else {
            throw IQPError("must be positive, got \(learningRate)", field: "learningRate")
        }
        if let i = convergenceInterval, i < 1 { throw IQPError("must be at least 1, got \(i)", field: "convergenceInterval") }
        guard validationEvery >= 0 else { throw IQPError("must be non-negative", field: "validationEvery") }
        if convergenceMonitor == .validation, let i = convergenceInterval {
            guard validationEvery >= 1, i % validationEvery == 0 else {
                throw IQPError("\(IQPError.ref("convergenceMonitor")) validation needs \(IQPError.ref("validationEvery")) K "
                               + "with K dividing the interval \(i)", field: "convergenceMonitor")
            }
        }
        guard checkpointEvery >= 0 else { throw IQPError("must be non-negative", field: "checkpointEvery") }
        guard checkpointEvery == 0 || checkpointPath != nil else {
            throw IQPError("needs a checkpoint file (\(IQPError.ref("checkpointPath")))", field: "checkpointEvery")
        }
    }
}

/// Which `OptimizerStep` a run uses (docs/distributed.md, "Optimizer").
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
