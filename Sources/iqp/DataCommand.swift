import ArgumentParser
import IQPCore

/// `iqp data`: generate the standard binary data sets as CSV files (one row of comma-separated
/// 0/1 per sample). Each file is written atomically (temporary file, then rename).
struct DataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data",
        abstract: "Generate binary data sets (CSV, one row of comma-separated 0/1 per sample).",
        discussion: """
            Every generator is deterministic for a given --seed: the same command writes the same \
            file on any machine and any number of cores.
            """,
        subcommands: [BarsAndStripes.self, Ising.self, Blobs.self]
    )
}

extension DataCommand {
    struct BarsAndStripes: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "bars-and-stripes",
            abstract: "Patterns drawn uniformly from the bars-and-stripes set of a rows x columns grid.",
            discussion: """
                The set holds every grid whose rows are each all 0 or all 1, and every grid whose \
                columns are each all 0 or all 1: 2^rows + 2^columns - 2 distinct patterns. Bit \
                r*columns + c is cell (r, c).
                """
        )

        @Option(help: "Grid rows (1-30).") var rows: Int = 4
        @Option(help: "Grid columns (1-30).") var columns: Int = 4
        @Option(help: "Number of samples.") var count: Int
        @Option(help: "Random seed.") var seed: UInt64
        @Option(help: "Output CSV file.") var out: String

        func validate() throws {
            guard count >= 0 else { throw ValidationError("--count must be at least 0, got \(count)") }
        }

        func run() throws {
            let set = try IQPCore.BarsAndStripes(rows: rows, columns: columns)
            try DataFile.write(set.sample(count: count, seed: seed), to: out)
            writeToStandardError("wrote \(count) rows of \(set.bitCount) bits to \(out)\n")
        }
    }

    struct Ising: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ising",
            abstract: "Metropolis samples of an Ising model on a lattice or a graph.",
            discussion: """
                Energy E(s) = -sum_(i,j in edges) J_ij s_i s_j - sum_i b_i s_i with spins s = +-1, \
                p(s) ~ exp(-E/T), written as bits x = (1 + s)/2. Couplings J_ij = U(0, coupling) \
                on every edge, drawn from the seed. A sweep is one proposed single-spin flip per \
                spin; each chain discards --burn-in sweeps, then keeps one sample every --thin \
                sweeps. After every sweep a flip of all spins is proposed (Metropolis, so the target \
                is unchanged) unless --no-global-flips; without it, chains at low temperature stay \
                in the ordered sector they start in. Rows are shuffled across chains; with --test-count the first --count rows \
                go to --out and the next --test-count rows to --test-out.

                The study's sets: 4x4 lattice (ising-4x4): --lattice 4x4 --coupling 2 \
                --temperature 3 --burn-in 50000 --thin 14 --chains 8. 1000-node scale-free graph: \
                --graph graph.adjlist --coupling 1 --bias-per-degree -0.01 --temperature 1 \
                --burn-in 10000 --thin 200 --chains 8 --count 20000 --test-count 20000.
                """
        )

        @Option(help: ArgumentHelp("Periodic lattice LxW (LxW:open for open boundaries).", valueName: "LxW"))
        var lattice: String?
        @Option(help: ArgumentHelp("Graph in networkx adjacency-list format.", valueName: "file"))
        var graph: String?
        @Option(parsing: .unconditional, help: "Coupling scale c: J_ij ~ U(0, c).") var coupling: Double = 1
        @Option(parsing: .unconditional, help: "Constant bias b_i on every spin (default 0).") var bias: Double?
        @Option(parsing: .unconditional, help: ArgumentHelp("Bias b_i = w * degree(i).", valueName: "w"))
        var biasPerDegree: Double?
        @Option(help: "Temperature T.") var temperature: Double = 1
        @Option(help: ArgumentHelp("Burn-in sweeps per chain.", valueName: "sweeps")) var burnIn: Int = 10_000
        @Option(help: ArgumentHelp("Sweeps between kept samples.", valueName: "sweeps")) var thin: Int = 20
        @Option(help: "Independent Markov chains (run in parallel).") var chains: Int = 8
        @Flag(inversion: .prefixedNo, help: "Propose a flip of all spins after every sweep (same target, mixes ordered phases).")
        var globalFlips = true
        @Option(help: "Number of samples written to --out.") var count: Int
        @Option(help: "Number of further samples written to --test-out.") var testCount: Int = 0
        @Option(help: ArgumentHelp("Output CSV file of the test samples.", valueName: "file")) var testOut: String?
        @Option(help: "Random seed (couplings and chains).") var seed: UInt64
        @Option(help: "Output CSV file.") var out: String

        func validate() throws {
            guard (lattice == nil) != (graph == nil) else {
                throw ValidationError("give exactly one of --lattice and --graph")
            }
            guard bias == nil || biasPerDegree == nil else {
                throw ValidationError("give at most one of --bias and --bias-per-degree")
            }
            guard count >= 0 else { throw ValidationError("--count must be at least 0, got \(count)") }
            guard testCount >= 0 else { throw ValidationError("--test-count must be at least 0, got \(testCount)") }
            guard (testCount > 0) == (testOut != nil) else {
                throw ValidationError("--test-count and --test-out go together")
            }
            guard temperature > 0 && temperature.isFinite else {
                throw ValidationError("--temperature must be positive, got \(temperature)")
            }
            guard burnIn >= 0 else { throw ValidationError("--burn-in must be at least 0, got \(burnIn)") }
            guard thin >= 1 else { throw ValidationError("--thin must be at least 1, got \(thin)") }
            guard chains >= 1 else { throw ValidationError("--chains must be at least 1, got \(chains)") }
            if let lattice { _ = try IQPCore.Graph.lattice(spec: lattice) }
        }

        func run() throws {
            let g = try lattice.map { try IQPCore.Graph.lattice(spec: $0) } ?? GraphFile.read(path: graph!)
            let biasSpec: IsingBias = biasPerDegree.map { .perDegree($0) } ?? .constant(bias ?? 0)
            let model = try IsingModel.random(graph: g, couplingScale: coupling, bias: biasSpec,
                                              temperature: temperature, seed: seed)
            let sampler = try MetropolisSampler(burnInSweeps: burnIn, thinningSweeps: thin, chains: chains,
                                                globalFlips: globalFlips)
            let samples = sampler.sample(model, count: count + testCount, seed: seed)
            try DataFile.write(samples.rows(0..<count), to: out)
            writeToStandardError("wrote \(count) rows of \(g.nodeCount) bits to \(out)\n")
            if let testOut {
                try DataFile.write(samples.rows(count..<samples.rows), to: testOut)
                writeToStandardError("wrote \(testCount) rows of \(g.nodeCount) bits to \(testOut)\n")
            }
        }
    }

    struct Blobs: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "blobs",
            abstract: "Noisy copies of a few fixed peak patterns.",
            discussion: """
                Each sample is a peak chosen uniformly with every bit flipped independently with \
                probability --noise. The peaks come from --peaks (CSV, one pattern per line, all \
                -1/1 spins with spin s as bit (1 + s)/2, or all 0/1 bits; e.g. \
                16_spins_8_blobs_peak_spins.csv of the blobs-8 set) or, without it, are 8 distinct \
                random 16-bit (4x4) patterns drawn from the seed.
                """
        )

        @Option(help: ArgumentHelp("CSV file of peak patterns.", valueName: "file")) var peaks: String?
        @Option(help: "Number of samples.") var count: Int = 5000
        @Option(help: "Probability of flipping each bit.") var noise: Double = 0.05
        @Option(help: "Random seed.") var seed: UInt64
        @Option(help: "Output CSV file.") var out: String

        func validate() throws {
            guard count >= 0 else { throw ValidationError("--count must be at least 0, got \(count)") }
            guard noise >= 0 && noise <= 1 else { throw ValidationError("--noise must be in [0, 1], got \(noise)") }
        }

        func run() throws {
            let patterns = try peaks.map { try IQPCore.Blobs.readPeaks(path: $0) } ?? IQPCore.Blobs.randomPatterns(seed: seed)
            let blobs = try IQPCore.Blobs(patterns: patterns, noise: noise)
            try DataFile.write(blobs.sample(count: count, seed: seed), to: out)
            writeToStandardError("wrote \(count) rows of \(patterns.columns) bits to \(out)\n")
        }
    }
}
