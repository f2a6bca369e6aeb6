/// The estimator `MMDObjective` uses: the dense path for any circuit, the fast path
/// (docs/math.md §5) when every generator has weight ≤ 2, chosen per batch by `EstimatorPath`
/// (`.auto`: the smaller `EstimatorCost` for the batch's actual strings). Both paths compute
/// the same numbers from the same strings and samples, so the choice never changes results
/// beyond rounding.
public struct PathSelectingEstimator: BlockEstimator {
    public let path: EstimatorPath
    public let dense: DenseEstimator
    /// nil when some generator has weight > 2.
    public let fast: PairwiseIsingEstimator?
    let generatorQubits: Int

    /// Throws when `path` is `.fast` and the circuit has a generator of weight > 2.
    public init(circuit: Circuit, path: EstimatorPath = .auto,
                memoryBudget: Int = DenseEstimator.defaultMemoryBudget) throws {
        self.path = path
        self.dense = DenseEstimator(circuit: circuit, memoryBudget: memoryBudget)
        if path == .fast || (path == .auto && PairwiseIsingEstimator.applies(to: circuit)) {
            self.fast = try PairwiseIsingEstimator(circuit: circuit, memoryBudget: memoryBudget)
        } else {
            self.fast = nil
        }
        self.generatorQubits = circuit.generators.reduce(0) { $0 + $1.count }
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
        case .auto, .exact:   // .exact never reaches a Monte Carlo estimator (MMDObjective.init)
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
}
