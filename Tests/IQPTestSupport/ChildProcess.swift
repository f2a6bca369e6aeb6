import Foundation

/// What the end-to-end tests need to start `iqp` (and `mpirun`) as a user would.
public enum ChildProcess {
    /// The built `iqp` binary next to the test bundle (`<products>/iqp-trainerPackageTests.xctest`
    /// is an executable on Linux), or `$IQP_BIN`.
    public static var iqpBinary: String {
        if let path = ProcessInfo.processInfo.environment["IQP_BIN"] { return path }
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var dir = bundle.deletingLastPathComponent()
        if dir.lastPathComponent == "MacOS" { dir = dir.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent() }
        return dir.appendingPathComponent("iqp").path
    }

    /// This process's environment without the launcher variables that a singleton `MPI_Init`
    /// in the test process set (`PMIX_*`, `OMPI_*`, `PMI_*`; other test targets initialise
    /// MPI): a child started with them would try to join this process's MPI job instead of
    /// starting its own.
    public static func cleanEnvironment() -> [String: String] {
        ProcessInfo.processInfo.environment.filter { key, _ in
            !key.hasPrefix("PMIX_") && !key.hasPrefix("OMPI_") && !key.hasPrefix("PMI_")
        }
    }
}
