/// What the MMD² loss averages over (docs/math.md §3): bandwidths, Pauli strings per bandwidth,
/// Monte Carlo samples, and the wires strings may act on.
public struct LossSettings: Equatable, Sendable {
    /// Kernel bandwidths σ; the loss is the mean over them, each with its own strings.
    public var sigmas: [Double]
    /// Pauli strings per bandwidth per step (B).
    public var stringsPerSigma: Int
    /// Monte Carlo samples z per bandwidth per step (s).
    public var samples: Int
    /// Qubits the strings may act on (nil: all). Restricting traces out the others.
    public var wires: [Int]?
    /// Work-matrix budget of the dense estimator, bytes.
    public var memoryBudget: Int
    /// Dense or fast estimator (docs/math.md §5), or the cheaper per batch.
    public var estimator: EstimatorPath
    /// One block of s samples for every bandwidth instead of one each. Each
    /// σ's term stays unbiased (its strings and the samples are independent); the σ terms become
    /// correlated, which changes the variance of their mean (docs/performance.md), and the fast
    /// path forms its two GEMMs once per step instead of once per σ.
    public var sharedSamples: Bool
    /// Precision of the fast path's two large GEMMs (docs/performance.md
    /// gives the loss and gradient error of float32).
    public var gemmPrecision: GEMMPrecision

    public init(sigmas: [Double] = [1.0], stringsPerSigma: Int = 1000, samples: Int = 1000,
                wires: [Int]? = nil, memoryBudget: Int = DenseEstimator.defaultMemoryBudget,
                estimator: EstimatorPath = .auto, sharedSamples: Bool = false, gemmPrecision: GEMMPrecision = .float64) {
        self.sigmas = sigmas
        self.stringsPerSigma = stringsPerSigma
        self.samples = samples
        self.wires = wires
        self.memoryBudget = memoryBudget
        self.estimator = estimator
        self.sharedSamples = sharedSamples
        self.gemmPrecision = gemmPrecision
    }

    /// Checks the settings against a model with `nQubits` qubits: `validate()` and the wires.
    public func validate(nQubits: Int) throws {
        try validate()
        if let wires {
            guard !wires.isEmpty else { throw IQPError("wire list is empty", field: "wires") }
            for w in wires where w < 0 || w >= nQubits {
                throw IQPError("wire \(w) is out of range 0..<\(nQubits)", field: "wires")
            }
            guard Set(wires).count == wires.count else { throw IQPError("a wire is listed twice", field: "wires") }
        }
    }

    /// Checks what needs no model: at least one bandwidth, each positive and finite, at least
    /// one string and two samples. The errors name these fields (`sigmas`, `stringsPerSigma`, `samples`).
    public func validate() throws {
        guard !sigmas.isEmpty else { throw IQPError("needs at least one bandwidth", field: "sigmas") }
        try Self.validate(bandwidths: sigmas.map { .value($0) }, stringsPerSigma: stringsPerSigma, samples: samples)
    }

    /// The checks of `validate()` on a bandwidth list that may still hold heuristics (`median`,
    /// `heuristic:K`: positive by construction), before the data that resolves them is read.
    public static func validate(bandwidths: [Bandwidth], stringsPerSigma: Int, samples: Int) throws {
        for case .value(let s) in bandwidths where !(s > 0 && s.isFinite) {
            throw IQPError("bandwidth \(s) must be positive and finite", field: "sigmas")
        }
        guard stringsPerSigma >= 1 else {
            throw IQPError("needs at least 1 Pauli string, got \(stringsPerSigma)", field: "stringsPerSigma")
        }
        guard samples >= 2 else {
            throw IQPError("the unbiased estimator needs at least 2 samples, got \(samples)", field: "samples")
        }
    }
}
