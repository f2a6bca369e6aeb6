/// The MMD² loss and its exact gradient for one training step, computed by all ranks of a
/// communicator together (docs/math.md §2–§4, §8–§10; docs/distributed.md, "One training step").
///
/// The ranks form a `grid` of string groups × sample groups. For each bandwidth k of the step,
/// rank (r, c) evaluates the block (strings of group r) × (samples of group c), drawn from the
/// index-keyed streams, so the result does not depend on the grid. Horovod-style, the step is
/// pure local functions with the collectives between them:
///
/// 1. `StepDraw.draw`: all B strings per σ and the rank's samples;
/// 2. `DataTerms.partialSums` over the rank's shard of the data rows; one allreduce over every
///    rank completes t_a (and the validation t_a when asked);
/// 3. the model's local computation (`LocalComputation`): for the IQP circuit
///    `MonteCarloTerms.forward` (per-string Σf, Σf² over the block), an allreduce over the
///    ranks of the same string group, then `lossAndDerivative` (∂L/∂f = α_a + βf, `MMDLoss`)
///    and `backward` (∂L/∂θ' and ∂L/∂θ = Tᵀ∂L/∂θ'); for the bitflip model the exact
///    `BitflipTerms.lossAndGradient`; on the exact path `ExactLossTerms` over all 2ⁿ strings
///    in place of steps 1–3 (docs/math.md §10);
/// 4. one reduction to root of the rank's `StepSums` (∂L/∂θ, the loss per σ, the stop
///    requests), laid out by `StepExchange`.
///
/// `share` runs 1–3 and returns the rank's `StepShare`, for a trainer whose optimizer does the
/// reduction itself (`OptimizerStep`); `evaluate` runs all four. Each phase's wall time goes to
/// `phases`. With one rank and a 1×1 grid this is the single-process trainer's loss.
public final class MMDObjective: Sendable {
    public let model: IQPModel
    public let settings: LossSettings
    public let seed: UInt64
    public let communicator: Communicator
    public let grid: ProcessGrid
    public let gridRow: Int
    public let gridColumn: Int
    let rowCommunicator: Communicator
    let trainColumns: DataColumns
    public let trainCount: Int
    let validationColumns: DataColumns?
    public let validationCount: Int
    /// How this model's loss and gradient are computed on a rank.
    public let computation: LocalComputation
    let samplers: [PauliStringSampler]
    /// Where the step reports the wall time of its phases (sampling, local compute, reductions).
    public let phases: PhaseRecorder

    /// A rank's share of one step, before the reduction to root.
    public struct StepShare: Sendable {
        /// This rank's ∂L/∂θ, loss per σ and stop request.
        public var sums: StepSums
        /// The estimator path of each bandwidth's block on this rank (empty for bitflip models).
        public var paths: [EstimatorPath]

        /// How `sums` crosses the communicator.
        public var exchange: StepExchange {
            StepExchange(parameterCount: sums.gradient.count, sigmaCount: sums.loss.sigmaCount,
                         hasValidation: sums.loss.validation != nil)
        }
    }

    /// The result of one step on root: the reduced `StepSums` (valid on root only).
    public struct Evaluation: Sendable {
        public var sums: StepSums
        /// The estimator path of each bandwidth's block on this rank (empty for bitflip models).
        public var paths: [EstimatorPath]

        /// The loss: the mean over the bandwidths of the loss per σ.
        public var loss: Double { sums.loss.trainMean }
        public var lossPerSigma: [Double] { sums.loss.train }
        public var validationLoss: Double? { sums.loss.validationMean }
        public var validationLossPerSigma: [Double]? { sums.loss.validation }
        /// ∂L/∂θ (empty from a sharded optimizer, which never assembles it).
        public var gradient: [Double] { sums.gradient }
        /// How many ranks were asked to stop during this step (`StopRequest`).
        public var stopRequests: Int { sums.stopRequests }

        public init(sums: StepSums, paths: [EstimatorPath]) {
            self.sums = sums
            self.paths = paths
        }
    }

    /// - Parameters:
    ///   - model: circuit, start state and kind (its params are ignored: pass them to `evaluate`).
    ///   - train: the full training set (every rank keeps only its shard of rows).
    ///   - validation: optional held-out set for the validation loss.
    ///   - grid: string groups × sample groups; its size must be the communicator's (nil: 1 × size).
    ///   - phases: where the step reports its phases' wall time.
    public init(model: IQPModel, train: BitMatrix, validation: BitMatrix? = nil, settings: LossSettings,
                seed: UInt64, communicator: Communicator = LocalCommunicator(),
                grid: ProcessGrid? = nil, phases: PhaseRecorder = PhaseRecorder()) throws {
        try settings.validate(nQubits: model.nQubits)
        let grid = try grid ?? ProcessGrid(size: communicator.size, rows: 1, columns: communicator.size)
        guard grid.size == communicator.size else {
            throw IQPError("grid \(grid) does not match \(communicator.size) ranks", field: "grid")
        }
        guard train.columns == model.nQubits else {
            throw IQPError("the data has \(train.columns) columns but the model has \(model.nQubits) qubits", field: "data")
        }
        guard train.rows >= 2 else { throw IQPError("needs at least 2 data rows, got \(train.rows)", field: "data") }
        if let validation {
            guard validation.columns == model.nQubits else {
                throw IQPError("the validation data has \(validation.columns) columns but the model has \(model.nQubits) qubits", field: "validation")
            }
            guard validation.rows >= 2 else { throw IQPError("needs at least 2 validation rows", field: "validation") }
        }
        self.model = model
        self.settings = settings
        self.seed = seed
        self.communicator = communicator
        self.grid = grid
        (self.gridRow, self.gridColumn) = grid.coordinates(of: communicator.rank)
        self.rowCommunicator = grid.rowCommunicator(of: communicator)
        let p = communicator.size, r = communicator.rank
        self.trainCount = train.rows
        self.validationCount = validation?.rows ?? 0
        self.trainColumns = DataColumns(train.rows(ProcessGrid.block(of: train.rows, parts: p, index: r)))
        self.validationColumns = validation.map {
            DataColumns($0.rows(ProcessGrid.block(of: $0.rows, parts: p, index: r)))
        }
        self.computation = try LocalComputation(model: model, train: train, validation: validation,
                                                settings: settings, communicator: communicator)
        self.phases = phases
        self.samplers = settings.sigmas.map {
            PauliStringSampler(nQubits: model.nQubits, sigma: $0, wires: settings.wires)
        }
    }

    /// This rank's strings (of every bandwidth) and samples.
    public var stringBlock: Range<Int> { grid.stringBlock(of: communicator.rank, strings: settings.stringsPerSigma) }
    public var sampleBlock: Range<Int> { grid.sampleBlock(of: communicator.rank, samples: settings.samples) }

    /// Loss (and gradient) at `params` with the random strings and samples of `step`, reduced
    /// to root. Every rank must call it with the same arguments.
    public func evaluate(params: [Double], step: UInt64, validation wantValidation: Bool = false,
                         gradient wantGradient: Bool = true) -> Evaluation {
        let share = share(params: params, step: step, validation: wantValidation, gradient: wantGradient)
        let exchange = share.exchange
        var buffer = exchange.pack(share.sums)
        phases.measure(.reductions) { communicator.reduceSum(&buffer, root: 0) }
        return Evaluation(sums: exchange.unpack(buffer), paths: share.paths)
    }

    /// Steps 1–3 of a step: this rank's `StepSums`, not yet reduced (no stop request).
    /// Collective (the data-term and row allreduces, the exact path's transforms).
    public func share(params: [Double], step: UInt64, validation wantValidation: Bool = false,
                      gradient wantGradient: Bool = true) -> StepShare {
        let withValidation = wantValidation && validationColumns != nil
        let thetaPrime = model.circuit.generatorParameters(params)
        let circuit = model.circuit, block = stringBlock
        switch computation {
        case .exact(let terms):
            let sums = phases.measure(.localCompute) {
                terms.share(thetaPrime: thetaPrime, circuit: circuit, validation: withValidation, gradient: wantGradient)
            }
            return StepShare(sums: sums, paths: Array(repeating: .exact, count: settings.sigmas.count))
        case .monteCarlo(let estimator):
            let (draw, t) = drawAndDataTerms(step: step, samples: true, validation: withValidation)
            let (forwards, blockSums) = phases.measure(.localCompute) {
                MonteCarloTerms.forward(estimator: estimator, thetaPrime: thetaPrime, draw: draw, block: block,
                                        spinSym: model.spinSym)
            }
            var sums = blockSums
            phases.measure(.reductions) { rowCommunicator.allreduceSum(&sums.values) }
            let stepSums = phases.measure(.localCompute) {
                let (loss, derivative) = MonteCarloTerms.lossAndDerivative(
                    sums: sums, dataTerms: t, block: block, samples: settings.samples, trainCount: trainCount,
                    validationCount: validationCount, addsLoss: gridColumn == 0)
                let gradient = wantGradient
                    ? MonteCarloTerms.backward(estimator: estimator, forwards: forwards, derivative: derivative,
                                               thetaPrime: thetaPrime, circuit: circuit)
                    : []
                return StepSums(gradient: gradient, parameterCount: circuit.parameterCount, loss: loss)
            }
            return StepShare(sums: stepSums, paths: forwards.map(\.path))
        case .bitflip(let bitflip):
            let (draw, t) = drawAndDataTerms(step: step, samples: false, validation: withValidation)
            let stepSums = phases.measure(.localCompute) {
                let (loss, gradient) = BitflipTerms.lossAndGradient(
                    bitflip: bitflip, thetaPrime: thetaPrime, strings: draw.strings,
                    rankStrings: BitflipTerms.strings(of: block, column: gridColumn, columns: grid.columns),
                    dataTerms: t, spinSym: model.spinSym, trainCount: trainCount,
                    validationCount: validationCount, wantGradient: wantGradient, circuit: circuit)
                return StepSums(gradient: gradient, parameterCount: circuit.parameterCount, loss: loss)
            }
            return StepShare(sums: stepSums, paths: [])
        }
    }

    /// Steps 1–2: the step's strings (and, with `samples`, the rank's samples) and the completed
    /// data terms t_a. Collective (the data terms' allreduce over every rank).
    private func drawAndDataTerms(step: UInt64, samples: Bool, validation: Bool) -> (StepDraw, DataTerms) {
        let draw = phases.measure(.sampling) {
            StepDraw.draw(samplers: samplers, stringsPerSigma: settings.stringsPerSigma, seed: seed, step: step,
                          sampleBlock: samples ? sampleBlock : nil, shared: settings.sharedSamples)
        }
        var t = phases.measure(.localCompute) {
            DataTerms.partialSums(strings: draw.strings, train: trainColumns,
                                  validation: validation ? validationColumns : nil)
        }
        phases.measure(.reductions) { communicator.allreduceSum(&t.values) }
        t.normalize(trainCount: trainCount, validationCount: validationCount)
        return (draw, t)
    }
}
