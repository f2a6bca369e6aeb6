/// One gate of a hardware circuit, in OpenQASM's conventions:
///
///     h          = (X + Z)/√2
///     rz(φ) q    = exp(−i φ/2 Z_q)
///     rzz(φ) a,b = exp(−i φ/2 Z_a Z_b)   (= cx a,b; rz(φ) b; cx a,b)
///     cx a, b    = CNOT with control a and target b
///     measure q  = measure qubit q into classical bit q
///
/// so exp(iθ Z) = rz(−2θ) and exp(iθ Z⊗Z) = rzz(−2θ) (and exp(iθ X) = rx(−2θ)).
public enum HardwareGate: Equatable, Sendable {
    case h(Int)
    case rz(angle: Double, qubit: Int)
    case rzz(angle: Double, Int, Int)
    case cx(control: Int, target: Int)
    case measure(Int)

    /// The OpenQASM name (`h`, `rz`, `rzz`, `cx`, `measure`).
    public var name: String {
        switch self {
        case .h: "h"
        case .rz: "rz"
        case .rzz: "rzz"
        case .cx: "cx"
        case .measure: "measure"
        }
    }

    /// The qubits the gate acts on, in OpenQASM argument order.
    public var qubits: [Int] {
        switch self {
        case .h(let q), .rz(_, let q), .measure(let q): [q]
        case .rzz(_, let a, let b): [a, b]
        case .cx(let control, let target): [control, target]
        }
    }
}

/// A circuit as a hardware vendor takes it: `nQubits` qubits and a gate list in time order
/// (what `IQPCircuitSynthesis` makes of an IQP model and `QASMWriter` writes out).
public struct HardwareCircuit: Equatable, Sendable {
    public let nQubits: Int
    public var gates: [HardwareGate]

    public init(nQubits: Int, gates: [HardwareGate] = []) {
        self.nQubits = nQubits
        self.gates = gates
    }

    /// The same circuit with every rzz(φ) a,b written as cx a,b; rz(φ) b; cx a,b: the gate set
    /// {h, rz, cx} of devices without a native two-qubit Z rotation.
    public func expandingRZZ() -> HardwareCircuit {
        var out: [HardwareGate] = []
        out.reserveCapacity(gates.count)
        for gate in gates {
            if case .rzz(let angle, let a, let b) = gate {
                out += [.cx(control: a, target: b), .rz(angle: angle, qubit: b), .cx(control: a, target: b)]
            } else {
                out.append(gate)
            }
        }
        return HardwareCircuit(nQubits: nQubits, gates: out)
    }
}
