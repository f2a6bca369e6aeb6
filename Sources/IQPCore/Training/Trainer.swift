import Foundation

/// The training loop, the same for one process and for many (Horovod-style: the distributed
/// parts live in `MMDObjective` and in the `OptimizerStep`).
///
/// Each step t: every rank computes its share of the loss and gradient with the random
/// streams of step t (`MMDObjective.contribution`); the optimizer step completes the gradient,
/// updates θ and sends root's stop decision to every rank (`RootAdam`: reduce to root, Adam on
/// root, broadcast [θ | stop]). Root, between the update and the broadcast, appends to the loss
/// log, checks the convergence rule and writes checkpoints.
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
        /// Number of steps completed, counting steps before a resume.
        public var stepsCompleted: Int
        /// This rank's wall time per phase over the run (the objective's, the optimizer
        /// step's and root's i/o), for the `--timings` file.
        public var timings: PhaseTimer
    }

    /// The optimizer step of this run, starting from `state`.
    func makeOptimizer(state: Adam.State) -> any OptimizerStep {
        RootAdam(learningRate: options.learningRate, state: state, communicator: communicator)
    }

    /// Runs from `initialParams`, or continues `resume` (same or different rank count).
    /// `report` is called on root after every step.
    public func run(initialParams: [Double], resume: Checkpoint? = nil, dataFingerprint: String = "",
                    report: (TrainingRecord) -> Void = { _ in }) throws -> Result {
        let pCount = objective.model.circuit.parameterCount
        var params = resume?.params ?? initialParams
        precondition(params.count == pCount)
        var optimizer = makeOptimizer(state: resume?.adam ?? Adam.State(parameterCount: pCount))
        var history = resume?.history ?? []
        let rule = options.convergenceRule
        let log = try communicator.isRoot ? options.logPath.map { try LossLog(path: $0, history: history) } : nil
        let firstStep = resume?.step ?? 0
        let secondsBefore = history.last?.seconds ?? 0
        let stopwatch = Stopwatch()
        var timer = PhaseTimer(), rootTimer = PhaseTimer()
        var converged = false
        var step = firstStep

        func checkpoint(at step: Int, params: [Double], adam: Adam.State) throws {
            guard communicator.isRoot, let path = options.checkpointPath else { return }
            try rootTimer.measure(.io) {
                try Checkpoint(step: step, seed: objective.seed, model: objective.model, params: params,
                               adam: adam, history: history, settings: objective.settings,
                               learningRate: options.learningRate, dataFingerprint: dataFingerprint)
                    .write(to: path)
            }
        }

        optimizer.synchronize(&params, timer: &timer)    // every rank starts from root's θ
        while step < options.steps {
            let validate = options.validationEvery > 0
                && (step % options.validationEvery == 0 || step == options.steps - 1)
            let share = objective.contribution(params: params, step: UInt64(step), validation: validate)
            timer.add(share.timings)
            let signal = try optimizer.step(&params, contribution: share, timer: &timer) { evaluation, updated, adam in
                // Root only, between the update and the broadcast.
                let seconds = secondsBefore + stopwatch.seconds
                let record = TrainingRecord(step: step, loss: evaluation.loss,
                                            validationLoss: evaluation.validationLoss, seconds: seconds)
                history.append(record)
                try rootTimer.measure(.io) { try log?.append(record) }
                report(record)
                var signal = StopSignal.proceed
                if !evaluation.loss.isFinite || updated.contains(where: { !$0.isFinite }) { signal = .diverged }
                else if let rule, rule.stopReason(history: history) != nil { signal = .converged }
                // A diverged step is never checkpointed: the last checkpoint stays the last good state.
                if options.checkpointEvery > 0, signal != .diverged,
                   (step + 1) % options.checkpointEvery == 0 || signal == .converged {
                    try checkpoint(at: step + 1, params: updated, adam: adam)
                }
                return signal
            }
            step += 1
            if signal == .diverged {
                throw IQPError("the loss or the parameters became NaN or infinite at step \(step - 1); lower the learning rate (--lr)", field: "lr")
            }
            if signal == .converged { converged = true; break }
        }
        if options.checkpointPath != nil, options.checkpointEvery == 0 || step % options.checkpointEvery != 0 {
            try checkpoint(at: step, params: params, adam: optimizer.state)
        }
        timer.add(rootTimer)
        return Result(params: params, history: history, adam: optimizer.state, converged: converged,
                      stepsCompleted: step, timings: timer)
    }
}
