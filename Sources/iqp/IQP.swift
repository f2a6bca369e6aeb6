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
            TrainCommand.self, TuneCommand.self, ExpvalCommand.self, EvalCommand.self, DataCommand.self, InfoCommand.self,
            ServeCommand.self, SampleCommand.self, SimulatorBenchCommand.self,
            BenchCommand.self, BLASCommand.self,
            PlotCommand.self, DiagnoseCommand.self,
            ExportCommand.self,
        ]
    )

    /// Parses and runs a command; every error ends the same way (`ErrorReport`: one line
    /// `iqp: error: …`, exit status 1 for a failed run, 64 for a wrong command line).
    static func main() async {
        var arguments = CommandLineArguments.joiningNegativeValues(Array(CommandLine.arguments.dropFirst()))
        do {
            // iqp train: the run file's and the checkpoint's settings under the command line's.
            if arguments.first == "train" { arguments = ["train"] + (try TrainArguments.resolve(Array(arguments.dropFirst()))) }
            var command = try parseAsRoot(arguments)
            // Compute commands reuse their large buffers between steps; the service gives memory back.
            if !(command is ServeCommand) { LargeAllocations.keepInProcess() }
            // The inner loops' instruction-set variant: IQP_KERNELS, else the best the CPU runs.
            try KernelVariant.selectFromEnvironment()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            ErrorReport.exit(error)
        }
    }
}
