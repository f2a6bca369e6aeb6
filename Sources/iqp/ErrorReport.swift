import ArgumentParser
import Foundation
import IQPCore

/// How `iqp` ends on an error, the same way for every command (docs/cli.md, docs/reliability.md):
/// one line `iqp: error: …` on standard error and an exit status that says what went wrong.
///
/// - 0: success (and `--help`, `--version`);
/// - 1 (`failure`): the command line was fine but the run failed: a missing, malformed or
///   incompatible input file (the line names file, line and field), a size over the memory
///   budget, an output that would replace an input, a refused or failed sampler job, an I/O error;
/// - 64 (`usage`, EX_USAGE of sysexits.h, argument-parser's own status): the command line is
///   wrong: an unknown option, a missing or malformed value, a value out of range, options that
///   need or exclude each other. Nothing was read or written. Scripts and Slurm jobs can tell a
///   typo (64: fix the command) from a failed run (1: look at the inputs) without parsing text.
///
/// Under `mpirun` a usage error is printed by rank 0 only (every rank parses the same command
/// line and exits alike, before MPI starts); an error while running ends the whole job through
/// `MPI_Abort` (`CommandSupport.fail`).
enum ErrorReport {
    static let failure: Int32 = 1
    static let usage: Int32 = ExitCode.validationFailure.rawValue

    /// The exit status for `error` (0 for help and version requests).
    static func status(for error: Error) -> Int32 {
        if error is IQPError { return failure }
        return IQP.exitCode(for: error).rawValue
    }

    /// The one line after `iqp: error: ` (no newline inside).
    static func message(for error: Error) -> String {
        var text = (error as? IQPError).map(FieldFlags.describe) ?? IQP.message(for: error)
        if status(for: error) == usage, let help = helpHint(for: error) { text += " (see '\(help)')" }
        return EscapedText.escape(text.split(whereSeparator: \.isNewline).joined(separator: " "))
    }

    /// `iqp train --help` for an error of `iqp train`, from argument-parser's usage text.
    static func helpHint(for error: Error) -> String? {
        let full = IQP.fullMessage(for: error)
        guard let line = full.split(separator: "\n").last(where: { $0.contains("See '") }),
              let start = line.range(of: "See '")?.upperBound,
              let end = line[start...].firstIndex(of: "'") else { return nil }
        let hint = String(line[start..<end])
        // A check made outside argument-parser (iqp train's run file and resume) names the subcommand itself.
        if hint == "iqp --help", CommandLine.arguments.count > 1,
           IQP.configuration.subcommands.contains(where: { $0._commandName == CommandLine.arguments[1] }) {
            return "iqp \(CommandLine.arguments[1]) --help"
        }
        return hint
    }

    /// Prints `error` as above and exits; help and version requests print their text and exit 0.
    static func exit(_ error: Error) -> Never {
        let status = status(for: error)
        if status == 0 { IQP.exit(withError: error) }
        let message = message(for: error)
        if !message.isEmpty && isFirstRankOrAlone { writeToStandardError("iqp: error: \(message)\n") }
        Foundation.exit(status)
    }

    /// False on ranks 1, 2, … of a job started by mpirun or srun (known before MPI starts).
    static var isFirstRankOrAlone: Bool {
        let environment = ProcessInfo.processInfo.environment
        for key in ["OMPI_COMM_WORLD_RANK", "PMIX_RANK", "PMI_RANK"] {
            if let rank = environment[key] { return rank == "0" }
        }
        return true
    }
}

/// The command line as argument-parser should see it.
enum CommandLineArguments {
    /// Joins an option and a negative number that follows it (`--sigma -1` → `--sigma=-1`), so
    /// that the number is the option's value (and its own check reports it) instead of being
    /// read as an unknown short option and reported as a missing value. Stops at `--`.
    static func joiningNegativeValues(_ arguments: [String]) -> [String] {
        var out: [String] = []
        var i = 0
        while i < arguments.count {
            let a = arguments[i]
            if a == "--" { out += arguments[i...]; break }
            if a.hasPrefix("--"), !a.contains("="), i + 1 < arguments.count, isNegativeNumber(arguments[i + 1]) {
                out.append(a + "=" + arguments[i + 1])
                i += 2
                continue
            }
            out.append(a)
            i += 1
        }
        return out
    }

    /// `-1`, `-0.5`, `-1e-3`, `-1,2`, `-inf`, `-nan`, and any value that starts like one
    /// (`-1x-1` for `--grid`, `-3-5` for `--wires`): no option name starts with a digit, so the
    /// option's own check can say what is wrong with it.
    static func isNegativeNumber(_ text: String) -> Bool {
        guard text.hasPrefix("-"), let first = text.dropFirst().first else { return false }
        let rest = text.dropFirst().lowercased()
        if ["inf", "infinity", "nan"].contains(rest) { return true }
        return first.isASCII && (first.isNumber || first == ".")
    }
}
