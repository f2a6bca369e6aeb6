/// The MMD² loss and its gradient over all 2ⁿ Pauli strings at once (`--estimator exact`,
/// docs/math.md §10): the quantity the Monte Carlo terms estimate, with no estimator noise.
/// For each bandwidth σ of the list (the loss is their mean, as for the Monte Carlo terms)
///
///     L_σ = Σ_a w_σ(a)·(<Z_a>² − 2<Z_a>·t_a + (t_a²)_U),
///
/// w_σ the string distribution (`PauliStringWeights`, wires included), t_a and (t_a²)_U from the
/// data's parity spectrum (`DataParitySpectrum`), <Z_a> from `AllStringExpectations` (the IQP
/// circuit or the bitflip model, either start). With ρ(a) = ∂L/∂<Z_a> =
/// (2/K)·Σ_σ w_σ(a)(<Z_a> − t_a) the gradient is one `backward` of the expectations, for all σ
/// together, then ∂L/∂θ = Tᵀ ∂L/∂θ'.
///
/// This is `MMDObjective`'s local computation for `EstimatorPath.exact` (`LocalComputation.exact`): every rank sums the loss
/// over its own blocks of strings (`ExactVectorLayout`) and computes its share of ∂L/∂θ', which
/// the step's one reduction to root completes. The step index and the seed play no part: the
/// loss is a deterministic function of the parameters.
public final class ExactLossTerms: @unchecked Sendable {
    // @unchecked Sendable: the expectations' buffers are used by one evaluation at a time.
    public let sigmas: [Double]
    public let communicator: Communicator
    public let layout: ExactVectorLayout
    public let expectations: AllStringExpectations
    let weights: [PauliStringWeights]
    let train: DataParitySpectrum
    let validation: DataParitySpectrum?

    /// - Parameters:
    ///   - model: circuit, start state and kind (its params are ignored).
    ///   - train, validation: the full data sets (every rank histograms only its share of rows).
    ///   - memoryBudget: bytes the 2ⁿ-entry vectors may take on each rank (`--memory-budget`).
    public init(model: IQPModel, train: BitMatrix, validation: BitMatrix? = nil, sigmas: [Double],
                wires: [Int]? = nil, memoryBudget: Int, communicator: Communicator = LocalCommunicator()) throws {
        let n = model.nQubits
        try LossSettings(sigmas: sigmas, wires: wires).validate(nQubits: n)
        try ExactPathCost.admit(nQubits: n, kind: model.kind, dataSets: validation == nil ? 1 : 2,
                                memoryBudget: memoryBudget)
        guard train.rows >= 2 else { throw IQPError("needs at least 2 data rows, got \(train.rows)", field: "data") }
        if let validation, validation.rows < 2 { throw IQPError("needs at least 2 validation rows", field: "validation") }
        self.sigmas = sigmas
        self.communicator = communicator
        let layout = ExactVectorLayout(nQubits: n, communicator: communicator)
        self.layout = layout
        let p = communicator.size, r = communicator.rank
        func shard(_ m: BitMatrix) -> BitMatrix { m.rows(ProcessGrid.block(of: m.rows, parts: p, index: r)) }
        self.train = try DataParitySpectrum(shard: shard(train), nQubits: n, communicator: communicator)
        self.validation = try validation.map {
            try DataParitySpectrum(shard: shard($0), nQubits: n, communicator: communicator)
        }
        self.weights = sigmas.map { PauliStringWeights(nQubits: n, sigma: $0, wires: wires) }
        self.expectations = ExactPathCost.expectations(for: model, layout: layout)
    }

    /// This rank's share of the step's ∂L/∂θ and loss per σ at θ' (`circuit` maps ∂L/∂θ' to
    /// its gates). Collective (the kernel's transforms).
    public func share(thetaPrime: [Double], circuit: Circuit, validation withValidation: Bool,
                      gradient wantGradient: Bool) -> StepSums {
        let kCount = sigmas.count
        expectations.forward(thetaPrime: thetaPrime)
        let losses = lossAndResidual(validation: withValidation && validation != nil)
        let loss = LossPerSigma(train: Array(losses[0..<kCount]),
                                validation: withValidation ? Array(losses[kCount...]) : nil)
        let gradient = wantGradient ? circuit.gateGradient(expectations.backward(thetaPrime: thetaPrime)) : []
        return StepSums(gradient: gradient, parameterCount: circuit.parameterCount, loss: loss)
    }

    /// After `forward`: this rank's share of L_σ for every σ (train, then validation when asked:
    /// 2K numbers), and ρ(a) written over <Z_a> for the backward pass.
    func lossAndResidual(validation withValidation: Bool) -> [Double] {
        let kCount = sigmas.count
        let e = SharedPointer(expectations.values)
        let s = SharedPointer(train.values), v = validation.map { SharedPointer($0.values) }
        let n = Double(train.rowCount), nv = Double(validation?.rowCount ?? 2)
        let weights = self.weights
        let scaleRho = 2 / Double(kCount)
        return layout.sumOverOwnRanges(components: 2 * kCount) { range, partial in
            for a in range {
                let z = e.base[a]
                let sa = s.base[a]
                let t = sa / n, u = (sa * sa - n) / (n * (n - 1))
                let modelTerms = z * z - 2 * z * t + u
                var rho = 0.0
                for k in 0..<kCount {
                    let w = weights[k].weight(a)
                    partial[k] += w * modelTerms
                    rho += w
                }
                if withValidation, let v {
                    let sv = v.base[a]
                    let tv = sv / nv, uv = (sv * sv - nv) / (nv * (nv - 1))
                    for k in 0..<kCount { partial[kCount + k] += weights[k].weight(a) * (z * z - 2 * z * tv + uv) }
                }
                e.base[a] = scaleRho * rho * (z - t)
            }
        }
    }

    /// This rank's share of L_σ for each of `weights` (one per σ), with <Z_a> in `expectations`
    /// (the own ranges of `layout`) against the data spectrum `data`.
    public static func lossPerSigma(expectations: UnsafeMutablePointer<Double>, data: DataParitySpectrum,
                                    weights: [PauliStringWeights], layout: ExactVectorLayout) -> [Double] {
        let e = SharedPointer(expectations), s = SharedPointer(data.values)
        let n = Double(data.rowCount), kCount = weights.count
        return layout.sumOverOwnRanges(components: kCount) { range, partial in
            for a in range {
                let z = e.base[a], sa = s.base[a], t = sa / n
                let terms = z * z - 2 * z * t + (sa * sa - n) / (n * (n - 1))
                for k in 0..<kCount { partial[k] += weights[k].weight(a) * terms }
            }
        }
    }
}
