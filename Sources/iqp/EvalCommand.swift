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
        """)

    @Option(help: "Model file (JSON).") var model: String?
    @Option(name: .customLong("samples-file"),
            help: "Score these shots (CSV rows of 0/1 or .npy) against --data instead of the model.")
    var samplesFile: String?
    @Option(help: "Data to compare with (CSV rows of 0/1 or .npy).") var data: String
    @OptionGroup var loss: LossSizeOptions<EvalLossDefaults>
    @OptionGroup var estimator: EstimatorOptions
    @Option(help: "Independent batches for the standard error.") var batches: Int = ModelEvaluation.defaultBatches
    @Flag(help: "Exact MMD² over all 2ⁿ strings (--ops and --samples are not used); same as --estimator exact.")
    var exact = false
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
            if let samplesFile {
                if communicator.isRoot { try scoreShots(samplesFile) }
                MPIRuntime.finalize()
                return
            }
            let m = try ModelFile.read(path: model!)
            let test = try DataFile.read(path: data, expectedWidth: m.nVisible).appendingZeroColumns(m.nAncilla)
            let estimates = try evaluate(m, on: test, communicator: communicator)
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
        let shots = try DataFile.read(path: path, expectedWidth: m?.nVisible)
        let test = try DataFile.read(path: data, expectedWidth: m?.nVisible)
        guard test.columns == shots.columns else {
            throw IQPError("the shots have \(shots.columns) bits per row, the data (\(data)) \(test.columns)", file: path)
        }
        let sigmas = try loss.sigmas(or: m.flatMap(trainingSigmas) ?? [1.0], data: test)
        try write(ShotEvaluation.mmdSquared(samples: shots, data: test, sigmas: sigmas, batches: batches))
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
