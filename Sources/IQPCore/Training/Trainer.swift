import Foundation

/// The training loop, the same for one process and for many (Horovod-style: the distributed
/// parts live in `MMDObjective` and in the one broadcast below).
///
/// Each step t: every rank evaluates its block of the loss and gradient with the random
/// streams of step t (`MMDObjective.evaluate`); the gradient arrives on root, which runs Adam
/// (it alone owns the optimizer state), appends to the loss log, checks the convergence rule
/// and writes checkpoints; then root broadcasts [θ | stop flag] to every rank.
/// The loss recorded for step t is the loss at the parameters before update t.
public final class Trainer {
    public let objective: MMDObjective
    public let options: TrainingOptions
    /// Wall time per phase on this rank: the objective's (from each evaluation), root's
    /// optimizer and i/o, and every rank's broadcast.
    public var timer = PhaseTimer()

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
    }

    /// Runs from `initialParams`, or continues `resume` (same or different rank count).
    /// `report` is called on root after every step.
    public func run(initialParams: [Double], resume: Checkpoint? = nil, dataFingerprint: String = "",
                    report: (TrainingRecord) -> Void = { _ in }) throws -> Result {
        let pCount = objective.model.circuit.parameterCount
        var params = resume?.params ?? initialParams
        precondition(params.count == pCount)
        var adamState = resume?.adam ?? Adam.State(parameterCount: pCount)
        var history = resume?.history ?? []
        let adam = Adam(learningRate: options.learningRate)
        let rule = options.convergenceInterval.map(ConvergenceRule.init(interval:))
        let isRoot = communicator.isRoot
        let log = try isRoot ? options.logPath.map { try LossLog(path: $0, history: history) } : nil
        let firstStep = resume?.step ?? 0
        let secondsBefore = history.last?.seconds ?? 0
        let clock = DispatchTime.now().uptimeNanoseconds
        var converged = false
        var completed = firstStep

        // Every rank starts from root's parameters.
        var buffer = params + [0]
        timer.measure(.broadcast) { communicator.broadcast(&buffer, root: 0) }
        params = Array(buffer[0..<pCount])

        func checkpoint(at step: Int) throws {
            guard isRoot, let path = options.checkpointPath else { return }
            try timer.measure(.io) {
                try Checkpoint(step: step, seed: objective.seed, model: objective.model, params: params,
                               adam: adamState, history: history, settings: objective.settings,
                               learningRate: options.learningRate, dataFingerprint: dataFingerprint)
                    .write(to: path)
            }
        }

        var step = firstStep
        while step < options.steps {
            let validate = options.validationEvery > 0
                && (step % options.validationEvery == 0 || step == options.steps - 1)
            let evaluation = objective.evaluate(params: params, step: UInt64(step), validation: validate)
            timer.add(evaluation.timings)
            var stop = 0.0
            if isRoot {
                timer.measure(.optimizer) { adam.update(&params, gradient: evaluation.gradient, state: &adamState) }
                let seconds = secondsBefore + Double(DispatchTime.now().uptimeNanoseconds - clock) * 1e-9
                let record = TrainingRecord(step: step, loss: evaluation.loss,
                                            validationLoss: evaluation.validationLoss, seconds: seconds)
                history.append(record)
                timer.measure(.io) { log?.append(record) }
                report(record)
                if !evaluation.loss.isFinite || params.contains(where: { !$0.isFinite }) { stop = 2 }
                else if let rule, rule.hasConverged(history.map(\.loss)) { stop = 1 }
            }
            step += 1
            completed = step
            if isRoot, options.checkpointEvery > 0, step % options.checkpointEvery == 0 || stop != 0 {
                try checkpoint(at: step)
            }
            buffer = params + [stop]
            timer.measure(.broadcast) { communicator.broadcast(&buffer, root: 0) }
            params = Array(buffer[0..<pCount])
            if buffer[pCount] == 2 {
                throw IQPError("the loss or the parameters became NaN or infinite at step \(step - 1); lower the learning rate (--lr)", field: "lr")
            }
            if buffer[pCount] == 1 { converged = true; break }
        }
        if isRoot, options.checkpointPath != nil, options.checkpointEvery > 0, completed % options.checkpointEvery != 0 {
            try checkpoint(at: completed)
        }
        return Result(params: params, history: history, adam: adamState, converged: converged,
                      stepsCompleted: completed)
    }
}
