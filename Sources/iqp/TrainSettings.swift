import ArgumentParser
import Foundation
import IQPCore

/// The options of `iqp train` as settings, name → value, the one form shared by a run file
/// (`--config run.yaml`, `--print-config`) and a checkpoint's record of its run (`--resume`).
///
/// `iqp train`'s command line is resolved before argument-parser reads it
/// (`TrainArguments.resolve`): the run file's settings, then the checkpoint's, then the
/// command line's options, each overriding the one before; a setting of the run (`Role.run`)
/// given on the command line or in the run file to a resumed run must equal the checkpoint's.
enum TrainSettings {
    enum Role {
        /// Decides the numbers of the run: recorded, and on resume equal to the checkpoint's or refused.
        case run
        /// Recorded, and may be changed on resume (`--steps`, the output files, the sizes of the final test).
        case overridable
        /// Not recorded: how this process runs (`--resume`, `--grid`, `--quiet`, …).
        case transient
    }

    struct Option {
        var name: String
        var role: Role
        var isFlag = false
        /// The value names a file the run reads (recorded with its SHA-256).
        var isInputFile = false
    }

    /// Every option of `iqp train`, in the order of `iqp train --help`.
    static let options: [Option] = [
        Option(name: "data", role: .run, isInputFile: true),
        Option(name: "test", role: .run, isInputFile: true),
        Option(name: "val", role: .run, isInputFile: true),
        Option(name: "val-every", role: .run),
        Option(name: "gates", role: .run),
        Option(name: "gates-file", role: .run, isInputFile: true),
        Option(name: "graph", role: .run, isInputFile: true),
        Option(name: "ancillas", role: .run),
        Option(name: "sigma", role: .run),
        Option(name: "ops", role: .run),
        Option(name: "samples", role: .run),
        Option(name: "wires", role: .run),
        Option(name: "memory-budget", role: .overridable),
        Option(name: "estimator", role: .run),
        Option(name: "shared-samples", role: .run, isFlag: true),
        Option(name: "gemm-precision", role: .run),
        Option(name: "lr", role: .run),
        Option(name: "optimizer", role: .overridable),
        Option(name: "steps", role: .overridable),
        Option(name: "convergence-interval", role: .run),
        Option(name: "convergence-on", role: .run),
        Option(name: "seed", role: .run),
        Option(name: "init", role: .run),
        Option(name: "init-params", role: .run, isInputFile: true),
        Option(name: "init-scale", role: .run),
        Option(name: "param-noise", role: .run),
        Option(name: "spin-sym", role: .run, isFlag: true),
        Option(name: "bitflip", role: .run, isFlag: true),
        Option(name: "out", role: .overridable),
        Option(name: "log", role: .overridable),
        Option(name: "checkpoint", role: .overridable),
        Option(name: "checkpoint-every", role: .overridable),
        Option(name: "resume", role: .transient),
        Option(name: "step-timeout", role: .transient),
        Option(name: "hang-rank", role: .transient),
        Option(name: "grid", role: .transient),
        Option(name: "timings", role: .transient),
        Option(name: "eval-ops", role: .overridable),
        Option(name: "eval-samples", role: .overridable),
        Option(name: "sampler", role: .overridable),
        Option(name: "shots", role: .overridable),
        Option(name: "samples-out", role: .overridable),
        Option(name: "circuit-out", role: .overridable),
        Option(name: "print-every", role: .transient),
        Option(name: "quiet", role: .transient, isFlag: true),
        Option(name: "config", role: .transient),
        Option(name: "entry", role: .transient),
        Option(name: "print-config", role: .transient, isFlag: true),
    ]

    static func option(_ name: String) -> Option? { options.first { $0.name == name } }

    /// The keys a run file may hold: every option but the run file's own.
    static var runFileKeys: [String] {
        options.map(\.name).filter { !["config", "entry", "print-config"].contains($0) }
    }

    /// `settings` as a YAML run file (`--print-config`): one `key: value` line each, in help order.
    static func yaml(_ settings: [RunRecord.Setting], comment: [String]) -> String {
        var lines = comment.map { "# " + $0 }
        for s in settings {
            let value: String
            if option(s.name)?.isFlag == true || isPlainNumber(s.value) {
                value = s.value
            } else {
                value = plainScalarIsSafe(s.value) ? s.value : quoted(s.value)
            }
            lines.append("\(s.name): \(value)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func isPlainNumber(_ text: String) -> Bool {
        Double(text) != nil && !text.contains(",") && text.lowercased() != "nan" && !text.lowercased().contains("inf")
    }

    /// A string that YAML reads back as the same string when written plain.
    static func plainScalarIsSafe(_ text: String) -> Bool {
        guard let first = text.first, !text.hasSuffix(" "), !text.hasSuffix(":") else { return false }
        if "-?:,[]{}#&*!|>'\"%@`~ ".contains(first) { return false }
        if text.contains(": ") || text.contains(" #") || text.contains("\n") { return false }
        if ["true", "false", "yes", "no", "on", "off", "null", "y", "n"].contains(text.lowercased()) { return false }
        return Double(text) == nil
    }

    static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    /// The command-line arguments that give `settings` (flags: `--name` for true, `--no-spin-sym`).
    static func arguments(_ settings: [RunRecord.Setting]) -> [String] {
        var out: [String] = []
        for s in settings {
            if option(s.name)?.isFlag == true {
                if s.value == "true" { out.append("--\(s.name)") }
                else if s.name == "spin-sym" { out.append("--no-spin-sym") }
            } else {
                out.append("--\(s.name)=\(s.value)")
            }
        }
        return out
    }
}

extension TrainCommand {
    /// Every recorded setting (roles run and overridable) with the value in effect, defaults
    /// included and resolved (`gates: local:2`, `spin-sym: true`), in help order.
    func settings() -> [RunRecord.Setting] {
        var list: [RunRecord.Setting] = []
        func add(_ name: String, _ value: String?) { if let value { list.append(.init(name, value)) } }
        func number(_ x: Double) -> String { x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : "\(x)" }
        add("data", data)
        add("test", test)
        add("val", val)
        add("val-every", "\(valEvery)")
        add("gates", gates ?? (gatesFile == nil && graph == nil ? TrainingJob.defaultGates : nil))
        add("gates-file", gatesFile)
        add("graph", graph)
        add("ancillas", "\(ancillas)")
        add("sigma", TrainSettings.canonicalList(loss.sigma) ?? TrainLossDefaults.sigma.map(number).joined(separator: ","))
        add("ops", "\(loss.ops)")
        add("samples", "\(loss.samples)")
        add("wires", estimator.wires)
        add("memory-budget", estimator.memoryBudget)
        add("estimator", estimator.estimator.rawValue)
        add("shared-samples", "\(estimator.sharedSamples)")
        add("gemm-precision", estimator.gemmPrecision.rawValue)
        add("lr", "\(lr)")
        add("optimizer", optimizer.rawValue)
        add("steps", "\(steps)")
        add("convergence-interval", convergenceInterval.map { "\($0)" })
        add("convergence-on", convergenceOn.rawValue)
        add("seed", "\(seed)")
        add("init", initialization.rawValue)
        add("init-params", initParams)
        add("init-scale", initScale.map { "\($0)" })
        add("param-noise", "\(paramNoise)")
        add("spin-sym", "\(resolvedSpinSym)")
        add("bitflip", "\(bitflip)")
        add("out", out)
        add("log", log)
        add("checkpoint", checkpoint)
        add("checkpoint-every", "\(checkpointEvery)")
        add("eval-ops", "\(evalOps)")
        add("eval-samples", "\(evalSamples)")
        add("sampler", dispatch.sampler)
        add("shots", dispatch.shots.map { "\($0)" })
        add("samples-out", dispatch.samplesOut)
        add("circuit-out", dispatch.circuitOut)
        return list
    }

    /// The spin-symmetric start in effect: `--spin-sym`/`--no-spin-sym`, else on for the
    /// embedded data set's IQP model (whatever the gates), off otherwise.
    var resolvedSpinSym: Bool {
        TrainingJob.startsSpinSymmetric(spinSym: spinSym, embedded: data == nil, kind: bitflip ? .bitflip : .iqp)
    }

    /// The record a checkpoint keeps: `settings()` and the SHA-256 of each input file.
    func runRecord() -> RunRecord {
        let settings = settings()
        let digests = settings.compactMap { s -> RunRecord.Setting? in
            guard TrainSettings.option(s.name)?.isInputFile == true, s.value != "-",
                  let digest = SHA256.hex(file: s.value) else { return nil }
            return .init(s.name, digest)
        }
        return RunRecord(settings: settings, sha256: digests)
    }
}

extension TrainSettings {
    /// A comma-separated list with its items trimmed and numbers written the same way
    /// (`0.60, 1.3` → `0.6,1.3`), so that equal lists compare equal.
    static func canonicalList(_ text: String?) -> String? {
        text.map { t in
            t.split(separator: ",").map { part -> String in
                let item = part.trimmingCharacters(in: .whitespaces)
                if let x = Double(item), x.isFinite {
                    return x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : "\(x)"
                }
                return item
            }.joined(separator: ",")
        }
    }
}

/// How `iqp train`'s command line was resolved (`TrainArguments.resolve`), for `run()`.
struct TrainResolution: Sendable {
    /// The settings named on the command line or in the run file.
    var explicit: Set<String> = []
    /// The checkpoint's record was the base of the settings.
    var fromCheckpoint: String?
    /// The run file read (`--config`).
    var configFile: String?
}

/// `iqp train`'s command line resolved into the arguments argument-parser reads: the run file
/// (`--config FILE [--entry NAME]`), then the checkpoint's recorded settings (`--resume`),
/// then the command line's own options.
enum TrainArguments {
    nonisolated(unsafe) static var resolution = TrainResolution()

    /// The options of `arguments` as (name, value) pairs (flags: "true"/"false"), or nil when
    /// the command line has something else (help, a positional, an unknown option): then
    /// argument-parser reads it as it is and reports.
    static func tokenize(_ arguments: [String]) -> [RunRecord.Setting]? {
        var out: [RunRecord.Setting] = []
        var i = 0
        while i < arguments.count {
            let a = arguments[i]
            guard a.hasPrefix("--"), a.count > 2 else { return nil }
            var name = String(a.dropFirst(2)), value: String? = nil
            if let eq = name.firstIndex(of: "=") {
                value = String(name[name.index(after: eq)...])
                name = String(name[..<eq])
            }
            if name == "no-spin-sym" {
                guard value == nil else { return nil }
                out.append(.init("spin-sym", "false"))
                i += 1
                continue
            }
            guard let option = TrainSettings.option(name) else { return nil }
            if option.isFlag {
                guard value == nil else { return nil }
                out.append(.init(name, "true"))
                i += 1
                continue
            }
            if value == nil {
                guard i + 1 < arguments.count else { return nil }
                value = arguments[i + 1]
                i += 1
            }
            out.append(.init(name, value!))
            i += 1
        }
        return out
    }

    /// The arguments to parse. Throws a usage error for a resumed run's setting that differs
    /// from its checkpoint's, and an `IQPError` for an unreadable run file or checkpoint.
    static func resolve(_ arguments: [String]) throws -> [String] {
        guard let given = tokenize(arguments) else { return arguments }
        for s in given where s.value.isEmpty {
            throw ValidationError("--\(s.name) needs a value, got an empty string")
        }
        var merged: [RunRecord.Setting] = []
        func set(_ s: RunRecord.Setting) {
            merged.removeAll { $0.name == s.name }
            merged.append(s)
        }
        var resolution = TrainResolution()
        let config = given.last { $0.name == "config" }?.value
        if let config {
            let entry = given.last { $0.name == "entry" }?.value
            for s in try RunFile.read(path: config, entry: entry) { set(s) }
            resolution.configFile = config
        } else if given.contains(where: { $0.name == "entry" }) {
            throw ValidationError("--entry names an entry of a run file: give --config FILE too")
        }
        for s in given { set(s) }
        resolution.explicit = Set(merged.map(\.name))
        var record: RunRecord? = nil
        if let resume = merged.last(where: { $0.name == "resume" })?.value,
           FileManager.default.fileExists(atPath: resume) {
            record = try Checkpoint.read(path: resume).run
            if let record {
                resolution.fromCheckpoint = resume
                let own = merged
                merged = record.settings.filter { TrainSettings.option($0.name).map { $0.role != .transient } ?? false }
                for s in own { set(s) }
            }
        }
        // Flags absent from the record and the command line keep their defaults.
        let resolved = TrainSettings.arguments(merged)
        if let record, let resume = resolution.fromCheckpoint {
            try check(resolved: resolved, explicit: resolution.explicit, record: record, checkpoint: resume)
        }
        resolution.explicit.subtract(["config", "entry", "print-config"])
        TrainArguments.resolution = resolution
        return resolved
    }

    /// A resumed run's settings of role `.run` that were given explicitly equal the record's
    /// (files: the same content), and the record's files are still the same.
    static func check(resolved: [String], explicit: Set<String>, record: RunRecord, checkpoint: String) throws {
        let command = try TrainCommand.parse(resolved)
        let now = command.settings()
        func value(_ settings: [RunRecord.Setting], _ name: String) -> String? { settings.last { $0.name == name }?.value }
        for option in TrainSettings.options where option.role == .run {
            let recorded = value(record.settings, option.name), current = value(now, option.name)
            if option.isInputFile, let current {
                guard let digest = record.digest(option.name) else {
                    if recorded == current { continue }
                    throw mismatch(option.name, current, recorded, checkpoint)
                }
                guard FileManager.default.fileExists(atPath: current) else {
                    throw IQPError("the run of \(checkpoint) read --\(option.name) \(current), which is not there now: "
                                   + "give --\(option.name) PATH with the same content (sha256 \(digest))")
                }
                let now = SHA256.hex(file: current)
                guard now == digest else {
                    throw IQPError(explicit.contains(option.name)
                        ? "--\(option.name) \(current) is a different file from the one the checkpoint's run read (sha256 \(digest), this file \(now ?? "unreadable")); a resumed run continues the same run"
                        : "\(current) has changed since \(checkpoint) was written (sha256 then \(digest), now \(now ?? "unreadable")); a resumed run needs the same --\(option.name)",
                        file: checkpoint, field: "run.sha256.\(option.name)")
                }
                continue
            }
            guard explicit.contains(option.name) || (option.name == "gates" && explicit.contains("gates-file"))
                    || (option.name == "gates" && explicit.contains("graph")) else { continue }
            if recorded != current { throw mismatch(option.name, current, recorded, checkpoint) }
        }
    }

    /// What a setting is, for the refusal of a different one (`--gates` → the circuit).
    static let meaning: [String: String] = [
        "gates": "circuit (gates)", "gates-file": "circuit (gates)", "graph": "circuit (gates)",
        "sigma": "bandwidth list", "ops": "number of Pauli strings", "samples": "number of samples",
        "seed": "seed", "lr": "learning rate", "spin-sym": "start state", "bitflip": "model kind",
    ]

    static func mismatch(_ name: String, _ current: String?, _ recorded: String?, _ checkpoint: String) -> Error {
        let now = current.map { "--\(name) \($0)" } ?? "no --\(name)"
        let then = recorded.map { "\(name): \($0)" } ?? "no \(name)"
        return IQPError("the checkpoint's run has a different \(meaning[name] ?? name) (\(then)) than \(now); a resumed "
                        + "run keeps its settings: leave --\(name) out (the settings that may change on resume: "
                        + TrainSettings.options.filter { $0.role == .overridable }.map { "--" + $0.name }
                            .joined(separator: ", ") + ")", file: checkpoint, field: "run.settings.\(name)")
    }
}
