import ArgumentParser
import Foundation
import IQPCore
import IQPMPI
import IQPSampler

/// `iqp eval`: test-set MMD² of a model, per bandwidth, with a standard error.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "MMD² between a model and a data set, per bandwidth σ, with a standard error.",
        discussion: """
        The data set is split into --batches chunks (row i into chunk i mod batches, as the reference \
        does); batch b compares the model with chunk b using --ops/--batches strings per σ and its \
        own --samples samples. The estimate is the batch mean and the standard error the batch \
        spread / √batches (covering the finite data set and the random strings and samples). \
        σ and the wires default to the model's training settings (recorded in its file). \
        With --exact (or --estimator exact) each batch's MMD² is computed over all 2ⁿ Pauli strings \
        (docs/math.md §10; n ≤ ~26, within --memory-budget): no estimator noise, and the standard \
        error covers only the finite data set. Output CSV: sigma,mmd2,stderr. Runs under mpirun too.
        With --samples-file (shots from quantum hardware or any sampler; column i = qubit i) the \
        shots are scored instead of the model: the shots are split into --batches chunks like \
        the data, batch b is the sample-based MMD² (unbiased U-statistic) of shot chunk b against \
        data chunk b, with the same mean and standard error. --model is then optional (its \
        training σ is the default). That statistic evaluates the kernel itself, so it is exact \
        in the strings: --exact changes nothing there. See docs/hardware.md.
        With --kgel the kernel generalised empirical likelihood is computed instead of the MMD² \
        (docs/math.md §11, as the study's paper/plots/calc_kgel.py): the first --ground-truth rows \
        of --data are reweighted to match the model's mean kernel at the last --witnesses rows; \
        the model's means come from --samples-file, or from --model exactly (--exact) or by Monte \
        Carlo (--ops strings × --samples samples; the study used 6000 × 6000). Output CSV: \
        sigma,kgel; inf where no reweighting can match (as cvxpy reports it). One process \
        computes it (rank 0 under mpirun).
        With --covariance the spin covariance matrix (s = 1 − 2x) of the model (exact with --exact, \
        else Monte Carlo with --samples samples per entry) or of --samples-file is written next to \
        the data's, as CSV i,j,model,data (every entry of the n × n matrices; `iqp plot \
        covariance` draws the pair as heat maps).
        """)

    @Option(help: "Model file (JSON).") var model: String?
    @Option(name: .customLong("samples-file"),
            help: "Score these shots against --data instead of the model: CSV rows of 0/1, .npy, or counts (a JSON object of bitstring → count, as Qiskit's get_counts() gives; bit order: --bit-order); '-': standard input.")
    var samplesFile: String?
    @Option(name: .customLong("bit-order"),
            help: "Bit order of a counts file's bitstrings: qiskit (the rightmost character is qubit 0, as Qiskit and IBM write them) or wires (the leftmost is qubit 0, as iqp's CSV).")
    var bitOrder: CountsBitOrder = .qiskit
    @Option(help: "Data to compare with (CSV rows of 0/1 or .npy; '-': standard input).") var data: String
    @OptionGroup var loss: LossSizeOptions<EvalLossDefaults>
    @OptionGroup var estimator: EstimatorOptions
    @Option(help: "Independent batches for the standard error.") var batches: Int = ModelEvaluation.defaultBatches
    @Flag(help: "Exact MMD² over all 2ⁿ strings (--ops and --samples are not used); same as --estimator exact.")
    var exact = false
    @Flag(help: "Kernel generalised empirical likelihood instead of the MMD² (docs/math.md §11).")
    var kgel = false
    @Option(help: "With --kgel: witness points, the last rows of --data.") var witnesses: Int = 10
    @Option(name: .customLong("ground-truth"), help: "With --kgel: ground-truth rows, the first rows of --data.")
    var groundTruth: Int = 2000
    @Flag(help: "Spin covariance matrices of the model (or --samples-file) and of --data, as CSV i,j,model,data.")
    var covariance = false
    @Option(help: "Random seed.") var seed: UInt64 = 0
    @Option(help: "Write the CSV here (atomically; '-': standard output, the default).") var out: String?

    func validate() throws {
        guard model != nil || samplesFile != nil else { throw ValidationError("give --model, --samples-file or both") }
        guard batches >= 2 else { throw ValidationError("--batches must be at least 2 (for a standard error), got \(batches)") }
        guard isExact || samplesFile != nil || loss.ops >= batches else {
            throw ValidationError("--ops must be at least --batches (one string per batch): \(loss.ops) < \(batches)")
        }
    }

    var isExact: Bool { exact || estimator.estimator == .exact }

    func run() throws {
        let communicator = MPIRuntime.world
        do {
            let inputs = [("--model", model), ("--data", data), ("--samples-file", samplesFile)]
                .compactMap { option, path in path.map { NamedPath(option, $0) } }
            try AtomicFile.checkTargets(outputs: out.map { [NamedPath("--out", $0)] } ?? [], inputs: inputs)
            if covariance {
                if communicator.isRoot { try writeCovariance() }
                MPIRuntime.finalize()
                return
            }
            if kgel {
                if communicator.isRoot { try scoreKGEL() }
                MPIRuntime.finalize()
                return
            }
            if let samplesFile {
                if communicator.isRoot { try scoreShots(samplesFile) }
                MPIRuntime.finalize()
                return
            }
            let m = try ModelFile.read(path: model!)
            let test = try DataFile.read(path: data, expectedWidth: m.nVisible).appendingZeroColumns(m.nAncilla)
            let estimates = try evaluate(m, on: test, communicator: communicator)
            try FiniteResult.check(estimates.flatMap { [$0.mmdSquared, $0.standardError] },
                                   name: { "MMD² at σ = \(estimates[$0 / 2].sigma)" + ($0 % 2 == 1 ? " (its standard error)" : "") },
                                   model: m, modelFile: model)
            if loss.sigma == nil, trainingSigmas(of: m) == nil, communicator.isRoot {
                writeToStandardError("iqp eval: σ = 1.0 (default: \(model!) records no training σ; choose with --sigma)\n")
            }
            if communicator.isRoot { try write(estimates) }
        } catch {
            CommandSupport.fail(error, communicator: communicator)
        }
        MPIRuntime.finalize()
    }

    /// The model's MMD² per σ: exact, or Monte Carlo after admitting its strings and samples
    /// against --memory-budget (`StepMemory`).
    func evaluate(_ m: IQPModel, on test: BitMatrix, communicator: Communicator) throws -> [ModelEvaluation.Estimate] {
        let ops = loss.ops, samples = loss.samples
        let settings = try estimator.settings(sigmas: try loss.sigmas(or: trainingSigmas(of: m) ?? [1.0], data: test),
                                              stringsPerSigma: max(1, ops / batches), samples: samples,
                                              defaultWires: trainingWires(of: m))
        if isExact {
            return try ModelEvaluation.exactMMDSquared(model: m, data: test, sigmas: settings.sigmas, batches: batches,
                                                       wires: settings.wires, memoryBudget: settings.memoryBudget,
                                                       communicator: communicator)
        }
        let grid = ProcessGrid.automatic(size: communicator.size, strings: max(1, ops / batches), samples: samples)
        try MemoryAdmission(budget: settings.memoryBudget).admit(StepMemory.needs(
            model: (m.circuit, m.kind), settings: settings,
            sizes: .init(strings: ops / batches, stringsOption: "--ops", stringsValue: "\(ops)", samples: samples,
                         samplesOption: "--samples"),
            gridColumns: grid.columns, dataSets: 1))
        return try ModelEvaluation.mmdSquared(model: m, data: test, sigmas: settings.sigmas, ops: ops,
                                              samples: samples, seed: seed, batches: batches,
                                              wires: settings.wires, memoryBudget: settings.memoryBudget,
                                              estimator: settings.estimator, communicator: communicator, grid: grid)
    }

    /// `--samples-file`: the shots' sample-based MMD² against the data (`ShotEvaluation`).
    func scoreShots(_ path: String) throws {
        let m = try model.map { try ModelFile.read(path: $0) }
        let shots = try DataFile.read(path: path, expectedWidth: m?.nVisible, countsQubitZeroLast: bitOrder == .qiskit)
        let test = try DataFile.read(path: data, expectedWidth: m?.nVisible)
        guard test.columns == shots.columns else {
            throw IQPError("the shots have \(shots.columns) bits per row, the data (\(data)) \(test.columns)", file: path)
        }
        let sigmas = try loss.sigmas(or: m.flatMap(trainingSigmas) ?? [1.0], data: test)
        let estimates = try ShotEvaluation.mmdSquared(samples: shots, data: test, sigmas: sigmas, batches: batches)
        try FiniteResult.check(estimates.flatMap { [$0.mmdSquared, $0.standardError] },
                               name: { "MMD² at σ = \(estimates[$0 / 2].sigma)" + ($0 % 2 == 1 ? " (its standard error)" : "") })
        try write(estimates)
    }

    /// `--kgel`: the KGEL per σ of the samples or the model (`KernelGEL`), as CSV sigma,kgel.
    func scoreKGEL() throws {
        let m = try model.map { try ModelFile.read(path: $0) }
        let test = try DataFile.read(path: data, expectedWidth: m?.nVisible)
        let (truth, points) = try KernelGEL.split(test, groundTruth: groundTruth, witnesses: witnesses)
        let shots = try samplesFile.map { try DataFile.read(path: $0, expectedWidth: test.columns) }
        let sigmas = try loss.sigmas(or: m.flatMap(trainingSigmas) ?? [1.0], data: test)
        let budget = try ByteCount.parse(estimator.memoryBudget, field: "memory-budget")
        var text = "sigma,kgel\n"
        for sigma in sigmas {
            let means: [Double]
            if let shots {
                means = KernelGEL.means(samples: shots, witnesses: points, sigma: sigma)
            } else if isExact {
                means = try KernelGEL.exactMeans(model: m!, witnesses: points, sigma: sigma, memoryBudget: budget)
            } else {
                means = try KernelGEL.monteCarloMeans(model: m!, witnesses: points, sigma: sigma, ops: loss.ops,
                                                      samples: loss.samples, seed: seed, memoryBudget: budget)
            }
            let outcome = KernelGEL.solve(kernels: KernelGEL.kernels(rows: truth, witnesses: points, sigma: sigma),
                                          rows: truth.rows, means: means)
            if outcome == .infeasible {
                writeToStandardError("iqp eval: KGEL at σ = \(sigma) is inf: no reweighting of the \(truth.rows) ground-truth "
                    + "rows matches the model's mean kernel at the \(points.rows) witnesses\n")
            }
            text += "\(sigma),\(outcome.value)\n"
        }
        try AtomicFile.write(text, to: out ?? AtomicFile.standardOutputPath)
    }

    /// `--covariance`: the model's (or the samples') spin covariance next to the data's
    /// (`SpinCovariance`), as CSV i,j,model,data.
    func writeCovariance() throws {
        let m = try model.map { try ModelFile.read(path: $0) }
        let budget = try ByteCount.parse(estimator.memoryBudget, field: "memory-budget")
        if let m { try SpinCovariance.admit(nQubits: m.nQubits, admission: MemoryAdmission(budget: budget)) }
        let test = try DataFile.read(path: data, expectedWidth: m?.nVisible)
        let n = test.columns
        try SpinCovariance.admit(nQubits: n, admission: MemoryAdmission(budget: budget))
        let ours: [Double]
        if let samplesFile {
            ours = try SpinCovariance.of(samples: try DataFile.read(path: samplesFile, expectedWidth: n))
        } else if isExact {
            ours = try SpinCovariance.exact(model: m!, memoryBudget: budget)
        } else {
            ours = try SpinCovariance.monteCarlo(model: m!, samples: loss.samples, seed: seed, memoryBudget: budget)
        }
        let theirs = try SpinCovariance.of(samples: test)
        try AtomicFile.write(to: out ?? AtomicFile.standardOutputPath) { sink in
            try sink.write("i,j,model,data\n")
            for i in 0..<n {
                var lines = ""
                for j in 0..<n { lines += "\(i),\(j),\(ours[i * n + j]),\(theirs[i * n + j])\n" }
                try sink.write(lines)
            }
        }
    }

    /// The CSV sigma,mmd2,stderr to --out or standard output.
    func write(_ estimates: [ModelEvaluation.Estimate]) throws {
        var text = "sigma,mmd2,stderr\n"
        for e in estimates { text += "\(e.sigma),\(e.mmdSquared),\(e.standardError)\n" }
        try AtomicFile.write(text, to: out ?? AtomicFile.standardOutputPath)
    }

    /// The bandwidths the model was trained with (`training.sigma` in its file), if recorded.
    func trainingSigmas(of model: IQPModel) -> [Double]? {
        guard case .array(let values)? = model.metadata["training"]?["sigma"] else { return nil }
        return values.compactMap { if case .number(let x) = $0 { return x } else { return nil } }
    }

    /// The wires the model was trained with (`training.wires`, written by `iqp train --wires`), if any.
    func trainingWires(of model: IQPModel) -> [Int]? {
        guard case .array(let values)? = model.metadata["training"]?["wires"] else { return nil }
        return values.compactMap { if case .number(let x) = $0 { return Int(exactly: x) } else { return nil } }
    }
}

/// `--bit-order` of a counts file (`iqp eval --samples-file`, `iqp sample --format counts`).
enum CountsBitOrder: String, ExpressibleByArgument, CaseIterable {
    /// Qubit 0 is the rightmost character (Qiskit's classical-bit order).
    case qiskit
    /// Qubit 0 is the leftmost character.
    case wires
}
