import Dispatch
import Foundation

/// A request to stop training at the next step boundary with a checkpoint: set by a signal
/// (`watch(signals:)`: Slurm sends SIGTERM or a chosen signal such as SIGUSR1 before `--time`
/// runs out, and `mpirun` forwards SIGUSR1 to every rank) or by `request()`.
///
/// The request is local to the rank that received it. `Trainer` adds it to the step's
/// existing reduction to root (`StepTotals.stopRequests`), root turns a non-zero total into
/// `StopSignal.stopRequested` in the broadcast that follows, so every rank leaves the loop
/// after the same step: no extra collective, no rank left waiting.
///
/// A second signal of a watched kind while the first is pending ends the process the default
/// way (the impatient Ctrl-C-twice habit), so a stuck step can still be killed.
public final class StopRequest: @unchecked Sendable {
    private let lock = NSLock()
    private var pending: Int32?
    private var sources: [DispatchSourceSignal] = []

    public init() {}

    /// The signal that asked to stop (0 for `request()`), or nil.
    public var signalNumber: Int32? { lock.withLock { pending } }
    public var isRequested: Bool { signalNumber != nil }

    /// Asks to stop, as a signal would (`signal` 0: not a signal).
    public func request(signal: Int32 = 0) {
        lock.withLock { if pending == nil { pending = signal } }
    }

    /// Catches `signals` from now until `stopWatching()`: each sets the request instead of
    /// ending the process. The handler runs on a dispatch queue, not in signal context.
    public func watch(signals: [Int32]) {
        for number in signals {
            signal(number, SIG_IGN)    // the dispatch source sees it; the default action does not run
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [weak self] in self?.received(number) }
            source.resume()
            lock.withLock { sources.append(source) }
        }
    }

    /// Restores the default action of the watched signals. A request already made stays.
    public func stopWatching() {
        let watched = lock.withLock { () -> [DispatchSourceSignal] in
            defer { sources = [] }
            return sources
        }
        for source in watched {
            source.cancel()
            signal(Int32(source.handle), SIG_DFL)
        }
    }

    private func received(_ number: Int32) {
        let repeated = lock.withLock { () -> Bool in
            if pending != nil { return true }
            pending = number
            return false
        }
        if repeated {
            signal(number, SIG_DFL)
            raise(number)
        }
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
}
