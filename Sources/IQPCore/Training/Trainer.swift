import Foundation

/// The training loop, the same for one process and for many (Horovod-style: the distributed
/// parts live in `MMDObjective` and in the `OptimizerStep`).
///
/// Each step t: every rank computes its share of the loss and gradient with the random
/// streams of step t (`MMDObjective.share`); the optimizer step completes the gradient,
/// updates θ and sends root's stop decision to every rank (`RootAdam`: reduce to root, Adam on
/// root, broadcast [θ | decision]; `ShardedAdam`: reduce-scatter, Adam per slice, allgather).
/// Root, inside the step, appends to the loss log and checks the convergence rule; after it
/// every rank joins the gather of Adam's state when `CheckpointSchedule` says root writes a
/// checkpoint. The phases' wall time goes to `objective.phases` (`Result.timings`).
/// The loss recorded for step t is the loss at the parameters before update t.
public final class Trainer {
    public let objective: MMDObjective
    public let options: TrainingOptions

    public init(objective: MMDObjective, options: TrainingOptions) throws {
        try options.validate()
        self.objective = objective
        self.options = options
    }

    var communicator: Communicator { objective.communicator }
    /// Where the step's phases are reported: the objective's recorder, which the optimizer step
    /// and root's i/o share.
    var phases: PhaseRecorder { objective.phases }

    /// What a finished run returns (on root; other ranks get the same parameters).
    public struct Result: Sendable {
        public var params: [Double]
        public var history: [TrainingRecord]
        public var adam: Adam.State
        public var converged: Bool
        /// True when a rank was asked to stop (`TrainingOptions.stop`): the loop ended early
        /// after root wrote the checkpoint.
        public var stopRequested: Bool
        /// Number of steps completed, counting steps before a resume.
        public var stepsCompleted: Int
        /// This rank's wall time per phase over the run (the objective's, the optimizer
        /// step's and root's i/o, from `objective.phases`), for the `--timings` file.
        public var timings: PhaseTimer
    }

    /// The optimizer step of this run (`options.optimizer`), starting from `state` (the whole
    /// state, as a checkpoint holds it; nil: zeros).
    func makeOptimizer(state: Adam.State?, parameterCount: Int) -> any OptimizerStep {
        switch options.optimizer {
        case .root:
            return RootAdam(learningRate: options.learningRate,
                            state: state ?? Adam.State(parameterCount: parameterCount), communicator: communicator,
                            phases: phases)
        case .sharded:
            return ShardedAdam(learningRate: options.learningRate, parameterCount: parameterCount, state: state,
                               communicator: communicator, phases: phases)
        }
    }

    /// Runs from `initialParams`, or continues `resume` (same or different rank count).
    /// `report` is called on root after every step. The gates `objective.model.fixedGates`
    /// (IQPopt's init gates) keep their parameters: their gradient is set to zero.
    public func run(initialParams: [Double], resume: Checkpoint? = nil, dataFingerprint: String = "",
                    report: (TrainingRecord) -> Void = { _ in }) throws -> Result {
        let pCount = objective.model.circuit.parameterCount
        var params = resume?.params ?? initialParams
        precondition(params.count == pCount)
        var optimizer = makeOptimizer(state: resume?.adam, parameterCount: pCount)
        var ledger = try RootLedger(trainer: self, resume: resume, dataFingerprint: dataFingerprint)
        let schedule = CheckpointSchedule(options)
        var converged = false, stopped = false
        let firstStep = resume?.step ?? 0
        var step = firstStep

        phases.restart()
        optimizer.synchronize(&params)    // every rank starts from root's θ
        while step < options.steps {
            communicator.markStep(step)
            let validate = options.validationEvery > 0
                && (step % options.validationEvery == 0 || step == options.steps - 1)
            var share = objective.share(params: params, step: UInt64(step), validation: validate)
            share.sums.clearGradient(of: objective.model.fixedGates)
            if options.stop?.isRequested == true { share.sums.stopRequests = 1 }
            let signal = try optimizer.step(&params, share: share) { evaluation in
                // Root only, after the update's reduction.
                let record = try ledger.record(step: step, evaluation: evaluation)
                report(record.line)
                return record.signal
            }
            step += 1
            // Every rank knows the signal now, so all join the optimizer state's gather.
            if let path = schedule.path(completed: step, signal: signal, last: step == options.steps) {
                try ledger.checkpoint(at: step, params: params, adam: optimizer.gatheredState(), path: path)
            }
            if signal == .diverged {
                throw IQPError("the loss or the parameters became NaN or infinite at step \(step - 1); lower the learning rate (\(IQPError.ref("learningRate")))", field: "learningRate")
            }
            if signal == .converged { converged = true; break }
            if signal == .stopRequested { stopped = true; break }
        }
        communicator.markStep(nil)
        if step == firstStep, let path = schedule.path(completed: step, signal: .proceed, last: true) {
            // No step was left to run: the final checkpoint is the resumed state.
            try ledger.checkpoint(at: step, params: params, adam: optimizer.gatheredState(), path: path)
        }
        phases.stop()
        return Result(params: params, history: ledger.history, adam: optimizer.gatheredState(), converged: converged,
                      stopRequested: stopped, stepsCompleted: step, timings: phases.timings)
    }
}

/// Root's side of the training loop: the loss history and log, the convergence rule, the stop
/// decision and writing the checkpoints (`CheckpointSchedule` says when). Other ranks hold an
/// empty one.
struct RootLedger {
    let trainer: Trainer
    let dataFingerprint: String
    var history: [TrainingRecord]
    let log: LossLog?
    let rule: ConvergenceRule?
    let secondsBefore: Double
    let stopwatch = Stopwatch()

    init(trainer: Trainer, resume: Checkpoint?, dataFingerprint: String) throws {
        self.trainer = trainer
        self.dataFingerprint = dataFingerprint
        let options = trainer.options
        let history = resume?.history ?? []
        self.history = history
        log = try trainer.communicator.isRoot ? options.logPath.map { try LossLog(path: $0, history: history) } : nil
        rule = options.convergenceRule
        secondsBefore = history.last?.seconds ?? 0
    }

    /// Records step `step` (its loss is at the parameters before the update) and decides
    /// whether the run goes on: divergence of the loss, then convergence, then a stop request
    /// (the optimizer adds divergence of the parameters).
    mutating func record(step: Int, evaluation: MMDObjective.Evaluation) throws -> (line: TrainingRecord, signal: StopSignal) {
        let seconds = secondsBefore + stopwatch.seconds
        let line = TrainingRecord(step: step, loss: evaluation.loss, validationLoss: evaluation.validationLoss,
                                  seconds: seconds)
        history.append(line)
        let log = self.log
        try trainer.phases.measure(.io) { try log?.append(line) }
        var signal = StopSignal.proceed
        if !evaluation.loss.isFinite { signal = .diverged }
        else if let rule, rule.stopReason(history: history) != nil { signal = .converged }
        else if evaluation.stopRequests > 0 { signal = .stopRequested }
        return (line, signal)
    }

    /// Root writes the checkpoint of `step` completed steps to `path`.
    func checkpoint(at step: Int, params: [Double], adam: Adam.State, path: String) throws {
        guard trainer.communicator.isRoot else { return }
        let objective = trainer.objective, options = trainer.options, history = history
        let fingerprint = dataFingerprint
        try trainer.phases.measure(.io) {
            try Checkpoint(step: step, seed: objective.seed, model: objective.model, params: params,
                           adam: adam, history: history, settings: objective.settings,
                           learningRate: options.learningRate, dataFingerprint: fingerprint, run: options.runRecord)
                .write(to: path)
        }
    }
}
