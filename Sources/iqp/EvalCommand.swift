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
        The --ops strings of each σ are split into --batches independent batches (each with its own \
        strings and --samples samples); the estimate is the batch mean and the standard error the \
        batch spread / √batches. Output CSV: sigma,mmd2,stderr. Runs under mpirun too.
        """)

    @Option(help: "Model file (JSON).") var model: String
    @Option(help: "Data to compare with (CSV rows of 0/1 or .npy).") var data: String
    @Option(help: "Bandwidths σ, comma-separated (default: the model's training σ, else 1.0).") var sigma: String?
    @Option(help: "Pauli strings per σ.") var ops: Int = 3000
    @Option(help: "Monte Carlo samples per batch.") var samples: Int = 3000
    @Option(help: "Independent batches for the standard error.") var batches: Int = 10
    @Option(help: "Random seed.") var seed: UInt64 = 0
    @Option(help: "Write the CSV here (atomically) instead of stdout.") var out: String?

    func run() throws {
        let communicator = MPIRuntime.world
        do {
            let m = try ModelFile.read(path: model)
            let test = try DataFile.read(path: data, expectedWidth: m.nQubits)
            var sigmas: [Double] = [1.0]
            if let sigma { sigmas = try CommandSupport.doubles(sigma, option: "--sigma") }
            else if case .array(let values)? = m.metadata["training"]?["sigma"] {
                sigmas = values.compactMap { if case .number(let x) = $0 { return x } else { return nil } }
            }
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
}
