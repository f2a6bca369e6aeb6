import Foundation
import Synchronization

/// The first watched signal caught in this process (0: none). Written by `stopSignalHandler`
/// (lock-free, async-signal-safe), read by `StopRequest`.
private let caughtSignal = Atomic<Int32>(0)

/// The handler of the watched signals: the first one is recorded; a second one restores the
/// default action and re-raises, so the process ends the default way.
private func stopSignalHandler(_ number: Int32) {
    let (exchanged, _) = caughtSignal.compareExchange(expected: 0, desired: number, ordering: .sequentiallyConsistent)
    if !exchanged {
        signal(number, SIG_DFL)
        raise(number)
    } else if number == SIGINT {
        // Ctrl-C: say at once what happens (write(2) is async-signal-safe; the text is static).
        interruptNotice.withUnsafeBufferPointer { _ = write(2, $0.baseAddress, $0.count) }
    }
}

/// What the first Ctrl-C prints on standard error.
private let interruptNotice: [UInt8] = Array(
    "\niqp train: Ctrl-C: stopping after this step and writing the checkpoint (Ctrl-C again to stop at once)\n".utf8)

/// A request to stop training at the next step boundary with a checkpoint: set by a signal
/// (`watch(signals:)`: Ctrl-C's SIGINT at a terminal; Slurm sends SIGTERM or a chosen signal such as SIGUSR1 before `--time`
/// runs out, and `mpirun` forwards SIGUSR1 to every rank) or by `request()`.
///
/// The request is local to the rank that received it. `Trainer` adds it to the step's
/// existing reduction to root (`StepSums.stopRequests`), root turns a non-zero total into
/// `StopSignal.stopRequested` in the broadcast that follows, so every rank leaves the loop
/// after the same step: no extra collective in the loop, no rank left waiting.
///
/// A second signal of a watched kind while the first is pending ends the process the default
/// way (the impatient Ctrl-C-twice habit), so a stuck step can still be killed.
public final class StopRequest: @unchecked Sendable {
    private let lock = NSLock()
    private var pending: Int32?
    private var watched: [Int32] = []

    public init() {}

    /// The signal that asked to stop (0 for `request()`), or nil.
    public var signalNumber: Int32? {
        lock.withLock {
            if pending == nil, !watched.isEmpty {
                let caught = caughtSignal.load(ordering: .sequentiallyConsistent)
                if caught != 0 { pending = caught }
            }
            return pending
        }
    }
    public var isRequested: Bool { signalNumber != nil }

    /// Asks to stop, as a signal would (`signal` 0: not a signal).
    public func request(signal: Int32 = 0) {
        lock.withLock { if pending == nil { pending = signal } }
    }

    /// Catches `signals` from now until `stopWatching()` with a plain signal handler (every
    /// thread, no dispatch source whose signal mask could let a signal through to a thread
    /// that ignores it): each sets the request instead of ending the process.
    public func watch(signals: [Int32]) {
        caughtSignal.store(0, ordering: .sequentiallyConsistent)
        for number in signals {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = stopSignalHandler
            sigemptyset(&action.sa_mask)
            action.sa_flags = SA_RESTART
            sigaction(number, &action, nil)
        }
        lock.withLock { watched += signals }
    }

    /// Restores the default action of the watched signals, or ignores them once a stop was
    /// requested (mpirun forwards a signal to the ranks one by one: a late copy must not kill a
    /// rank that is leaving anyway). A request already made stays.
    public func stopWatching() {
        let requested = signalNumber != nil    // also adopts a signal caught so far
        let numbers = lock.withLock { () -> [Int32] in
            defer { watched = [] }
            return watched
        }
        for number in numbers { signal(number, requested ? SIG_IGN : SIG_DFL) }
    }

    /// A signal's conventional name (`SIGTERM`), for messages.
    public static func name(of number: Int32) -> String {
        switch number {
        case SIGTERM: return "SIGTERM"
        case SIGUSR1: return "SIGUSR1"
        case SIGUSR2: return "SIGUSR2"
        case SIGINT: return "SIGINT"
        case 0: return "a stop request"
        default: return "signal \(number)"
        }
    }

    /// The exit status of every rank of a run that stopped on request with its checkpoint
    /// written: 75, EX_TEMPFAIL of sysexits.h ("try again later"), so a job script can tell
    /// "resume me" from success (0) and failure (1).
    public static let exitStatus: Int32 = 75

    /// The exit status after a stop on `signal`: 130 (128 + SIGINT, the shell's code for Ctrl-C)
    /// for SIGINT, `exitStatus` (75) otherwise.
    public static func exitStatus(signal: Int32?) -> Int32 {
        signal == SIGINT ? 128 + SIGINT : exitStatus
    }

    /// The environment variable naming the stop marker: a file root writes (with the checkpoint's
    /// path) after a stop on request, once the checkpoint is written. mpirun reports a status
    /// of its own when it was signalled too, so the launch scripts (launch/one-node,
    /// cluster/slurm.sbatch, cluster/pbs.sh) turn a failed status into 75 when the marker exists.
    public static let markerVariable = "IQP_STOP_MARKER"

    /// Writes the stop marker if `IQP_STOP_MARKER` names one (best effort: a marker that cannot
    /// be written leaves the status to mpirun).
    public static func writeMarker(checkpoint: String?) {
        guard let path = ProcessInfo.processInfo.environment[markerVariable], !path.isEmpty else { return }
        try? AtomicFile.write((checkpoint ?? "") + "\n", to: path)
    }
}
