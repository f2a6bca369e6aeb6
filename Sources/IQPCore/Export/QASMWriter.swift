/// The OpenQASM dialect of an exported circuit.
public enum QASMDialect: String, CaseIterable, Sendable {
    /// OpenQASM 3: `stdgates.inc`, plus `rzz` defined in the file as cx·rz·cx (it is not in
    /// `stdgates.inc`).
    case qasm3
    /// OpenQASM 2: `qelib1.inc` of the specification, which has no `rzz`, so every rzz is
    /// written as cx·rz·cx. For tools that read only version 2 (pytket).
    case qasm2
}

/// Writes a `HardwareCircuit` as OpenQASM text: qubit register `q`, classical register `c`,
/// one gate per line in time order, qubit i measured into `c[i]`.
///
/// Angles are written in the shortest decimal form that reads back as the identical double
/// (always with a decimal point, as OpenQASM 2 requires), so the file holds exactly −2θ.
/// `header` lines become `//` comments after the version line.
public enum QASMWriter {
    public static func text(_ circuit: HardwareCircuit, dialect: QASMDialect, header: [String] = []) -> String {
        var out = ""
        out.reserveCapacity(32 * circuit.gates.count + 1024)
        let n = circuit.nQubits
        switch dialect {
        case .qasm3:
            out += "OPENQASM 3.0;\n"
            for line in header { out += "// \(line)\n" }
            out += "include \"stdgates.inc\";\n"
            if circuit.gates.contains(where: { $0.name == "rzz" }) {
                out += "gate rzz(theta) a, b { cx a, b; rz(theta) b; cx a, b; }\n"
            }
            out += "qubit[\(n)] q;\nbit[\(n)] c;\n"
        case .qasm2:
            out += "OPENQASM 2.0;\n"
            for line in header { out += "// \(line)\n" }
            out += "include \"qelib1.inc\";\nqreg q[\(n)];\ncreg c[\(n)];\n"
        }
        for gate in (dialect == .qasm2 ? circuit.expandingRZZ() : circuit).gates {
            switch gate {
            case .h(let a):
                out += "h q[\(a)];\n"
            case .rz(let angle, let a):
                out += "rz(\(number(angle))) q[\(a)];\n"
            case .rzz(let angle, let a, let b):
                out += "rzz(\(number(angle))) q[\(a)], q[\(b)];\n"
            case .cx(let a, let b):
                out += "cx q[\(a)], q[\(b)];\n"
            case .measure(let a):
                out += dialect == .qasm3 ? "c[\(a)] = measure q[\(a)];\n" : "measure q[\(a)] -> c[\(a)];\n"
            }
        }
        return out
    }

    /// The shortest round-trip decimal of `x` with a decimal point: `-0.25`, `1.0e-05`, `3.0`.
    static func number(_ x: Double) -> String {
        let text = x.description
        if text.contains(".") { return text }
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            return text[..<e] + ".0" + text[e...]
        }
        return text + ".0"
    }
}
