import Foundation
@testable import IQPCore
import IQPTestSupport
import XCTest

/// Gate counts, depth, the layering of two-qubit rotations, and the OpenQASM text.
final class CircuitStatisticsTests: XCTestCase {
    func testDepthFollowsTheLongestChainOfSharedQubits() {
        // q0: h ─■─ rz ─────────── M
        // q1: h ─X──── rzz ─■───── M
        // q2: h ──────  rzz ─X── h  M
        let circuit = HardwareCircuit(nQubits: 3, gates: [
            .h(0), .h(1), .h(2), .cx(control: 0, target: 1), .rz(angle: 1, qubit: 0), .rzz(angle: 1, 1, 2),
            .cx(control: 1, target: 2), .h(2), .measure(0), .measure(1), .measure(2),
        ])
        let stats = CircuitStatistics(circuit)
        XCTAssertEqual(stats.counts, ["h": 4, "cx": 2, "rz": 1, "rzz": 1, "measure": 3])
        XCTAssertEqual(stats.depth, 6)             // h, cx, rzz, cx, h, measure on q2
        XCTAssertEqual(stats.twoQubitGates, 3)
        XCTAssertEqual(stats.twoQubitDepth, 3)
        let expanded = CircuitStatistics(circuit.expandingRZZ())
        XCTAssertEqual(expanded.counts["cx"], 4)
        XCTAssertEqual(expanded.depth, 8)
        XCTAssertEqual(stats.summary, "h 4, rz 1, rzz 1, cx 2, measure 3; depth 6, two-qubit depth 3")
    }

    func testLayersHoldDisjointPairsAndAtMostTwiceTheDegree() throws {
        var stream = KeyedStream(key: 7)
        let n = 40
        var pairs: [(Int, Int)] = []
        var seen = Set<[Int]>()
        while pairs.count < 200 {
            let a = stream.nextInt(below: n), b = stream.nextInt(below: n)
            if a != b && seen.insert([min(a, b), max(a, b)]).inserted { pairs.append((a, b)) }
        }
        var degree = [Int](repeating: 0, count: n)
        for (a, b) in pairs { degree[a] += 1; degree[b] += 1 }
        let layers = TwoQubitLayering.layers(pairs, nQubits: n)
        XCTAssertEqual(layers.flatMap { $0 }.sorted(), Array(0..<pairs.count))
        for layer in layers {
            let qubits = layer.flatMap { [pairs[$0].0, pairs[$0].1] }
            XCTAssertEqual(Set(qubits).count, qubits.count)
        }
        XCTAssertGreaterThanOrEqual(layers.count, degree.max()!)
        XCTAssertLessThanOrEqual(layers.count, 2 * degree.max()! - 1)
        // A ring of even length needs two layers.
        XCTAssertEqual(TwoQubitLayering.layers((0..<10).map { ($0, ($0 + 1) % 10) }, nQubits: 10).count, 2)
    }

    func testQASMTextOfASmallModel() throws {
        let model = try IQPModel(circuit: Circuit(nQubits: 3, gates: [[[0]], [[1, 0]], [[0, 1, 2]]]),
                                 params: [0.1, -0.25, 1e-5], spinSym: false)
        let v3 = try QASMExport(model: model, dialect: .qasm3, source: "m.json").text
        let lines3 = v3.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines3.first, "OPENQASM 3.0;")
        for line in ["include \"stdgates.inc\";", "gate rzz(theta) a, b { cx a, b; rz(theta) b; cx a, b; }",
                     "qubit[3] q;", "bit[3] c;", "rz(-0.2) q[0];", "rzz(0.5) q[0], q[1];",
                     "cx q[0], q[1];", "rzz(-2.0e-05) q[1], q[2];", "c[2] = measure q[2];",
                     "// gates: h=6 rz=1 rzz=2 cx=2 measure=3; depth=8; two-qubit depth=4"] {
            XCTAssertTrue(lines3.contains(line), "missing: \(line)\n\(v3)")
        }
        let v2 = try QASMExport(model: model, dialect: .qasm2, source: "m.json").text
        let lines2 = v2.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines2.first, "OPENQASM 2.0;")
        for line in ["include \"qelib1.inc\";", "qreg q[3];", "creg c[3];", "measure q[1] -> c[1];", "rz(0.5) q[1];",
                     "// gates: h=6 rz=3 cx=6 measure=3; depth=12; two-qubit depth=6"] {
            XCTAssertTrue(lines2.contains(line), "missing: \(line)\n\(v2)")
        }
        XCTAssertFalse(lines2.contains { $0.hasPrefix("rzz") })
    }

    func testAnglesReadBackAsTheSameDouble() {
        XCTAssertEqual(QASMWriter.number(3), "3.0")
        XCTAssertEqual(QASMWriter.number(1e-5), "1.0e-05")
        XCTAssertEqual(QASMWriter.number(-0.25), "-0.25")
        var stream = KeyedStream(key: 3)
        for _ in 0..<1000 {
            let x = (stream.nextUniform() - 0.5) * pow(10, Double(stream.nextInt(below: 40) - 20))
            let text = QASMWriter.number(x)
            XCTAssertTrue(text.contains("."))
            XCTAssertEqual(Double(text), x)
        }
    }

    func testBitflipModelsDoNotExport() throws {
        let model = try IQPModel(circuit: Circuit(nQubits: 2, gates: [[[0]]]), params: [0.1], kind: .bitflip)
        XCTAssertThrowsError(try IQPCircuitSynthesis.compile(model)) { error in
            XCTAssertTrue("\(error)".contains("field 'model'"), "\(error)")
        }
    }
}
