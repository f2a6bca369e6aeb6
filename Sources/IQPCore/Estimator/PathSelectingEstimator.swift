/// The estimator `MMDObjective` uses: the dense path for any circuit, the fast path
/// (docs/math.md §5) when every generator has weight ≤ 2, chosen per batch by `BlockPath`
/// (`.auto`: the smaller `EstimatorCost` for the batch's actual strings). Both paths compute
/// the same numbers from the same strings and samples, so the choice never changes results
/// beyond rounding.
public struct PathSelectingEstimator: BlockEstimator {
    public let path: BlockPath
    public let dense: DenseEstimator
    /// nil when some generator has weight > 2.
    public let fast: PairwiseIsingEstimator?
    let generatorQubits: Int

    /// Throws when `path` is `.fast` and the circuit has a generator of weight > 2.
    public init(circuit: Circuit, path: BlockPath = .auto,
                memoryBudget: Int = DenseEstimator.defaultMemoryBudget, precision: GEMMPrecision = .float64) throws {
        self.path = path
        self.dense = DenseEstimator(circuit: circuit, memoryBudget: memoryBudget)
        if path == .fast || (path == .auto && PairwiseIsingEstimator.applies(to: circuit)) {
            self.fast = try PairwiseIsingEstimator(circuit: circuit, memoryBudget: memoryBudget, precision: precision)
        } else {
            self.fast = nil
        }
        self.generatorQubits = circuit.table.qubits.count
    }

    /// The estimated cost of a block on each path (fast: nil when it does not apply).
    public func costs(strings: BitMatrix, samples: Int) -> (dense: EstimatorCost, fast: EstimatorCost?) {
        let circuit = dense.circuit
        let denseCost = EstimatorCost.dense(strings: strings.rows, samples: samples,
                                            generators: circuit.generatorCount, generatorQubits: generatorQubits)
        guard fast != nil else { return (denseCost, nil) }
        var union = [UInt64](repeating: 0, count: strings.wordsPerRow)
        var q = 0, pairs = 0
        for a in 0..<strings.rows {
            let r = strings.popcount(row: a)
            q += r; pairs += r * (r - 1) / 2
            for w in 0..<strings.wordsPerRow { union[w] |= strings.words[a * strings.wordsPerRow + w] }
        }
        let used = union.reduce(0) { $0 + $1.nonzeroBitCount }
        return (denseCost, EstimatorCost.fast(strings: strings.rows, samples: samples, qubits: circuit.nQubits,
                                              usedQubits: used, stringQubits: q, stringPairs: pairs,
                                              pairDensity: fast!.pairDensity))
    }

    /// The path that computes a block of `strings` × `samples` samples: `.dense` or `.fast`.
    public func choice(strings: BitMatrix, samples: Int) -> EstimatorPath {
        switch path {
        case .dense: return .dense
        case .fast: return .fast
        case .auto:
            let c = costs(strings: strings, samples: samples)
            guard let fastCost = c.fast else { return .dense }
            return fastCost.seconds <= c.dense.seconds ? .fast : .dense
        }
    }

    public enum Forward: BlockForward {
        case dense(DenseEstimator.Forward)
        case fast(PairwiseIsingEstimator.Forward)

        public var rowSum: [Double] {
            switch self { case .dense(let f): f.rowSum; case .fast(let f): f.rowSum }
        }
        public var rowSumSquares: [Double] {
            switch self { case .dense(let f): f.rowSumSquares; case .fast(let f): f.rowSumSquares }
        }
        /// The path that computed it.
        public var path: EstimatorPath {
            switch self { case .dense: .dense; case .fast: .fast }
        }
    }

    public func forward(thetaPrime: [Double], strings: BitMatrix, samples: BitMatrix, spinSym: Bool) -> Forward {
        if choice(strings: strings, samples: samples.rows) == .fast, let fast {
            return .fast(fast.forward(thetaPrime: thetaPrime, strings: strings, samples: samples, spinSym: spinSym))
        }
        return .dense(dense.forward(thetaPrime: thetaPrime, strings: strings, samples: samples, spinSym: spinSym))
    }

    public func backward(_ forward: Forward, thetaPrime: [Double], alpha: [Double], beta: Double) -> [Double] {
        switch forward {
        case .dense(let f): dense.backward(f, thetaPrime: thetaPrime, alpha: alpha, beta: beta)
        case .fast(let f): fast!.backward(f, thetaPrime: thetaPrime, alpha: alpha, beta: beta)
        }
    }

    /// Forward passes of several string blocks, with one sample block for all of them or one
    /// each (`sampleBlocks.count` 1 or `stringBlocks.count`): the blocks that take the fast path
    /// go through one call of `PairwiseIsingEstimator` (J once, GEMMs shared by shared samples).
    public func forward(thetaPrime: [Double], stringBlocks: [BitMatrix], sampleBlocks: [BitMatrix], spinSym: Bool) -> [Forward] {
        precondition(sampleBlocks.count == 1 || sampleBlocks.count == stringBlocks.count)
        func samples(_ k: Int) -> BitMatrix { sampleBlocks[sampleBlocks.count == 1 ? 0 : k] }
        let fastBlocks = stringBlocks.indices.filter { fast != nil && choice(strings: stringBlocks[$0], samples: samples($0).rows) == .fast }
        var out = [Forward?](repeating: nil, count: stringBlocks.count)
        if let fast, !fastBlocks.isEmpty {
            let f = fast.forward(thetaPrime: thetaPrime, stringBlocks: fastBlocks.map { stringBlocks[$0] },
                                 sampleBlocks: sampleBlocks.count == 1 ? sampleBlocks : fastBlocks.map(samples), spinSym: spinSym)
            for (i, k) in fastBlocks.enumerated() { out[k] = .fast(f[i]) }
        }
        for k in stringBlocks.indices where out[k] == nil {
            out[k] = .dense(dense.forward(thetaPrime: thetaPrime, strings: stringBlocks[k], samples: samples(k), spinSym: spinSym))
        }
        return out.map { $0! }
    }

    /// Σ over the blocks of ∂L/∂θ'; fast-path forwards of one call share the gradient GEMM.
    public func backward(_ forwards: [Forward], thetaPrime: [Double], alphas: [[Double]], betas: [Double]) -> [Double] {
        var grad = [Double](repeating: 0, count: dense.circuit.generatorCount)
        var fastForwards: [PairwiseIsingEstimator.Forward] = [], fastAlphas: [[Double]] = [], fastBetas: [Double] = []
        for (k, forward) in forwards.enumerated() {
            switch forward {
            case .fast(let f):
                fastForwards.append(f); fastAlphas.append(alphas[k]); fastBetas.append(betas[k])
            case .dense(let f):
                let g = dense.backward(f, thetaPrime: thetaPrime, alpha: alphas[k], beta: betas[k])
                for j in 0..<grad.count { grad[j] += g[j] }
            }
        }
        if let fast, !fastForwards.isEmpty {
            let g = fast.backward(fastForwards, thetaPrime: thetaPrime, alphas: fastAlphas, betas: fastBetas)
            if fastForwards.count == forwards.count { return g }
            for j in 0..<grad.count { grad[j] += g[j] }
        }
        return grad
    }
}
