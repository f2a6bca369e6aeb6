import Foundation
import IQPCore

/// Training from Python (`iqp.Trainer("Adam", mmd_loss_iqp, stepsize).train(…)`): IQPCore's
/// `Trainer` (Adam with optax's defaults, IQPopt's convergence rule, docs/math.md §6) on a loss
/// made by `iqp_objective_new`, so a run equals `iqp train`'s with the same settings and seed.
/// Nothing is written: no model file, loss log or checkpoint.

/// A request to stop a `iqp_train` call at the next step boundary (Python's Ctrl-C): IQPCore's
/// `StopRequest` without a signal handler (Python keeps its own).
final class StopHandle: @unchecked Sendable {
    let request = StopRequest()
}

@_cdecl("iqp_stop_new")
public func iqp_stop_new() -> UnsafeMutableRawPointer {
    ABIInputs.handle(StopHandle())
}

/// Asks the training that watches `handle` to stop after its current step (any thread).
@_cdecl("iqp_stop_request")
public func iqp_stop_request(_ handle: UnsafeMutableRawPointer?) {
    guard let handle else { return }
    Unmanaged<StopHandle>.fromOpaque(handle).takeUnretainedValue().request.request(signal: SIGINT)
}

@_cdecl("iqp_stop_free")
public func iqp_stop_free(_ handle: UnsafeMutableRawPointer?) {
    ABIInputs.release(handle)
}

/// Trains from θ in `params` (`count` values, replaced by the final θ) for at most `steps` Adam
/// steps of rate `learningRate` (`--steps`, `--lr`). `convergenceInterval` ≠ 0 applies IQPopt's
/// rule (`--convergence-interval`), on the validation loss when `validationEvery` > 0
/// (`--val-every`, `--convergence-on validation`). Step t's loss (before update t) goes to
/// `losses[t]`, its validation loss to `validationLosses[t]` (NaN where none); both hold `steps`
/// values. `outcome` receives [steps completed, converged, stopped on request].
@_cdecl("iqp_train")
public func iqp_train(_ objectiveHandle: UnsafeMutableRawPointer?, _ params: UnsafeMutablePointer<Double>?, _ count: Int,
                      _ steps: Int, _ learningRate: Double, _ convergenceInterval: Int, _ validationEvery: Int,
                      _ stopHandle: UnsafeMutableRawPointer?,
                      _ losses: UnsafeMutablePointer<Double>?, _ validationLosses: UnsafeMutablePointer<Double>?,
                      _ outcome: UnsafeMutablePointer<Int>?,
                      _ error: UnsafeMutablePointer<CChar>?, _ capacity: Int) -> Int32 {
    ABIResult.run(error, capacity) {
        let h = try ABIInputs.object(objectiveHandle, ObjectiveHandle.self, name: "loss")
        let start = try ABIInputs.doubles(params, count: count, expected: h.parameterCount, name: "params")
        guard let params, let losses, let validationLosses, let outcome else {
            throw IQPError("an output buffer is missing", field: "train")
        }
        var options = TrainingOptions(steps: steps, learningRate: learningRate,
                                      convergenceInterval: convergenceInterval != 0 ? convergenceInterval : nil,
                                      validationEvery: max(0, validationEvery))
        if validationEvery > 0 {
            guard h.objective.validationCount > 0 else {
                throw IQPError("validation needs validation rows (val_kwargs['ground_truth'])", field: "val_kwargs")
            }
            options.convergenceMonitor = .validation
        }
        if let stopHandle {
            options.stop = try ABIInputs.object(stopHandle, StopHandle.self, name: "stop").request
        }
        let trainer = try Trainer(objective: h.objective, options: options)
        let result = try trainer.run(initialParams: start) { record in
            guard record.step < steps else { return }
            losses[record.step] = record.loss
            validationLosses[record.step] = record.validationLoss ?? .nan
        }
        for (i, v) in result.params.enumerated() { params[i] = v }
        outcome[0] = result.stepsCompleted
        outcome[1] = result.converged ? 1 : 0
        outcome[2] = result.stopRequested ? 1 : 0
    }
}
