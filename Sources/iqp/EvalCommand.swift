import ArgumentParser
import Foundation
import IQPCore
import IQPMPI

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
        Output CSV: sigma,mmd2,stderr. Runs under mpirun too.
        """)

    @Option(help: "Model file (JSON).") var model: String
    @Option(help: "Data to compare with (CSV rows of 0/1 or .npy).") var data: String
    @OptionGroup var loss: LossSizeOptions<EvalLossDefaults>
    @OptionGroup var estimator: EstimatorOptions
    @Option(help: "Independent batches for the standard error.") var batches: Int = ModelEvaluation.defaultBatches
    @Option(help: "Random seed.") var seed: UInt64 = 0
    @Option(help: "Write the CSV here (atomically; '-': standard output, the default).") var out: String?

    func validate() throws {
        guard batches >= 2 else { throw ValidationError("--batches must be at least 2 (for a standard error), got \(batches)") }
        guard loss.ops >= batches else {
            throw ValidationError("--ops must be at least --batches (one string per batch): \(loss.ops) < \(batches)")
        }
    }

    func run() throws {
        let communicator = MPIRuntime.world
        do {
            try AtomicFile.checkTargets(outputs: out.map { [NamedPath("--out", $0)] } ?? [],
                                        inputs: [NamedPath("--model", model), NamedPath("--data", data)])
            let m = try ModelFile.read(path: model)
            let test = try DataFile.read(path: data, expectedWidth: m.nQubits)
            let ops = loss.ops, samples = loss.samples
            let settings = try estimator.settings(sigmas: try loss.sigmas(or: trainingSigmas(of: m) ?? [1.0]),
                                                  stringsPerSigma: ops / batches, samples: samples,
                                                  defaultWires: trainingWires(of: m))
            let grid = ProcessGrid.automatic(size: communicator.size, strings: max(1, ops / batches), samples: samples)
            try MemoryAdmission(budget: settings.memoryBudget).admit(StepMemory.needs(
                model: (m.circuit, m.kind), settings: settings,
                sizes: .init(strings: ops / batches, stringsOption: "--ops", stringsValue: "\(ops)", samples: samples,
                             samplesOption: "--samples"),
                gridColumns: grid.columns, dataSets: 1))
            let estimates = try ModelEvaluation.mmdSquared(model: m, data: test, sigmas: settings.sigmas, ops: ops,
                                                           samples: samples, seed: seed, batches: batches,
                                                           wires: settings.wires, memoryBudget: settings.memoryBudget,
                                                           estimator: settings.estimator, communicator: communicator,
                                                           grid: grid)
            if communicator.isRoot {
                var text = "sigma,mmd2,stderr\n"
                for e in estimates { text += "\(e.sigma),\(e.mmdSquared),\(e.standardError)\n" }
                try AtomicFile.write(text, to: out ?? AtomicFile.standardOutputPath)
            }
        } catch {
            CommandSupport.fail(error, communicator: communicator)
        }
        MPIRuntime.finalize()
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
