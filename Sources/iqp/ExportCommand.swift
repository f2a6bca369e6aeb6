import ArgumentParser
import IQPCore

/// `iqp export`: the trained circuit as OpenQASM for quantum hardware (docs/hardware.md).
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a model's circuit as OpenQASM 3 (or 2) for quantum hardware.",
        discussion: """
            The circuit: (with spin_sym) a GHZ preparation, h on every qubit, one Z rotation per \
            distinct generator support — rz(-2θ) for weight 1, rzz(-2θ) for weight 2, CNOT ladders \
            around an rzz for weight ≥ 3 — h on every qubit, and qubit i measured into c[i] (column \
            i of iqp's CSV rows). exp(iθX) = rx(-2θ). Gate counts and depth go to stderr and into \
            the file's header. See docs/hardware.md.
            """)

    @Option(help: "The model file (JSON).")
    var model: String

    @Option(help: "qasm3 (OpenQASM 3; rzz defined in the file) or qasm2 (OpenQASM 2, qelib1.inc; rzz written as cx·rz·cx).")
    var format = "qasm3"

    @Option(help: "CNOT ladders of weight ≥ 3 generators: shared (common prefixes kept) or independent.")
    var ladders = "shared"

    @Option(help: "Output file (written atomically); standard output when left out.")
    var out: String?

    func validate() throws {
        guard QASMDialect(rawValue: format) != nil else {
            throw ValidationError("--format must be qasm3 or qasm2, got '\(format)'")
        }
        guard LadderSynthesis(rawValue: ladders) != nil else {
            throw ValidationError("--ladders must be shared or independent, got '\(ladders)'")
        }
    }

    func run() throws {
        do {
            let m = try ModelFile.read(path: model)
            let export = try QASMExport(model: m, dialect: QASMDialect(rawValue: format)!,
                                        ladders: LadderSynthesis(rawValue: ladders)!, source: model)
            if let out { try AtomicFile.write(export.text, to: out) } else { print(export.text, terminator: "") }
            let cx = export.cnotBasisStatistics
            writeToStandardError("""
                iqp export: \(m.nQubits) qubits, \(m.circuit.parameterCount) gates → \(export.statistics.summary)
                  with rzz = cx·rz·cx: cx \(cx.counts["cx", default: 0]); depth \(cx.depth), two-qubit depth \(cx.twoQubitDepth)\
                \(out.map { "\n  written to \($0)" } ?? "")

                """)
        } catch {
            CommandSupport.fail(error, communicator: nil)
        }
    }
}
