import Foundation
import IQPCore
import IQPTestSupport
import XCTest

/// The hardware circuit of a model (`IQPCircuitSynthesis`) against the gate-by-gate state
/// vector of the model's definition: amplitudes, not only probabilities, so the sign of every
/// angle (exp(iθZ) = rz(−2θ)) is checked too — p(x) alone is the same for θ and −θ.
final class ExportSynthesisTests: XCTestCase {
    /// Applies the gates as OpenQASM defines them (measurements skipped), from |0…0⟩.
    static func amplitudes(_ circuit: HardwareCircuit) -> (re: [Double], im: [Double]) {
        let size = 1 << circuit.nQubits
        var re = [Double](repeating: 0, count: size), im = re
        re[0] = 1
        func phase(_ x: Int, _ angle: Double) {   // ψ[x] *= e^{i·angle}
            let c = cos(angle), s = sin(angle)
            (re[x], im[x]) = (c * re[x] - s * im[x], s * re[x] + c * im[x])
        }
        for gate in circuit.gates {
            switch gate {
            case .h(let q):
                for x in 0..<size where x & (1 << q) == 0 {
                    let y = x | (1 << q), r = 1 / 2.0.squareRoot()
                    (re[x], re[y]) = (r * (re[x] + re[y]), r * (re[x] - re[y]))
                    (im[x], im[y]) = (r * (im[x] + im[y]), r * (im[x] - im[y]))
                }
            case .rz(let angle, let q):     // exp(−iφ/2 Z)
                for x in 0..<size { phase(x, x & (1 << q) == 0 ? -angle / 2 : angle / 2) }
            case .rzz(let angle, let a, let b):     // exp(−iφ/2 Z⊗Z)
                for x in 0..<size { phase(x, ((x >> a) ^ (x >> b)) & 1 == 0 ? -angle / 2 : angle / 2) }
            case .cx(let c, let t):
                for x in 0..<size where x & (1 << c) != 0 && x & (1 << t) == 0 {
                    re.swapAt(x, x | (1 << t))
                    im.swapAt(x, x | (1 << t))
                }
            case .measure:
                break
            }
        }
        return (re, im)
    }

    /// A random model with generators of weight 1…maxWeight (1–2 per gate: shared parameters),
    /// qubits listed in shuffled order, a repeated support, and one zero parameter.
    static func model(nQubits n: Int, maxWeight: Int, seed: UInt64, spinSym: Bool) throws -> IQPModel {
        let base = try Reference.randomModel(nQubits: n, gates: 3 * n, maxWeight: maxWeight, seed: seed, spinSym: spinSym)
        var stream = KeyedStream(key: seed ^ 0xABCD)
        var gates = base.circuit.gates.map { gate in
            gate.map { g in g.sorted { _, _ in stream.nextUniform() < 0.5 } }
        }
        gates.append(gates[0])      // the same generators again, with their own parameter
        gates.append([[0]])
        let params = base.params + [0.3, 0]
        return try IQPModel(circuit: Circuit(nQubits: n, gates: gates), params: params, spinSym: spinSym)
    }

    func testCircuitAmplitudesEqualTheModelsStateVector() throws {
        var seed: UInt64 = 1
        for n in [1, 2, 3, 5, 7, 9] {
            for spinSym in [false, true] {
                for basis in TwoQubitBasis.allCases {
                    for ladders in LadderSynthesis.allCases {
                        let model = try Self.model(nQubits: n, maxWeight: 5, seed: seed, spinSym: spinSym)
                        seed += 1
                        let circuit = try IQPCircuitSynthesis.compile(model, basis: basis, ladders: ladders)
                        XCTAssertTrue(basis == .rzz || circuit.gates.allSatisfy { $0.name != "rzz" })
                        let (re, im) = Self.amplitudes(circuit)
                        let (refRe, refIm) = Reference.stateVector(model)
                        let error = zip(zip(re, im), zip(refRe, refIm)).map { hypot($0.0 - $1.0, $0.1 - $1.1) }.max()!
                        XCTAssertLessThan(error, 1e-12, "n \(n) spinSym \(spinSym) basis \(basis) ladders \(ladders)")
                    }
                }
            }
        }
    }

    func testMirroredAnglesWouldFail() throws {
        // The check above distinguishes θ from −θ: the conjugate circuit has other amplitudes.
        var model = try Self.model(nQubits: 4, maxWeight: 3, seed: 99, spinSym: false)
        let (refRe, refIm) = Reference.stateVector(model)
        model.params = model.params.map { -$0 }
        let (re, im) = Self.amplitudes(try IQPCircuitSynthesis.compile(model))
        let error = zip(zip(re, im), zip(refRe, refIm)).map { hypot($0.0 - $1.0, $0.1 - $1.1) }.max()!
        XCTAssertGreaterThan(error, 1e-3)
        let probabilityError = zip(zip(re, im).map { $0 * $0 + $1 * $1 }, Reference.stateVectorProbabilities(model))
            .map { abs($0 - $1) }.max()!
        XCTAssertLessThan(probabilityError, 1e-12)
    }

    func testSupportsMergeAndZeroAnglesDrop() throws {
        let model = try IQPModel(circuit: Circuit(nQubits: 3, gates: [[[0, 1], [1, 0]], [[2]], [[1, 2, 0]], [[0, 1, 2]]]),
                                 params: [0.25, 0, 0.5, -0.5])
        let circuit = try IQPCircuitSynthesis.compile(model)
        XCTAssertEqual(circuit.gates.filter { $0.name == "rzz" }, [.rzz(angle: -1.0, 0, 1)])
        XCTAssertTrue(circuit.gates.allSatisfy { $0.name != "rz" && $0.name != "cx" })
        XCTAssertEqual(CircuitStatistics(circuit).counts, ["h": 6, "rzz": 1, "measure": 3])
    }

    func testSharedLaddersApplyEachTrieEdgeOnce() throws {
        let n = 8
        let gates = try GateBuilders.local(nQubits: n, maxWeight: 5)
        let model = try IQPModel(circuit: Circuit(nQubits: n, gates: gates),
                                 params: [Double](repeating: 0.1, count: gates.count))
        // Basis rzz: support (s₁…s_w), w ≥ 3, needs the path (s₁…s_{w−1}); basis cx: the path
        // (s₁…s_w), w ≥ 2. Every path prefix of length ≥ 2 is one CNOT, applied once and undone
        // once when ladders are shared; independent ladders cost 2(w − 2) or 2(w − 1) each.
        var rzzPrefixes = Set<[Int]>(), cxPrefixes = Set<[Int]>()
        var rzzIndependent = 0, cxIndependent = 0
        for g in model.circuit.generators {
            if g.count >= 3 {
                for length in 2..<g.count { rzzPrefixes.insert(Array(g.prefix(length))) }
                rzzIndependent += 2 * (g.count - 2)
            }
            if g.count >= 2 {
                for length in 2...g.count { cxPrefixes.insert(Array(g.prefix(length))) }
                cxIndependent += 2 * (g.count - 1)
            }
        }
        func counts(_ basis: TwoQubitBasis, _ ladders: LadderSynthesis) throws -> [String: Int] {
            CircuitStatistics(try IQPCircuitSynthesis.compile(model, basis: basis, ladders: ladders)).counts
        }
        XCTAssertEqual(try counts(.rzz, .shared)["cx"], 2 * rzzPrefixes.count)
        XCTAssertEqual(try counts(.rzz, .independent)["cx"], rzzIndependent)
        XCTAssertEqual(try counts(.rzz, .shared)["rzz"], model.circuit.generatorCount - n)
        XCTAssertEqual(try counts(.rzz, .shared)["rz"], n)
        // Here every pair begins a longer support, so basis cx ladders them all.
        XCTAssertEqual(try counts(.cx, .shared)["cx"], 2 * cxPrefixes.count)
        XCTAssertEqual(try counts(.cx, .independent)["cx"], cxIndependent)
        XCTAssertEqual(try counts(.cx, .shared)["rz"], model.circuit.generatorCount)
        XCTAssertNil(try counts(.cx, .shared)["rzz"])
    }

    func testGHZPreparationTakesLogDepth() throws {
        for n in [1, 2, 3, 8, 9, 17] {
            let model = try IQPModel(circuit: Circuit(nQubits: n, gates: [[[0]]]), params: [0], spinSym: true)
            let stats = CircuitStatistics(try IQPCircuitSynthesis.compile(model))
            let rounds = Int((log2(Double(n))).rounded(.up))
            XCTAssertEqual(stats.counts["cx", default: 0], n - 1)
            XCTAssertEqual(stats.twoQubitDepth, rounds, "n \(n)")
            XCTAssertEqual(stats.depth, 1 + rounds + 3, "n \(n)")   // h, CNOT rounds, h, h, measure
        }
    }
}
