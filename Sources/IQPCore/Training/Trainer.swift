import Foundation

/// The training loop, the same for one process and for many (Horovod-style: the distributed
/// parts live in `MMDObjective` and in the `OptimizerStep`).
///
/// Each step t: every rank computes its share of the loss and gradient with the random
/// streams of step t (`MMDObjective.contribution`); the optimizer step completes the gradient,
/// updates θ and sends root's stop decision to every rank (`RootAdam`: reduce to root, Adam on
/// root, broadcast [θ | stop]; `ShardedAdam`: reduce-scatter, Adam per slice, allgather).
/// Root, inside the step, appends to the loss log and checks the convergence rule; after it
/// every rank joins the gather of Adam's state when root writes a checkpoint.
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
        /// step's and root's i/o), for the `--timings` file.
        public var timings: PhaseTimer
    }

    /// The optimizer step of this run (`options.optimizer`), starting from `state` (the whole
    /// state, as a checkpoint holds it; nil: zeros).
    func makeOptimizer(state: Adam.State?, parameterCount: Int) -> any OptimizerStep {
        switch options.optimizer {
        case .root:
            return RootAdam(learningRate: options.learningRate,
                            state: state ?? Adam.State(parameterCount: parameterCount), communicator: communicator)
        case .sharded:
            return ShardedAdam(learningRate: options.learningRate, parameterCount: parameterCount, state: state,
                               communicator: communicator)
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
        var timer = PhaseTimer()
        var converged = false, stopped = false
        var step = resume?.step ?? 0

        optimizer.synchronize(&params, timer: &timer)    // every rank starts from root's θ
        while step < options.steps {
            communicator.markStep(step)
            let validate = options.validationEvery > 0
                && (step % options.validationEvery == 0 || step == options.steps - 1)
            var share = objective.contribution(params: params, step: UInt64(step), validation: validate)
            share.totals.clearGradient(of: objective.model.fixedGates)
            if options.stop?.isRequested == true { share.totals.stopRequests = 1 }
            timer.add(share.timings)
            let signal = try optimizer.step(&params, contribution: share, timer: &timer) { evaluation in
                // Root only, after the update's reduction.
                let record = try ledger.record(step: step, evaluation: evaluation)
                report(record.line)
                return record.signal
            }
            // Every rank knows the signal now, so all join the optimizer state's gather.
            if let path = ledger.checkpointPath(after: step, signal: signal) {
                try ledger.checkpoint(at: step + 1, params: params, adam: optimizer.gatheredState(), path: path)
            }
            step += 1
            if signal == .diverged {
                throw IQPError("the loss or the parameters became NaN or infinite at step \(step - 1); lower the learning rate (\(IQPError.ref("learningRate")))", field: "learningRate")
            }
            if signal == .converged { converged = true; break }
            if signal == .stopRequested { stopped = true; break }
        }
        communicator.markStep(nil)
        // The final checkpoint, unless the loop just wrote it (a periodic one at this step, or
        // the one on convergence) or stopped on request (its own checkpoint).
        let writtenInLoop = options.checkpointEvery > 0 && (converged || step % options.checkpointEvery == 0)
        if !stopped, !writtenInLoop, options.checkpointPath != nil {
            try ledger.checkpoint(at: step, params: params, adam: optimizer.gatheredState(), path: options.checkpointPath)
        }
        timer.add(ledger.timer)
        timer.stop()
        return Result(params: params, history: ledger.history, adam: optimizer.gatheredState(), converged: converged,
                      stopRequested: stopped, stepsCompleted: step, timings: timer)
    }
}

/// Root's side of the training loop: the loss history and log, the convergence rule, the stop
/// decision and the checkpoints. Other ranks hold an empty one.
struct RootLedger {
    let trainer: Trainer
    let dataFingerprint: String
    var history: [TrainingRecord]
    let log: LossLog?
    let rule: ConvergenceRule?
    let secondsBefore: Double
    let stopwatch = Stopwatch()
    /// Root's i/o time (loss log, checkpoints).
    var timer = PhaseTimer()

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
        try timer.measure(.io) { try log?.append(line) }
        var signal = StopSignal.proceed
        if !evaluation.loss.isFinite { signal = .diverged }
        else if let rule, rule.stopReason(history: history) != nil { signal = .converged }
        else if evaluation.stopRequests > 0 { signal = .stopRequested }
        return (line, signal)
    }

    /// Where the checkpoint after step `step` goes, given the step's signal (known on every
    /// rank): the stop checkpoint when stopping on request, the periodic one every
    /// `checkpointEvery` steps and on convergence; nil for none. A diverged step is never
    /// checkpointed: the last checkpoint stays the last good state.
    func checkpointPath(after step: Int, signal: StopSignal) -> String? {
        let options = trainer.options
        switch signal {
        case .stopRequested: return options.stopCheckpointPath ?? options.checkpointPath
        case .diverged: return nil
        case .converged: return options.checkpointEvery > 0 ? options.checkpointPath : nil
        case .proceed: return options.checkpointEvery > 0 && (step + 1) % options.checkpointEvery == 0 ? options.checkpointPath : nil
        }
    }

    /// Root writes the checkpoint of `step` completed steps to `path` (nil: none).
    mutating func checkpoint(at step: Int, params: [Double], adam: Adam.State, path: String?) throws {
        guard trainer.communicator.isRoot, let path else { return }
        let objective = trainer.objective, options = trainer.options, history = history
        let fingerprint = dataFingerprint
        try timer.measure(.io) {
            try Checkpoint(step: step, seed: objective.seed, model: objective.model, params: params,
                           adam: adam, history: history, settings: objective.settings,
                           learningRate: options.learningRate, dataFingerprint: fingerprint, run: options.runRecord)
                .write(to: path)
        }
    }
}
