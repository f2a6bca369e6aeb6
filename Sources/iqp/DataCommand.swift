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

    /// An output path as progress messages name it ("standard output" for `-`).
    static func place(_ path: String) -> String { AtomicFile.isStandardOutput(path) ? "standard output" : path }

    /// Admits `rows` (+ `testRows`) generated rows of `bits` bits (`copies` of them held at
    /// once) and the `extra` needs against the automatic memory budget (`MemoryAdmission`).
    static func admit(rows: Int, bits: Int, copies: Double = 1, testRows: Int = 0,
                      extra: [MemoryAdmission.Need] = []) throws {
        let bytesPerRow = 8 * Double(max(1, (bits + 63) / 64)) * copies
        var needs = [MemoryAdmission.Need("--count", value: rows, what: "rows of \(bits) bits",
                                          count: Double(rows), bytesEach: bytesPerRow)]
        if testRows > 0 {
            needs.append(MemoryAdmission.Need("--test-count", value: testRows, what: "test rows of \(bits) bits",
                                              count: Double(testRows), bytesEach: bytesPerRow))
        }
        try MemoryAdmission.automatic().admit(needs + extra)
    }
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
        @Option(help: "Random seed (as in iqp train, 0 unless given).") var seed: UInt64 = 0
        @Option(help: "Output CSV file.") var out: String

        func validate() throws {
            guard count >= 1 else { throw ValidationError("--count must be at least 1, got \(count)") }
            try CommandSupport.usage { _ = try IQPCore.BarsAndStripes(rows: rows, columns: columns) }
        }

        func run() throws {
            try AtomicFile.checkTargets(outputs: [NamedPath("--out", out)], inputs: [])
            let set = try IQPCore.BarsAndStripes(rows: rows, columns: columns)
            try DataCommand.admit(rows: count, bits: set.bitCount)
            try DataFile.write(set.sample(count: count, seed: seed), to: out)
            writeToStandardError("wrote \(count) rows of \(set.bitCount) bits to \(DataCommand.place(out))\n")
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

                --couplings FILE takes the graph and J_ij from a networkx weighted edge list \
                (lines 'i j J_ij'), --bias-file FILE the b_i (one per line, node order; their count \
                is the number of spins), so a given model can be sampled.

                The study's sets: 4x4 lattice (ising-4x4): --lattice 4x4 --coupling 2 \
                --temperature 3 --burn-in 50000 --thin 14 --chains 8. The study's chains made no \
                global flips: its 1000-node scale-free data (and the shipped surrogate, \
                launch/datasets/scale-free-1000) come from --couplings couplings.txt \
                --bias-file bias.txt --temperature 1 --burn-in 10000 --thin 200 --chains 8 \
                --no-global-flips --count 20000 --test-count 20000.
                """
        )

        @Option(help: ArgumentHelp("Periodic lattice LxW (LxW:open for open boundaries).", valueName: "LxW"))
        var lattice: String?
        @Option(help: ArgumentHelp("Graph in networkx adjacency-list format.", valueName: "file"))
        var graph: String?
        @Option(help: ArgumentHelp("Couplings from a networkx weighted edge list (i j J_ij per line).", valueName: "file"))
        var couplings: String?
        @Option(help: ArgumentHelp("Biases b_i from a file, one per line in node order.", valueName: "file"))
        var biasFile: String?
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
        @Option(help: "Random seed of the couplings and chains (as in iqp train, 0 unless given).") var seed: UInt64 = 0
        @Option(help: "Output CSV file.") var out: String

        func validate() throws {
            guard [lattice, graph, couplings].compactMap({ $0 }).count == 1 else {
                throw ValidationError("give exactly one of --lattice, --graph and --couplings")
            }
            guard [bias != nil, biasPerDegree != nil, biasFile != nil].filter({ $0 }).count <= 1 else {
                throw ValidationError("give at most one of --bias, --bias-per-degree and --bias-file")
            }
            guard count >= 1 else { throw ValidationError("--count must be at least 1, got \(count)") }
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
            // The spec's form is a usage error (64), checked without building the lattice.
            if let lattice { try CommandSupport.usage { _ = try IQPCore.Graph.latticeShape(spec: lattice) } }
        }

        func run() throws {
            let inputs = [("--graph", graph), ("--couplings", couplings), ("--bias-file", biasFile)]
                .compactMap { option, path in path.map { NamedPath(option, $0) } }
            try AtomicFile.checkTargets(outputs: [NamedPath("--out", out)] + (testOut.map { [NamedPath("--test-out", $0)] } ?? []),
                                        inputs: inputs)
            let model = try isingModel()
            // The chains' rows, their concatenation and the shuffled copy; each chain's spins and fields.
            try DataCommand.admit(rows: count, bits: model.nodeCount, copies: 3, testRows: testCount, extra: [
                MemoryAdmission.Need("--chains", value: chains, what: "Markov chains of \(model.nodeCount) spins",
                                     count: Double(chains), bytesEach: 16 * Double(model.nodeCount) + 256)])
            let sampler = try MetropolisSampler(burnInSweeps: burnIn, thinningSweeps: thin, chains: chains,
                                                globalFlips: globalFlips)
            let samples = sampler.sample(model, count: count + testCount, seed: seed)
            try DataFile.write(samples.rows(0..<count), to: out)
            writeToStandardError("wrote \(count) rows of \(model.nodeCount) bits to \(DataCommand.place(out))\n")
            if let testOut {
                try DataFile.write(samples.rows(count..<samples.rows), to: testOut)
                writeToStandardError("wrote \(testCount) rows of \(model.nodeCount) bits to \(DataCommand.place(testOut))\n")
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
        @Option(help: "Random seed (as in iqp train, 0 unless given).") var seed: UInt64 = 0
        @Option(help: "Output CSV file.") var out: String

        func validate() throws {
            guard count >= 1 else { throw ValidationError("--count must be at least 1, got \(count)") }
            guard noise >= 0 && noise <= 1 else { throw ValidationError("--noise must be in [0, 1], got \(noise)") }
        }

        func run() throws {
            try AtomicFile.checkTargets(outputs: [NamedPath("--out", out)], inputs: peaks.map { [NamedPath("--peaks", $0)] } ?? [])
            let patterns = try peaks.map { try IQPCore.Blobs.readPeaks(path: $0) } ?? IQPCore.Blobs.randomPatterns(seed: seed)
            let blobs = try IQPCore.Blobs(patterns: patterns, noise: noise)
            try DataCommand.admit(rows: count, bits: patterns.columns)
            try DataFile.write(blobs.sample(count: count, seed: seed), to: out)
            writeToStandardError("wrote \(count) rows of \(patterns.columns) bits to \(DataCommand.place(out))\n")
        }
    }
}
