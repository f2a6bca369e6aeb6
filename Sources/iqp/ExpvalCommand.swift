import ArgumentParser
import Foundation
import IQPCore
import IQPSampler

/// `iqp expval`: <Z_a> of a model for a list of Pauli-Z strings.
struct ExpvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "expval",
        abstract: "Expectation values <Z_a> of a model for Pauli-Z strings, with standard errors.",
        discussion: """
        --ops is a data file (CSV rows of 0/1 or .npy), one Pauli-Z string per row: a 1 in column i \
        means Z on qubit i. Output: CSV with header 'expval,stderr', one line per string, on stdout \
        or to --out. The Monte Carlo estimate uses --samples uniform bitstrings (docs/math.md §2); --exact \
        computes every <Z_a> exactly by Walsh–Hadamard transforms, O(n·2ⁿ) (docs/math.md §10; the \
        2ⁿ-entry vectors, 40·2ⁿ bytes, must fit in --memory-budget). The bitflip model is always exact.
        """)

    @Option(help: "Model file (JSON).") var model: String
    @Option(help: "Pauli-Z strings, one per row (0/1).") var ops: String
    @Option(help: "Monte Carlo samples.") var samples: Int = 1000
    @Option(help: "Random seed of the samples.") var seed: UInt64 = 0
    @Flag(help: "Exact values for all strings at once (n ≤ ~26, docs/math.md §10).") var exact = false
    @Option(name: .customLong("memory-budget"), help: "With --exact: memory the 2ⁿ-entry vectors may take (e.g. 512M, 2G).")
    var memoryBudget: String = "1G"
    @Option(help: "Write the CSV here (atomically) instead of stdout.") var out: String?

    func run() throws {
        do {
            let m = try ModelFile.read(path: model)
            let strings = try DataFile.read(path: ops, expectedWidth: m.nQubits)
            var text = "expval,stderr\n"
            if exact {
                let budget = try ByteCount.parse(memoryBudget, field: "memory-budget")
                for v in try ExactExpectation.values(model: m, strings: strings, memoryBudget: budget) { text += "\(v),0\n" }
            } else {
                for v in try ExpectationEstimate.estimate(model: m, strings: strings, samples: samples, seed: seed) {
                    text += "\(v.mean),\(v.standardError)\n"
                }
            }
            if let out { try AtomicFile.write(text, to: out) } else { print(text, terminator: "") }
        } catch {
            CommandSupport.fail(error, communicator: nil)
        }
    }
}
