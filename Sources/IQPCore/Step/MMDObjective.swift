/// The MMD² loss and its exact gradient for one training step, computed by all ranks of a
/// communicator together (docs/math.md §2–§4, §8, §9; docs/distributed.md).
///
/// The ranks form a `grid` of string groups × sample groups. For each bandwidth k of the step,
/// rank (r, c) evaluates the block (strings of group r) × (samples of group c), drawn from the
/// index-keyed streams, so the result does not depend on the grid. Horovod-style, the step is
/// pure local functions with the collectives between them:
///
/// 1. `StepDraw.draw`: all B strings per σ and the rank's samples;
/// 2. `DataTerms.partialSums` over the rank's shard of the data rows; one allreduce over every
///    rank completes t_a (and the validation t_a when asked);
/// 3. the model's local computation (`LocalComputation`; with `EstimatorPath.exact` the
///    `ExactLossTerms` of all 2ⁿ strings replace steps 1–3, docs/math.md §10): for the IQP circuit
///    `MonteCarloTerms.forward` (per-string Σf, Σf² over the block), an allreduce over the
///    ranks of the same string group, then `lossAndDerivative` (∂L/∂f = α_a + βf, `MMDLoss`)
///    and `backward` (∂L/∂θ' and ∂L/∂θ = Tᵀ∂L/∂θ'); for the bitflip model the exact
///    `BitflipTerms.lossAndGradient`;
/// 4. one reduction to root of [∂L/∂θ | loss per σ | validation loss per σ | stop requests]
///    (`StepTotals`).
///
/// `contribution` runs 1–3 and returns the rank's share of step 4, for a trainer whose
/// optimizer does the reduction itself (`OptimizerStep`); `evaluate` runs all four.
/// With one rank and a 1×1 grid this is the single-process trainer's loss.
public final class MMDObjective: Sendable {
    public let model: IQPModel
    public let settings: LossSettings
    public let seed: UInt64
    public let communicator: Communicator
    public let grid: ProcessGrid
    public let gridRow: Int
    public let gridColumn: Int
    let rowCommunicator: Communicator
    let trainColumns: DataTerm.Columns
    public let trainCount: Int
    let validationColumns: DataTerm.Columns?
    public let validationCount: Int
    /// How this model's loss and gradient are computed on a rank.
    public let computation: LocalComputation
    let samplers: [PauliStringSampler]

    /// How a model's share of the loss and gradient is computed locally, between the step's
    /// collectives: the seam for other models and estimators.
    public enum LocalComputation: Sendable {
        /// IQP circuit: Monte Carlo over strings and samples, the dense or fast estimator chosen
        /// per block (`settings.estimator`; docs/math.md §2–§5).
        case monteCarlo(PathSelectingEstimator)
        /// The bitflip model: exact <Z_a> per string (docs/math.md §9).
        case bitflip(BitflipExpectation)
        /// `settings.estimator == .exact`, either model: the loss over all 2ⁿ strings, no strings
        /// or samples drawn (docs/math.md §10).
        case exact(ExactLossTerms)
    }

    /// A rank's share of one step: the `StepTotals` before their reduction to root, with what
    /// the rank measured.
    public struct Contribution: Sendable {
        public var totals: StepTotals
        public var hasValidation: Bool
        /// The estimator path of each bandwidth's block on this rank (empty for bitflip models).
        public var paths: [EstimatorPath]
        /// This rank's wall time per phase in this step (sampling, local compute, reductions).
        public var timings: PhaseTimer
    }

    /// The result of one evaluation. `gradient`, `loss…` are valid on root only.
    public struct Evaluation: Sendable {
        public var loss: Double
        public var lossPerSigma: [Double]
        public var validationLoss: Double?
        public var validationLossPerSigma: [Double]?
        public var gradient: [Double]
        /// The estimator path of each bandwidth's block on this rank (empty for bitflip models).
        public var paths: [EstimatorPath]
        /// This rank's wall time per phase in this evaluation.
        public var timings: PhaseTimer
        /// How many ranks were asked to stop during this step (`StopRequest`; valid on root).
        public var stopRequests: Int

        /// The evaluation from a contribution whose totals have been reduced (valid on root).
        public init(reduced c: Contribution) {
            let p = c.totals.parameterCount
            self.init(losses: Array(c.totals.values[p...]), sigmaCount: c.totals.sigmaCount, contribution: c)
            gradient = c.totals.gradient
        }

        /// The evaluation from the reduced losses [loss per σ | validation loss per σ | stop requests] alone; the
        /// gradient is left empty (a sharded optimizer never assembles it).
        init(losses: [Double], sigmaCount: Int, contribution c: MMDObjective.Contribution) {
            let perSigma = Array(losses[0..<sigmaCount])
            let validationPerSigma = c.hasValidation ? Array(losses[sigmaCount..<(2 * sigmaCount)]) : nil
            let kCount = Double(sigmaCount)
            loss = perSigma.reduce(0, +) / kCount
            lossPerSigma = perSigma
            validationLoss = validationPerSigma.map { $0.reduce(0, +) / kCount }
            validationLossPerSigma = validationPerSigma
            gradient = []
            paths = c.paths
            timings = c.timings
            stopRequests = losses.count > 2 * sigmaCount ? Int(losses[2 * sigmaCount]) : 0
        }
    }

    /// - Parameters:
    ///   - model: circuit, start state and kind (its params are ignored: pass them to `evaluate`).
    ///   - train: the full training set (every rank keeps only its shard of rows).
    ///   - validation: optional held-out set for the validation loss.
    ///   - grid: string groups × sample groups; its size must be the communicator's (nil: 1 × size).
    public init(model: IQPModel, train: BitMatrix, validation: BitMatrix? = nil, settings: LossSettings,
                seed: UInt64, communicator: Communicator = LocalCommunicator(),
                grid: ProcessGrid? = nil) throws {
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
        self.trainColumns = DataTerm.Columns(train.rows(ProcessGrid.block(of: train.rows, parts: p, index: r)))
        self.validationColumns = validation.map {
            DataTerm.Columns($0.rows(ProcessGrid.block(of: $0.rows, parts: p, index: r)))
        }
        switch model.kind {
        case _ where settings.estimator == .exact:
            self.computation = .exact(try ExactLossTerms(model: model, train: train, validation: validation,
                                                         sigmas: settings.sigmas, wires: settings.wires,
                                                         memoryBudget: settings.memoryBudget, communicator: communicator))
        case .iqp:
            self.computation = .monteCarlo(try PathSelectingEstimator(circuit: model.circuit, path: settings.estimator,
                                                                      memoryBudget: settings.memoryBudget,
                                                                      precision: settings.gemmPrecision))
        case .bitflip:
            self.computation = .bitflip(BitflipExpectation(circuit: model.circuit))
        }
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
        var share = contribution(params: params, step: step, validation: wantValidation, gradient: wantGradient)
        share.timings.measure(.reductions) { communicator.reduceSum(&share.totals.values, root: 0) }
        return Evaluation(reduced: share)
    }

    /// Steps 1–3 of a step: this rank's share of [∂L/∂θ | loss per σ | validation loss per σ],
    /// not yet reduced. Collective (the data-term and row allreduces).
    public func contribution(params: [Double], step: UInt64, validation wantValidation: Bool = false,
                             gradient wantGradient: Bool = true) -> Contribution {
        var timer = PhaseTimer()
        let withValidation = wantValidation && validationColumns != nil
        let thetaPrime = model.circuit.generatorParameters(params)
        let circuit = model.circuit, block = stringBlock
        if case .exact(let terms) = computation {
            let totals = timer.measure(.localCompute) {
                terms.share(thetaPrime: thetaPrime, circuit: circuit, validation: withValidation, gradient: wantGradient)
            }
            return Contribution(totals: totals, hasValidation: withValidation,
                                paths: Array(repeating: .exact, count: settings.sigmas.count), timings: timer)
        }
        let needsSamples: Bool
        if case .monteCarlo = computation { needsSamples = true } else { needsSamples = false }
        let draw = timer.measure(.sampling) {
            StepDraw.draw(samplers: samplers, stringsPerSigma: settings.stringsPerSigma, seed: seed, step: step,
                          sampleBlock: needsSamples ? sampleBlock : nil, shared: settings.sharedSamples)
        }
        var t = timer.measure(.localCompute) {
            DataTerms.partialSums(strings: draw.strings, train: trainColumns,
                                  validation: withValidation ? validationColumns : nil)
        }
        timer.measure(.reductions) { communicator.allreduceSum(&t.values) }
        t.normalize(trainCount: trainCount, validationCount: validationCount)

        switch computation {
        case .monteCarlo(let estimator):
            let (forwards, blockSums) = timer.measure(.localCompute) {
                MonteCarloTerms.forward(estimator: estimator, thetaPrime: thetaPrime, draw: draw, block: block,
                                        spinSym: model.spinSym)
            }
            var sums = blockSums
            timer.measure(.reductions) { rowCommunicator.allreduceSum(&sums.values) }
            let totals = timer.measure(.localCompute) {
                let (loss, derivative) = MonteCarloTerms.lossAndDerivative(
                    sums: sums, dataTerms: t, block: block, samples: settings.samples, trainCount: trainCount,
                    validationCount: validationCount, countsLoss: gridColumn == 0)
                let gradient = wantGradient
                    ? MonteCarloTerms.backward(estimator: estimator, forwards: forwards, derivative: derivative,
                                               thetaPrime: thetaPrime, circuit: circuit)
                    : []
                return StepTotals(gradient: gradient, parameterCount: circuit.parameterCount, loss: loss)
            }
            return Contribution(totals: totals, hasValidation: withValidation, paths: forwards.map(\.path),
                                timings: timer)
        case .exact:
            preconditionFailure("the exact path returned above")
        case .bitflip(let bitflip):
            let totals = timer.measure(.localCompute) {
                let (loss, gradient) = BitflipTerms.lossAndGradient(
                    bitflip: bitflip, thetaPrime: thetaPrime, strings: draw.strings,
                    mine: BitflipTerms.strings(of: block, column: gridColumn, columns: grid.columns),
                    dataTerms: t, spinSym: model.spinSym, trainCount: trainCount,
                    validationCount: validationCount, wantGradient: wantGradient, circuit: circuit)
                return StepTotals(gradient: gradient, parameterCount: circuit.parameterCount, loss: loss)
            }
            return Contribution(totals: totals, hasValidation: withValidation, paths: [], timings: timer)
        }
    }
}
