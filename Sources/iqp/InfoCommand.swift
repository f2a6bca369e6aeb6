import ArgumentParser
import IQPMPI

/// `iqp info`: what this binary was built with and the machine it runs on; its subcommands
/// lay out, check and measure the ranks of a job.
struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Print the versions, MPI rank count, BLAS, CPU target of this build and the inner loops' variant; lay out, check and measure a job's ranks.",
        discussion: """
            Run it as the job would run: `iqp info` alone is one rank; `mpirun -np 4 iqp info` \
            reports 4 ranks (only rank 0 prints). The subcommands show the process grid `iqp \
            train` would use (`grid`), check every collective on this job's ranks \
            (`check-collectives`), time them (`measure-collectives`) and predict a step's time \
            on 1…1024 ranks (`predict-scaling`; docs/distributed.md).
            """,
        subcommands: [InfoGridCommand.self, CheckCollectivesCommand.self, MeasureCollectivesCommand.self,
                      PredictScalingCommand.self, InjectFaultCommand.self]
    )

    func run() throws {
        let world = MPIRuntime.world
        if world.isRoot { print(MachineReport.lines(layingOut: nil).joined(separator: "\n")) }
        MPIRuntime.finalize()
    }
}
