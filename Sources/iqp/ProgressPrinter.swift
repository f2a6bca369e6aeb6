import Foundation
import IQPCore

/// Training progress on standard error (root only), from the records the trainer reports
/// after every step.
///
/// - On a terminal: one live line, redrawn at most 5 times a second and at the last step:
///   `step  120/2000  loss 1.234567e-03  val 1.31e-03  41.2 steps/s  ETA 46 s`.
/// - Otherwise (under mpirun, into a file or a pipe): a plain line at the first step, then every
///   `every` steps (`--print-every K`), by default every 10 seconds, and at the last step,
///   with the elapsed time: `step  120/2000  loss …  41.2 steps/s  2.9 s  ETA 46 s`.
///
/// The rate and the ETA count the steps of this process since its first step (a resumed run
/// does not count the time before the resume); the ETA is to `totalSteps` (an early stop by
/// `--convergence-interval` comes sooner). The validation loss shown is the latest one, with
/// its step when it is older than the line.
final class ProgressPrinter {
    /// When plain lines are printed.
    enum Cadence: Equatable {
        case everySteps(Int)
        case everySeconds(Double)
        case never
    }

    /// Plain lines every this many seconds unless `--print-every` is given.
    static let defaultSeconds = 10.0
    /// Live redraws at most this often (seconds).
    static let redrawInterval = 0.2

    let totalSteps: Int
    let live: Bool
    let cadence: Cadence
    private var first: TrainingRecord?
    private var lastShown: TrainingRecord?
    private var latest: TrainingRecord?
    private var latestValidation: (step: Int, loss: Double)?

    init(totalSteps: Int, quiet: Bool, printEvery: Int?, live: Bool = standardErrorIsTerminal) {
        self.totalSteps = totalSteps
        self.live = live && !quiet
        if quiet { cadence = .never }
        else if let printEvery { cadence = .everySteps(printEvery) }
        else { cadence = .everySeconds(Self.defaultSeconds) }
    }

    func report(_ r: TrainingRecord) {
        if first == nil { first = r }
        latest = r
        if let v = r.validationLoss { latestValidation = (r.step, v) }
        guard shouldShow(r) else { return }
        show(r)
    }

    /// Ends the live line, or prints the last step if its plain line was skipped (the run
    /// converged or was stopped between two lines).
    func finish() {
        if live {
            if let latest, latest != lastShown { show(latest) }
            writeToStandardError("\n")
        } else if cadence != .never, let latest, latest != lastShown {
            show(latest)
        }
    }

    private func shouldShow(_ r: TrainingRecord) -> Bool {
        let isLast = r.step + 1 == totalSteps
        if live { return isLast || lastShown.map { r.seconds - $0.seconds >= Self.redrawInterval } ?? true }
        switch cadence {
        case .never: return false
        case .everySteps(let k): return isLast || (r.step + 1) % k == 0 || r == first
        case .everySeconds(let s): return isLast || lastShown.map { r.seconds - $0.seconds >= s } ?? true
        }
    }

    private func show(_ r: TrainingRecord) {
        lastShown = r
        let line = self.line(r)
        writeToStandardError(live ? "\r\u{1B}[K" + line : line + "\n")
    }

    /// The text of the progress line for record `r`.
    func line(_ r: TrainingRecord) -> String {
        let done = r.step + 1
        var text = String(format: "step %*d/%d  loss %.6e", String(totalSteps).count, done, totalSteps, r.loss)
        if let v = latestValidation {
            text += String(format: "  val %.3e", v.loss)
            if v.step != r.step { text += " (step \(v.step + 1))" }
        }
        guard let first, r.step > first.step, r.seconds > first.seconds else {
            return live ? text : text + "  " + Self.duration(r.seconds)
        }
        let rate = Double(r.step - first.step) / (r.seconds - first.seconds)
        text += "  " + Self.rate(rate)
        if !live { text += "  " + Self.duration(r.seconds) }
        if done < totalSteps { text += "  ETA " + Self.duration(Double(totalSteps - done) / rate) }
        return text
    }

    static func rate(_ stepsPerSecond: Double) -> String {
        stepsPerSecond >= 1 ? String(format: "%.1f steps/s", stepsPerSecond)
                            : String(format: "%.1f s/step", 1 / stepsPerSecond)
    }

    /// `0.4 s`, `46 s`, `12 min 5 s`, `3 h 20 min`.
    static func duration(_ seconds: Double) -> String {
        if seconds < 10 { return String(format: "%.1f s", seconds) }
        let s = Int(seconds.rounded())
        if s < 60 { return "\(s) s" }
        if s < 3600 { return "\(s / 60) min \(s % 60) s" }
        return "\(s / 3600) h \((s % 3600) / 60) min"
    }
}
