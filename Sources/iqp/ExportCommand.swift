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
            ending in an rzz (basis cx: in an rz) for weight ≥ 3 — h on every qubit, and qubit i \
            measured into c[i] (column i of iqp's CSV rows). exp(iθX) = rx(-2θ). Gate counts and \
            depth go to stderr and into the file's header. See docs/hardware.md.
            """)

    @Option(help: "The model file (JSON).")
    var model: String

    @Option(help: "qasm3 (OpenQASM 3; rzz defined in the file) or qasm2 (OpenQASM 2, qelib1.inc; any rzz written as cx·rz·cx).")
    var format: QASMDialect = .qasm3

    @Option(help: "Two-qubit gates: rzz (h, rz, rzz, cx; the default for qasm3) or cx (h, rz, cx; the default for qasm2).")
    var basis: TwoQubitBasis?

    @Option(help: "CNOT ladders: shared (lexicographic order, common prefixes kept) or independent (one per support).")
    var ladders: LadderSynthesis = .shared

    @Option(help: "Output file (written atomically); standard output when left out.")
    var out: String?

    func run() throws {
        do {
            let m = try ModelFile.read(path: model)
            let export = try QASMExport(model: m, dialect: format, basis: basis ?? (format == .qasm2 ? .cx : .rzz),
                                        ladders: ladders, source: model)
            if let out { try AtomicFile.write(export.text, to: out) } else { print(export.text, terminator: "") }
            var report = "iqp export: \(m.nQubits) qubits, \(m.circuit.parameterCount) gates → \(export.statistics.summary)\n"
            if export.statistics.counts["rzz"] != nil {
                let cx = export.cnotBasisStatistics
                report += "  with rzz = cx·rz·cx: cx \(cx.counts["cx", default: 0]); depth \(cx.depth), two-qubit depth \(cx.twoQubitDepth)\n"
            }
            if let out { report += "  written to \(out)\n" }
            writeToStandardError(report)
        } catch {
            CommandSupport.fail(error, communicator: nil)
        }
    }
}

extension QASMDialect: ExpressibleByArgument {}
extension TwoQubitBasis: ExpressibleByArgument {}
extension LadderSynthesis: ExpressibleByArgument {}
