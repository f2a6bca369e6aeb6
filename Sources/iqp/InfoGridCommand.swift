import ArgumentParser
import IQPCore
import IQPMPI

/// `iqp info grid`: how a job's ranks split the strings and samples of a step.
struct InfoGridCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grid",
        abstract: "Show the process grid and every rank's block of Pauli strings and samples.",
        discussion: """
            With --ops and --samples it shows the grid `iqp train` would choose automatically \
            (docs/distributed.md) and every rank's block of strings and samples; --grid shows a \
            grid of your choice instead. It lays out the ranks of this job (`mpirun -np 4 iqp \
            info grid …`); --ranks previews another rank count without starting that many \
            processes.
            """
    )

    @OptionGroup var layout: GridOptions

    @Option(help: "Lay out this many ranks instead of the ranks of this job.")
    var ranks: Int?

    /// The most ranks --ranks lays out (about a million: far beyond any MPI job it previews).
    static let maxRanks = 1 << 20

    func validate() throws {
        if let ranks, !(1...Self.maxRanks).contains(ranks) {
            throw ValidationError("--ranks must be 1…\(Self.maxRanks), not \(ranks)")
        }
        if layout.grid == nil && layout.ops == nil { throw ValidationError("give --ops and --samples, or --grid") }
        // With --ranks the grid is checked against it here: a mismatch is a usage error (64).
        if let ranks, let grid = layout.grid {
            try CommandSupport.usage { try ProcessGrid.parse(grid, size: ranks) }
        }
    }

    func run() throws {
        let world = MPIRuntime.world
        let grid = try layout.layoutOnEveryRank(size: ranks ?? world.size)
        if world.isRoot, let grid {
            print(([MachineReport.rankLine(layingOut: ranks)] + layout.lines(grid)).joined(separator: "\n"))
        }
        MPIRuntime.finalize()
    }
}
