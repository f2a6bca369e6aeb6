/// Gate counts and depth of a hardware circuit, counted as Qiskit's `count_ops()` and
/// `depth()` count a circuit loaded from the exported file (the Qiskit check compares them).
///
/// Depth is the length of the longest chain of gates that share a qubit (as-soon-as-possible
/// layering; every gate, measurement included, counts 1). The two-qubit depth counts only
/// the cx and rzz gates on such a chain (Qiskit's `depth(lambda g: g.operation.num_qubits == 2)`).
public struct CircuitStatistics: Equatable, Sendable {
    /// Gates by OpenQASM name.
    public let counts: [String: Int]
    public let depth: Int
    public let twoQubitGates: Int
    public let twoQubitDepth: Int

    public init(_ circuit: HardwareCircuit) {
        var counts: [String: Int] = [:]
        var level = [Int](repeating: 0, count: circuit.nQubits)
        var twoQubitLevel = [Int](repeating: 0, count: circuit.nQubits)
        var twoQubitGates = 0
        for gate in circuit.gates {
            counts[gate.name, default: 0] += 1
            let qubits = gate.qubits
            let isTwoQubit = qubits.count == 2
            if isTwoQubit { twoQubitGates += 1 }
            var start = 0, twoQubitStart = 0
            for q in qubits {
                start = max(start, level[q])
                twoQubitStart = max(twoQubitStart, twoQubitLevel[q])
            }
            for q in qubits {
                level[q] = start + 1
                twoQubitLevel[q] = twoQubitStart + (isTwoQubit ? 1 : 0)
            }
        }
        self.counts = counts
        self.depth = level.max() ?? 0
        self.twoQubitGates = twoQubitGates
        self.twoQubitDepth = twoQubitLevel.max() ?? 0
    }

    /// Gate names in a fixed order: h, rz, rzz, cx, measure.
    public static let gateOrder = ["h", "rz", "rzz", "cx", "measure"]

    /// `h 32, rz 16, rzz 2500, cx 1120, measure 16` (gates that do not occur left out).
    public var countsText: String {
        Self.gateOrder.compactMap { name in counts[name].map { "\(name) \($0)" } }.joined(separator: ", ")
    }

    /// One line: the counts, the depth and the two-qubit depth.
    public var summary: String {
        "\(countsText); depth \(depth), two-qubit depth \(twoQubitDepth)"
    }
}
