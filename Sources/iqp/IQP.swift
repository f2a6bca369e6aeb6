import ArgumentParser
import IQPCore

/// The `iqp` command: a thin layer over the library (no numerics here).
@main
struct IQP: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "iqp",
        abstract: "Train IQP quantum generative models with the MMD² loss, on one process or many (MPI).",
        version: VersionReport.text,
        subcommands: [
            TrainCommand.self, ExpvalCommand.self, EvalCommand.self, DataCommand.self, InfoCommand.self,
            ServeCommand.self, SampleCommand.self, SimulatorBenchCommand.self,
            BenchCommand.self,
            PlotCommand.self,
            ExportCommand.self,
        ]
    )
}
