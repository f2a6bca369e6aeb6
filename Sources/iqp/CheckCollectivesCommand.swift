import ArgumentParser
import Foundation
import IQPCore
import IQPMPI

/// `iqp info check-collectives`: every collective the trainer uses, on this job's ranks, with
/// exact expected values (`IQPMPI.CommunicatorSelfTest`).
struct CheckCollectivesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-collectives",
        abstract: "Run every collective on the ranks of this job and check the results.",
        discussion: """
            Runs every collective the trainer uses on the ranks of this job with exact expected \
            values (sums, maxima, broadcasts, gathers, reduce-scatter, allgather and, with a \
            grid, its row and column sub-communicators) and exits non-zero if any rank got a \
            wrong value: a quick check that a cluster's MPI works before a long run \
            (`mpirun -np 8 iqp info check-collectives`).
            """
    )

    @OptionGroup var layout: GridOptions

    func run() throws {
        let grid = try layout.layoutOnEveryRank(size: MPIRuntime.world.size)
        try Self.check(grid: grid, gridLines: grid.map(layout.lines) ?? [])
    }

    /// Root prints the machine report, then every rank runs the check; exits 1 if any value
    /// was wrong.
    static func check(grid: ProcessGrid?, gridLines: [String] = []) throws {
        let world = MPIRuntime.world
        if world.isRoot { print((MachineReport.lines(layingOut: nil) + gridLines).joined(separator: "\n")) }
        let outcome = CommunicatorSelfTest.run(on: world, grid: grid)
        for failure in outcome.localFailures { writeToStandardError("iqp: \(failure)\n") }
        let failed = outcome.totalFailures > 0
        if world.isRoot {
            print(failed
                  ? "collectives: \(outcome.totalFailures) check(s) FAILED on \(world.size) ranks"
                  : "collectives: ok on \(world.size) ranks (allreduce, reduce, broadcast, gather, reduce-scatter, allgather, split, barrier)")
        }
        MPIRuntime.finalize()
        if failed { throw ExitCode(1) }
    }
}
