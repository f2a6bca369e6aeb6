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
        Output CSV: sigma,mmd2,stderr. Runs under mpirun too.
        """)

    @Option(help: "Model file (JSON).") var model: String
    @Option(help: "Data to compare with (CSV rows of 0/1 or .npy).") var data: String
    @OptionGroup var loss: LossSizeOptions<EvalLossDefaults>
    @Option(help: "Independent batches for the standard error.") var batches: Int = 10
    @Option(help: "Random seed.") var seed: UInt64 = 0
    @Option(help: "Write the CSV here (atomically) instead of stdout.") var out: String?

    func run() throws {
        let communicator = MPIRuntime.world
        do {
            let m = try ModelFile.read(path: model)
            let test = try DataFile.read(path: data, expectedWidth: m.nQubits)
            let sigmas = try loss.sigmas(or: trainingSigmas(of: m) ?? [1.0])
            if loss.sigma == nil, trainingSigmas(of: m) == nil, communicator.isRoot {
                writeToStandardError("iqp eval: σ = 1.0 (default: \(model) records no training σ; choose with --sigma)\n")
            }
            let ops = loss.ops, samples = loss.samples
            let grid = ProcessGrid.automatic(size: communicator.size, strings: max(1, ops / max(1, batches)), samples: samples)
            let estimates = try ModelEvaluation.mmdSquared(model: m, data: test, sigmas: sigmas, ops: ops, samples: samples,
                                                           seed: seed, batches: batches, communicator: communicator,
                                                           grid: grid)
            if communicator.isRoot {
                var text = "sigma,mmd2,stderr\n"
                for e in estimates { text += "\(e.sigma),\(e.mmdSquared),\(e.standardError)\n" }
                if let out { try AtomicFile.write(text, to: out) } else { print(text, terminator: "") }
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
}
