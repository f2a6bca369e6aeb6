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

    func validate() throws {
        if let sigma { _ = try CommandSupport.doubles(sigma, option: "--sigma") }
    }

    /// The bandwidths given, else `fallback`.
    func sigmas(or fallback: [Double]) throws -> [Double] {
        try sigma.map { try CommandSupport.doubles($0, option: "--sigma") } ?? fallback
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
    static let sigmaHelp = "Kernel bandwidths σ, comma-separated; the loss is their mean. (default: 1.0)"
    static let ops = 1000
    static let opsHelp = "Pauli strings per bandwidth per step (B)."
    static let samples = 1000
    static let samplesHelp = "Monte Carlo samples per bandwidth per step (s)."
}

/// `iqp eval`: the final estimate, split into batches for a standard error.
enum EvalLossDefaults: LossSizeDefaults {
    static let sigmaHelp = "Bandwidths σ, comma-separated (default: the model's training σ, else 1.0)."
    static let ops = 3000
    static let opsHelp = "Pauli strings per σ."
    static let samples = 3000
    static let samplesHelp = "Monte Carlo samples per batch."
}

/// How `iqp train` computes the estimate (docs/math.md §3, §5): `--wires`, `--memory-budget`,
/// `--estimator`. With `LossSizeOptions` they make the training loss's `LossSettings`.
struct EstimatorOptions: ParsableArguments {
    @Option(help: "Qubits the Pauli strings act on (e.g. 0-7,12); the others are traced out.")
    var wires: String?
    @Option(name: .customLong("memory-budget"), help: "Work-matrix budget of the estimator, per rank (e.g. 512M, 2G); the exact path's 2ⁿ-entry vectors must fit in it.")
    var memoryBudget: String = "1G"
    @Option(help: "Estimator: fast (weight ≤ 2 generators only, docs/math.md §5), dense, exact (the loss over all 2ⁿ strings, no estimator noise, n ≤ ~26, docs/math.md §10), or auto (exact when it is cheaper and fits --memory-budget, else the cheaper of fast and dense per batch).")
    var estimator: EstimatorPath = .auto

    func validate() throws {
        _ = try settings(sigmas: [1], stringsPerSigma: 1, samples: 2)
    }

    /// The loss settings with these options and the given sizes.
    func settings(sigmas: [Double], stringsPerSigma: Int, samples: Int) throws -> LossSettings {
        LossSettings(sigmas: sigmas, stringsPerSigma: stringsPerSigma, samples: samples,
                     wires: try wires.map { try CommandSupport.integers($0, option: "--wires") },
                     memoryBudget: try ByteCount.parse(memoryBudget, field: "memory-budget"),
                     estimator: estimator)
    }
}

extension EstimatorPath: ExpressibleByArgument {}
extension Initialization: ExpressibleByArgument {}
extension OptimizerKind: ExpressibleByArgument {}
