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
    @Option(name: .customLong("memory-budget"),
            help: "Memory budget of the samples and estimator work, or with --exact of the 2ⁿ-entry vectors (e.g. 512M, 2G); larger sizes are refused.")
    var memoryBudget = "1G"
    @Option(help: "Write the CSV here (atomically; '-': standard output, the default).") var out: String?

    func validate() throws {
        guard samples >= 2 else { throw ValidationError("--samples must be at least 2 (for a standard error), got \(samples)") }
        try CommandSupport.usage { _ = try ByteCount.parse(memoryBudget, field: "memory-budget") }
    }

    func run() throws {
        do {
            try AtomicFile.checkTargets(outputs: out.map { [NamedPath("--out", $0)] } ?? [],
                                        inputs: [NamedPath("--model", model), NamedPath("--ops", ops)])
            let m = try ModelFile.read(path: model)
            let strings = try DataFile.read(path: ops, expectedWidth: m.nQubits)
            let budget = try ByteCount.parse(memoryBudget, field: "memory-budget")
            if !exact {
                let settings = LossSettings(sigmas: [1], stringsPerSigma: strings.rows, samples: samples, memoryBudget: budget)
                try MemoryAdmission(budget: budget).admit(StepMemory.needs(
                    model: (m.circuit, m.kind), settings: settings,
                    sizes: .init(strings: strings.rows, stringsOption: "--ops", stringsValue: ops, samples: samples,
                                 samplesOption: "--samples"),
                    gridColumns: 1, dataSets: 1))
            }
            var text = "expval,stderr\n"
            if exact {
                let values = try ExactExpectation.values(model: m, strings: strings, memoryBudget: budget)
                try FiniteResult.check(values, name: { "<Z> of string \($0 + 1) (\(ops))" }, model: m, modelFile: model)
                for v in values { text += "\(v),0\n" }
            } else {
                let values = try ExpectationEstimate.estimate(model: m, strings: strings, samples: samples, seed: seed,
                                                              memoryBudget: budget)
                try FiniteResult.check(values.flatMap { [$0.mean, $0.standardError] },
                                       name: { "<Z> of string \($0 / 2 + 1) (\(ops))" + ($0 % 2 == 1 ? ", its standard error," : "") },
                                       model: m, modelFile: model)
                for v in values { text += "\(v.mean),\(v.standardError)\n" }
            }
            try AtomicFile.write(text, to: out ?? AtomicFile.standardOutputPath)
        } catch {
            CommandSupport.fail(error, communicator: nil)
        }
    }
}
