import ArgumentParser
import IQPCore

/// The MMD² estimate's sizes (docs/math.md §3), shared by `iqp train` and `iqp eval`:
/// `--sigma` (bandwidths), `--ops` (Pauli strings per σ) and `--samples` (Monte Carlo
/// samples). The option names are the same in both; `Defaults` holds what differs (eval
/// estimates a finished model more precisely than one training step, and takes its σ from
/// the model file).
struct LossSizeOptions<Defaults: LossSizeDefaults>: ParsableArguments {
    @Option(help: ArgumentHelp(Defaults.sigmaHelp))
    var sigma: String?
    @Option(help: ArgumentHelp(Defaults.opsHelp))
    var ops: Int = Defaults.ops
    @Option(help: ArgumentHelp(Defaults.samplesHelp))
    var samples: Int = Defaults.samples

    /// IQPCore's checks of the sizes (`LossSettings.validate(bandwidths:…)`), as usage errors.
    func validate() throws {
        let list = try bandwidths() ?? []
        try CommandSupport.usage { try LossSettings.validate(bandwidths: list, stringsPerSigma: ops, samples: samples) }
    }

    /// The `--sigma` list (numbers, `median`, `heuristic:K`), nil when not given.
    func bandwidths() throws -> [Bandwidth]? {
        try CommandSupport.usage { try sigma.map { try Bandwidth.parseList($0) } }
    }

    /// The bandwidths given (heuristics computed on `data`), else `fallback`.
    func sigmas(or fallback: [Double], data: BitMatrix) throws -> [Double] {
        try bandwidths().map { try Bandwidth.resolve($0, data: data) } ?? fallback
    }
}

/// The defaults and help of a command's `LossSizeOptions`.
protocol LossSizeDefaults {
    static var sigmaHelp: String { get }
    static var ops: Int { get }
    static var opsHelp: String { get }
    static var samples: Int { get }
    static var samplesHelp: String { get }
}

/// `iqp train`: one step's estimate (B strings × s samples per σ).
enum TrainLossDefaults: LossSizeDefaults {
    static let sigma = [1.0]
    static let sigmaHelp = "Kernel bandwidths σ, comma-separated; the loss is their mean. 'median': IQPopt's median heuristic of the training data; 'heuristic:K': IQPopt's sigma_heuristic, K values. (default: 1.0)"
    static let ops = 1000
    static let opsHelp = "Pauli strings per bandwidth per step (B)."
    static let samples = 1000
    static let samplesHelp = "Monte Carlo samples per bandwidth per step (s)."
}

/// `iqp eval`: the final estimate, split into batches for a standard error.
enum EvalLossDefaults: LossSizeDefaults {
    static let sigmaHelp = "Bandwidths σ, comma-separated; 'median', 'heuristic:K' as in train, on --data (default: the model's training σ, else 1.0)."
    static let ops = 3000
    static let opsHelp = "Pauli strings per σ."
    static let samples = 3000
    static let samplesHelp = "Monte Carlo samples per batch."
}

/// How `iqp train` and `iqp eval` compute the estimate (docs/math.md §3, §5): `--wires`,
/// `--memory-budget` (also what `MemoryAdmission` admits the run's buffers against),
/// `--estimator`, `--shared-samples`, `--gemm-precision`. With `LossSizeOptions` they make the loss's `LossSettings`.
struct EstimatorOptions: ParsableArguments {
    @Option(help: "Qubits the Pauli strings act on (e.g. 0-7,12); the others are traced out.")
    var wires: String?
    @Option(name: .customLong("memory-budget"),
            help: "Memory budget per rank of the strings, samples and estimator work (e.g. 512M, 2G); larger sizes are refused before they start, and the exact path's 2ⁿ-entry vectors must fit in it.")
    var memoryBudget: String = "1G"
    @Option(help: "Estimator: fast (weight ≤ 2 generators only, docs/math.md §5), dense, exact (the loss over all 2ⁿ strings, no estimator noise, n ≤ ~26, docs/math.md §10), or auto (exact when it is cheaper and fits --memory-budget, else the cheaper of fast and dense per batch).")
    var estimator: EstimatorPath = .auto
    @Flag(name: .customLong("shared-samples"),
          help: "One block of samples for all bandwidths: still unbiased per σ, one pair of GEMMs per step (docs/performance.md).")
    var sharedSamples = false
    @Option(name: .customLong("gemm-precision"),
            help: "Precision of the fast path's two large GEMMs: float64, or float32 (about twice the rate; error in docs/performance.md).")
    var gemmPrecision: GEMMPrecision = .float64

    func validate() throws {
        try CommandSupport.usage { _ = try settings(sigmas: [1], stringsPerSigma: 1, samples: 2) }
    }

    /// The loss settings with these options and the given sizes (`defaultWires` without `--wires`).
    func settings(sigmas: [Double], stringsPerSigma: Int, samples: Int, defaultWires: [Int]? = nil) throws -> LossSettings {
        let budget = try ByteCount.parse(memoryBudget, field: "memory-budget")
        return LossSettings(sigmas: sigmas, stringsPerSigma: stringsPerSigma, samples: samples,
                     wires: try wires.map {
                         try CommandSupport.integers($0, option: "--wires", admission: MemoryAdmission(budget: budget))
                     } ?? defaultWires,
                     memoryBudget: budget,
                     estimator: estimator, sharedSamples: sharedSamples, gemmPrecision: gemmPrecision)
    }
}

extension EstimatorPath: ExpressibleByArgument {}
extension GEMMPrecision: ExpressibleByArgument {}
extension Initialization: ExpressibleByArgument {}
extension ConvergenceRule.Monitor: ExpressibleByArgument {}
extension OptimizerKind: ExpressibleByArgument {}
