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

    /// Runs `executable` with `arguments` in `directory` and this process's clean environment
    /// plus `environment`, less the variables in `removing`; returns its exit status and its
    /// stdout and stderr together.
    public static func run(_ executable: String, _ arguments: [String], in directory: URL,
                           environment: [String: String] = [:], removing: [String] = []) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var env = cleanEnvironment().merging(environment) { $1 }
        for key in removing { env[key] = nil }
        process.environment = env
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
