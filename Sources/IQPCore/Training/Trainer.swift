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
    /// `report` is called on root after every step.
    public func run(initialParams: [Double], resume: Checkpoint? = nil, dataFingerprint: String = "",
                    report: (TrainingRecord) -> Void = { _ in }) throws -> Result {
        let pCount = objective.model.circuit.parameterCount
        var params = resume?.params ?? initialParams
        precondition(params.count == pCount)
        var optimizer = makeOptimizer(state: resume?.adam, parameterCount: pCount)
        var history = resume?.history ?? []
        let rule = options.convergenceInterval.map(ConvergenceRule.init(interval:))
        let log = try communicator.isRoot ? options.logPath.map { try LossLog(path: $0, history: history) } : nil
        let firstStep = resume?.step ?? 0
        let secondsBefore = history.last?.seconds ?? 0
        let clock = DispatchTime.now().uptimeNanoseconds
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
            communicator.markStep(step)
            let validate = options.validationEvery > 0
                && (step % options.validationEvery == 0 || step == options.steps - 1)
            let share = objective.contribution(params: params, step: UInt64(step), validation: validate)
            timer.add(share.timings)
            let signal = optimizer.step(&params, contribution: share, timer: &timer) { evaluation in
                // Root only, after the update's reduction.
                let seconds = secondsBefore + Double(DispatchTime.now().uptimeNanoseconds - clock) * 1e-9
                let record = TrainingRecord(step: step, loss: evaluation.loss,
                                            validationLoss: evaluation.validationLoss, seconds: seconds)
                history.append(record)
                rootTimer.measure(.io) { log?.append(record) }
                report(record)
                if !evaluation.loss.isFinite { return .diverged }
                if let rule, rule.hasConverged(history.map(\.loss)) { return .converged }
                return .proceed
            }
            // Every rank knows the signal now, so all join the state's gather.
            if options.checkpointPath != nil, options.checkpointEvery > 0,
               (step + 1) % options.checkpointEvery == 0 || signal != .proceed {
                try checkpoint(at: step + 1, params: params, adam: optimizer.gatheredState())
            }
            step += 1
            if signal == .diverged {
                throw IQPError("the loss or the parameters became NaN or infinite at step \(step - 1); lower the learning rate (--lr)", field: "lr")
            }
            if signal == .converged { converged = true; break }
        }
        communicator.markStep(nil)
        if options.checkpointPath != nil, options.checkpointEvery > 0, step % options.checkpointEvery != 0 {
            try checkpoint(at: step, params: params, adam: optimizer.gatheredState())
        }
        timer.add(rootTimer)
        return Result(params: params, history: history, adam: optimizer.gatheredState(), converged: converged,
                      stepsCompleted: step, timings: timer)
    }
}
