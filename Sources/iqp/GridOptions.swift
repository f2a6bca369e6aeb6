import ArgumentParser
import IQPCore
import IQPMPI

/// The process grid of `iqp info grid` and `iqp info check-collectives`: given (`--grid`) or
/// the one `iqp train` chooses for `--ops` strings and `--samples` samples.
struct GridOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Process grid ROWSxCOLUMNS (op groups x sample groups) to lay out.", valueName: "grid"))
    var grid: String?

    @Option(help: "Pauli strings per step (all bandwidths), for the automatic grid and the blocks.")
    var ops: Int?

    @Option(help: "Model samples per step, for the automatic grid and the blocks.")
    var samples: Int?

    func validate() throws {
        if let ops, ops < 1 { throw ValidationError("--ops must be at least 1, not \(ops)") }
        if let samples, samples < 1 { throw ValidationError("--samples must be at least 1, not \(samples)") }
        if (ops == nil) != (samples == nil) { throw ValidationError("give --ops and --samples together") }
    }

    /// The grid on `size` ranks, nil when neither `--grid` nor `--ops`/`--samples` is given.
    func layout(size: Int) throws -> ProcessGrid? {
        if let grid { return try ProcessGrid.parse(grid, size: size) }
        if let ops, let samples { return ProcessGrid.automatic(size: size, strings: ops, samples: samples) }
        return nil
    }

    /// `layout(size:)` on every rank of the job, so a bad `--grid` fails the same way
    /// everywhere: only root throws the reason, the other ranks exit with status 1.
    func layoutOnEveryRank(size: Int) throws -> ProcessGrid? {
        do {
            return try layout(size: size)
        } catch {
            MPIRuntime.finalize()
            if MPIRuntime.world.isRoot { throw error }
            throw ExitCode.failure
        }
    }

    /// "grid: 2x2 = …" and, with `--ops`/`--samples`, every rank's block (the first 16).
    func lines(_ layout: ProcessGrid) -> [String] {
        let how = grid != nil ? "from --grid" : "automatic for \(ops!) strings, \(samples!) samples"
        var lines = ["grid: \(layout) = \(layout.rows) op group(s) x \(layout.columns) sample group(s) (\(how))"]
        guard let ops, let samples else { return lines }
        let shown = min(layout.size, 16)
        for rank in 0..<shown {
            let (row, column) = layout.coordinates(of: rank)
            let strings = layout.stringBlock(of: rank, strings: ops)
            let sampleRange = layout.sampleBlock(of: rank, samples: samples)
            lines.append("  rank \(rank) (\(row),\(column)): strings \(strings.lowerBound)..<\(strings.upperBound), "
                         + "samples \(sampleRange.lowerBound)..<\(sampleRange.upperBound)")
        }
        if layout.size > shown { lines.append("  … \(layout.size - shown) more ranks") }
        return lines
    }
}
