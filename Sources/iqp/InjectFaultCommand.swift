import ArgumentParser
import Foundation
import IQPMPI

/// `iqp info inject-fault` (hidden; Tests/IQPDistributedTests/InfoCommandTests): one rank
/// dies (SIGKILL) or calls MPI_Abort before the collective check, to see that the job ends
/// instead of hanging (docs/distributed.md, "Failures").
struct InjectFaultCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inject-fault",
        abstract: "Test hook: one rank fails before the collective check.",
        shouldDisplay: false
    )

    @Option(help: "This rank kills itself with SIGKILL before the collective check.")
    var killRank: Int?

    @Option(help: "This rank calls MPI_Abort (exit status 3) before the collective check.")
    var abortRank: Int?

    func validate() throws {
        if (killRank == nil) == (abortRank == nil) { throw ValidationError("give --kill-rank or --abort-rank") }
    }

    func run() throws {
        let world = MPIRuntime.world
        if world.rank == killRank { kill(getpid(), SIGKILL) }
        if world.rank == abortRank { world.abort("--abort-rank \(world.rank) was given", code: 3) }
        try CheckCollectivesCommand.check(grid: nil)
    }
}
