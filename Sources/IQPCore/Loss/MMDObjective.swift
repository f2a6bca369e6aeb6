/// The MMD² loss and its exact gradient for one training step, computed by all ranks of a
/// communicator together (docs/math.md §2–§4, §8, §9; docs/distributed.md).
///
/// The ranks form a `grid` of string groups × sample groups. For each
/// bandwidth k of the step, rank (r, c) evaluates the block (strings of group r) × (samples of
/// group c), drawn from the index-keyed streams, so the result does not depend on the grid:
///
/// 1. data term: every rank sums (−1)^{a·x} over its shard of the data rows for all B
///    strings; one allreduce over all ranks gives t_a (and the validation t_a when asked);
/// 2. forward: per-string Σ_i f and Σ_i f² over the block's samples; an allreduce over the
///    ranks of the same string group completes them;
/// 3. loss and ∂L/∂f = α_a + β f (see `MMDLoss`), backward pass to ∂L/∂θ' and ∂L/∂θ = Tᵀ∂L/∂θ';
/// 4. one reduce to root of [∂L/∂θ | loss per σ | validation loss per σ].
///
/// With one rank and a 1×1 grid this is the single-process trainer's loss.
public final class MMDObjective: @unchecked Sendable {
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
    /// Dense or fast path per batch (`settings.estimator`).
    public let estimator: PathSelectingEstimator
    public var dense: DenseEstimator { estimator.dense }
    /// The path of every bandwidth's block in the last `evaluate` (empty for bitflip models).
    public private(set) var lastPaths: [EstimatorPath] = []
    let bitflip: BitflipExpectation
    let samplers: [PauliStringSampler]
    /// Wall time per phase on this rank (sampling, local compute, reductions).
    public var timer = PhaseTimer()

    /// The result of one evaluation. `gradient`, `loss…` are valid on root only.
    public struct Evaluation: Sendable {
        public var loss: Double
        public var lossPerSigma: [Double]
        public var validationLoss: Double?
        public var validationLossPerSigma: [Double]?
        public var gradient: [Double]
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
        let trainShard = train.rows(ProcessGrid.block(of: train.rows, parts: p, index: r))
        self.trainCount = train.rows
        let validationShard = validation.map { $0.rows(ProcessGrid.block(of: $0.rows, parts: p, index: r)) }
        self.validationCount = validation?.rows ?? 0
        self.trainColumns = DataTerm.Columns(trainShard)
        self.validationColumns = validationShard.map { DataTerm.Columns($0) }
        self.estimator = try PathSelectingEstimator(circuit: model.circuit, path: settings.estimator,
                                                    memoryBudget: settings.memoryBudget)
        self.bitflip = BitflipExpectation(circuit: model.circuit)
        self.samplers = settings.sigmas.map {
            PauliStringSampler(nQubits: model.nQubits, sigma: $0, wires: settings.wires)
        }
    }

    /// This rank's strings (of every bandwidth) and samples.
    public var stringBlock: Range<Int> { grid.stringBlock(of: communicator.rank, strings: settings.stringsPerSigma) }
    public var sampleBlock: Range<Int> { grid.sampleBlock(of: communicator.rank, samples: settings.samples) }

    /// Loss (and gradient) at `params` with the random strings and samples of `step`.
    /// Every rank must call it with the same arguments.
    public func evaluate(params: [Double], step: UInt64, validation wantValidation: Bool = false,
                         gradient wantGradient: Bool = true) -> Evaluation {
        let kCount = settings.sigmas.count, b = settings.stringsPerSigma, s = settings.samples
        let pCount = model.circuit.parameterCount
        let withValidation = wantValidation && validationColumns != nil
        let thetaPrime = model.circuit.generatorParameters(params)
        let myStrings = stringBlock, mySamples = sampleBlock
        let weight = 1 / Double(b * kCount)

        // 1. Random strings (all B, for the data term) and this rank's samples.
        var strings: [BitMatrix] = [], samples: [BitMatrix] = []
        timer.measure(.sampling) {
            for k in 0..<kCount {
                strings.append(samplers[k].strings(seed: seed, step: step, sigmaIndex: k, range: 0..<b))
                if model.kind == .iqp {
                    samples.append(UniformSampleSampler.samples(nQubits: model.nQubits, seed: seed, step: step,
                                                               sigmaIndex: k, range: mySamples))
                }
            }
        }

        // 2. Data terms: shard sums, one allreduce over every rank.
        var t = [Double](repeating: 0, count: kCount * b * (withValidation ? 2 : 1))
        timer.measure(.localCompute) {
            for k in 0..<kCount {
                let sums = DataTerm.paritySums(strings: strings[k], columns: trainColumns)
                for i in 0..<b { t[k * b + i] = sums[i] }
                if withValidation, let v = validationColumns {
                    let vs = DataTerm.paritySums(strings: strings[k], columns: v)
                    for i in 0..<b { t[(kCount + k) * b + i] = vs[i] }
                }
            }
        }
        timer.measure(.reductions) { communicator.allreduceSum(&t) }
        for i in 0..<(kCount * b) { t[i] /= Double(trainCount) }
        if withValidation { for i in (kCount * b)..<(2 * kCount * b) { t[i] /= Double(validationCount) } }

        // [∂L/∂θ | loss per σ | validation loss per σ], reduced to root.
        var out = [Double](repeating: 0, count: pCount + 2 * kCount)
        var gradPrime = [Double](repeating: 0, count: model.circuit.generatorCount)
        let nb = myStrings.count
        lastPaths = []

        switch model.kind {
        case .iqp:
            // 3. Forward on the block; complete the per-string sums along the sample direction.
            var forwards: [PathSelectingEstimator.Forward] = []
            var stats = [Double](repeating: 0, count: 2 * kCount * nb)
            timer.measure(.localCompute) {
                for k in 0..<kCount {
                    let fwd = estimator.forward(thetaPrime: thetaPrime, strings: strings[k].rows(myStrings),
                                            samples: samples[k], spinSym: model.spinSym)
                    for i in 0..<nb {
                        stats[(2 * k) * nb + i] = fwd.rowSum[i]
                        stats[(2 * k + 1) * nb + i] = fwd.rowSumSquares[i]
                    }
                    forwards.append(fwd)
                }
            }
            lastPaths = forwards.map(\.path)
            timer.measure(.reductions) { rowCommunicator.allreduceSum(&stats) }
            // 4. Loss and backward pass.
            timer.measure(.localCompute) {
                for k in 0..<kCount {
                    var alpha = [Double](repeating: 0, count: nb)
                    for i in 0..<nb {
                        let a = myStrings.lowerBound + i
                        let sum = stats[(2 * k) * nb + i], sq = stats[(2 * k + 1) * nb + i]
                        let ta = t[k * b + a]
                        if gridColumn == 0 {
                            out[pCount + k] += MMDLoss.perString(sum: sum, sumSquares: sq, samples: s,
                                                                 dataTerm: ta, dataCount: trainCount) / Double(b)
                            if withValidation {
                                out[pCount + kCount + k] += MMDLoss.perString(
                                    sum: sum, sumSquares: sq, samples: s,
                                    dataTerm: t[(kCount + k) * b + a], dataCount: validationCount) / Double(b)
                            }
                        }
                        alpha[i] = MMDLoss.alpha(sum: sum, samples: s, dataTerm: ta, weight: weight)
                    }
                    if wantGradient {
                        let g = estimator.backward(forwards[k], thetaPrime: thetaPrime, alpha: alpha,
                                               beta: MMDLoss.beta(samples: s, weight: weight))
                        for j in 0..<g.count { gradPrime[j] += g[j] }
                    }
                }
            }
        case .bitflip:
            // Exact expectations: strings of the block are shared out among its sample groups.
            timer.measure(.localCompute) {
                for k in 0..<kCount {
                    let mine = myStrings.filter { ($0 - myStrings.lowerBound) % grid.columns == gridColumn }
                    var block = BitMatrix(rows: mine.count, columns: model.nQubits)
                    for (i, a) in mine.enumerated() { block.setRow(i, words: strings[k].row(a)) }
                    let values = bitflip.expectationsAndGradient(
                        thetaPrime: thetaPrime, strings: block, spinSym: model.spinSym,
                        weight: { i, e in wantGradient ? weight * (2 * e - 2 * t[k * b + mine[i]]) : 0 },
                        gradient: &gradPrime)
                    for (i, a) in mine.enumerated() {
                        out[pCount + k] += MMDLoss.perStringExact(expectation: values[i], dataTerm: t[k * b + a],
                                                                  dataCount: trainCount) / Double(b)
                        if withValidation {
                            out[pCount + kCount + k] += MMDLoss.perStringExact(
                                expectation: values[i], dataTerm: t[(kCount + k) * b + a],
                                dataCount: validationCount) / Double(b)
                        }
                    }
                }
            }
        }
        if wantGradient {
            let g = model.circuit.gateGradient(gradPrime)
            for i in 0..<pCount { out[i] = g[i] }
        }
        timer.measure(.reductions) { communicator.reduceSum(&out, root: 0) }
        let perSigma = Array(out[pCount..<(pCount + kCount)])
        let valPerSigma = withValidation ? Array(out[(pCount + kCount)..<(pCount + 2 * kCount)]) : nil
        return Evaluation(loss: perSigma.reduce(0, +) / Double(kCount), lossPerSigma: perSigma,
                          validationLoss: valPerSigma.map { $0.reduce(0, +) / Double(kCount) },
                          validationLossPerSigma: valPerSigma,
                          gradient: Array(out[0..<pCount]))
    }
}
