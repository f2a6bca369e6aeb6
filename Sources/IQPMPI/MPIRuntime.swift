import CMPI
import Foundation
import IQPCore

/// The process's MPI library: initialised once, on first use of `world`, and finalised once
/// by `finalize()` at normal exit.
///
/// Started without `mpirun`, `MPI_Init_thread` runs as a singleton: one rank, size 1 (checked
/// with Open MPI 4.1.4 on Debian 12, as root too). Started by `mpirun`/`srun`, every process is
/// one rank of `MPI_COMM_WORLD`.
///
/// Thread level: `MPI_THREAD_SERIALIZED`. The trainer makes its MPI calls from one task at a
/// time, but Swift concurrency may resume that task on another thread after an `await`, so
/// the calls are serialised rather than funnelled through the main thread. Open MPI gives
/// this level at no extra cost (it only takes locks for `MPI_THREAD_MULTIPLE`).
///
/// Errors: `MPI_COMM_WORLD` keeps `MPI_ERRORS_ARE_FATAL` (set explicitly), so an MPI error on
/// any rank, or a peer that died, ends the whole job instead of returning an error code.
public enum MPIRuntime {
    /// The world communicator. The first access initialises MPI (unless something else in
    /// the process already did); later accesses return the same object.
    public static var world: MPICommunicator { state.world }

    /// Whether `MPI_Init`/`MPI_Init_thread` has been called in this process.
    public static var isInitialized: Bool {
        var flag: Int32 = 0
        MPI_Initialized(&flag)
        return flag != 0
    }

    /// Whether `MPI_Finalize` has been called in this process.
    public static var isFinalized: Bool {
        var flag: Int32 = 0
        MPI_Finalized(&flag)
        return flag != 0
    }

    /// The thread level MPI granted (initialises MPI).
    public static var threadLevel: Int32 { state.providedThreadLevel }

    /// Whether the granted thread level allows serialised calls from any thread.
    public static var threadLevelIsSufficient: Bool { threadLevel >= iqp_mpi_thread_serialized() }

    /// Ends MPI at a normal exit (after the last collective on every rank). Does nothing if
    /// MPI was never initialised or is already finalised. Never call it in tests: MPI cannot
    /// be initialised again in the same process.
    public static func finalize() {
        guard isInitialized, !isFinalized else { return }
        MPI_Finalize()
    }

    /// The MPI library's own version text (`MPI_Get_library_version`, first line), e.g.
    /// `Open MPI v4.1.4, package: Debian OpenMPI, ident: 4.1.4, repo rev: v4.1.4, May 26, 2022`.
    /// Legal before `MPI_Init`, so `iqp --version` does not start MPI.
    public static var libraryVersion: String {
        var buffer = [CChar](repeating: 0, count: Int(iqp_mpi_max_library_version_string()) + 1)
        var length: Int32 = 0
        let status = buffer.withUnsafeMutableBufferPointer { MPI_Get_library_version($0.baseAddress, &length) }
        guard status == iqp_mpi_success() else { return "unknown MPI library" }
        let text = String(decoding: buffer.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let firstLine = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? text
        return firstLine.trimmingCharacters(in: .whitespacesAndNewlines.union(CharacterSet(charactersIn: "\0")))
    }

    /// The MPI standard version the library implements, e.g. `3.1` (legal before `MPI_Init`).
    public static var standardVersion: String {
        var major: Int32 = 0, minor: Int32 = 0
        MPI_Get_version(&major, &minor)
        return "\(major).\(minor)"
    }

    /// Whether this process was started by a launcher (`mpirun`/`mpiexec`, or `srun` with
    /// PMI/PMIx): the environment said so before `MPI_Init` (`OMPI_COMM_WORLD_SIZE`,
    /// `PMIX_RANK`, `PMI_RANK` or `PMI_SIZE`), or the world has more than one rank. A singleton
    /// (the dry run) gives false, although its `MPI_Init` then sets `PMIX_*` variables itself.
    public static var isUnderLauncher: Bool {
        state.launcherEnvironment || state.world.size > 1
    }

    /// Whether the current environment carries a launcher's variables.
    static func environmentNamesLauncher() -> Bool {
        let environment = ProcessInfo.processInfo.environment
        return ["OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE"].contains { environment[$0] != nil }
    }

    // MARK: - One-time initialisation

    private struct State: @unchecked Sendable {
        // Safe: built once inside Swift's thread-safe lazy initialisation of a static `let`,
        // immutable afterwards (MPICommunicator itself only holds immutable handles).
        let world: MPICommunicator
        let providedThreadLevel: Int32
        let launcherEnvironment: Bool
    }

    private static let state: State = {
        var provided: Int32 = 0
        // Read before MPI_Init_thread, which sets PMIX_* variables even in a singleton.
        let launcherEnvironment = isInitialized
            ? ProcessInfo.processInfo.environment["OMPI_COMM_WORLD_SIZE"] != nil
            : environmentNamesLauncher()
        if !isInitialized {
            let status = MPI_Init_thread(nil, nil, iqp_mpi_thread_serialized(), &provided)
            if status != iqp_mpi_success() {
                writeToStandardError("iqp: error: MPI_Init_thread failed: \(mpiErrorString(status))\n")
                exit(1)
            }
        } else {
            MPI_Query_thread(&provided)
        }
        MPI_Comm_set_errhandler(iqp_mpi_comm_world(), iqp_mpi_errors_are_fatal())
        var worldRank: Int32 = 0
        MPI_Comm_rank(iqp_mpi_comm_world(), &worldRank)
        let world = MPICommunicator(handle: iqp_mpi_comm_world(), worldRank: Int(worldRank))
        return State(world: world, providedThreadLevel: provided, launcherEnvironment: launcherEnvironment)
    }()
}

/// The text MPI gives for an error code.
func mpiErrorString(_ code: Int32) -> String {
    var buffer = [CChar](repeating: 0, count: Int(iqp_mpi_max_error_string()) + 1)
    var length: Int32 = 0
    buffer.withUnsafeMutableBufferPointer { _ = MPI_Error_string(code, $0.baseAddress, &length) }
    return String(decoding: buffer.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
