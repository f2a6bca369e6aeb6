import XCTest
@testable import IQPCore

/// The circuit's flat generator table (CSR) against the nested lists it replaces: the same
/// gates, generators, owners, θ' = Tθ and Tᵀ, the same errors, and the flat `local` builder.
final class CircuitTableTests: XCTestCase {
    /// Gates with several generators, mixed weights, and a gate list in a non-sorted qubit order.
    let mixedGates: [[[Int]]] = [[[0]], [[3, 1]], [[1, 2], [0]], [[4]], [[0, 2, 4], [3], [1, 4]]]

    func testNestedGatesRoundTripThroughTheTable() throws {
        let c = try Circuit(nQubits: 5, gates: mixedGates)
        XCTAssertEqual(c.gates, mixedGates)
        XCTAssertEqual(c.generators, mixedGates.flatMap { $0 })
        XCTAssertEqual(c.generatorGate, [0, 1, 2, 2, 3, 4, 4, 4])
        XCTAssertEqual(c.parameterCount, 5)
        XCTAssertEqual(c.generatorCount, 8)
        XCTAssertEqual(c.maxWeight, 3)
        XCTAssertEqual(Array(c.generator(1)), [3, 1], "qubit order as given")
        XCTAssertEqual(c.table.offsets, [0, 1, 3, 5, 6, 7, 10, 11, 13])
        XCTAssertNil(c.singleGenerator(ofGate: 2))
        XCTAssertEqual(c.singleGenerator(ofGate: 1).map(Array.init), [3, 1])
        // One generator per gate needs no gate offsets, and θ' = θ is the same array.
        let plain = try Circuit(nQubits: 3, gates: [[[0]], [[1, 2]]])
        XCTAssertNil(plain.gateOffsets)
        XCTAssertEqual(plain.generatorGate, [0, 1])
    }

    /// θ' = Tθ and ∂L/∂θ = Tᵀ∂L/∂θ' against the 0/1 matrix T written out from the nested list.
    func testParameterMapsMatchTheMatrixT() throws {
        let c = try Circuit(nQubits: 5, gates: mixedGates)
        var t = [[Double]](repeating: [Double](repeating: 0, count: 5), count: 8)
        var j = 0
        for (k, gate) in mixedGates.enumerated() { for _ in gate { t[j][k] = 1; j += 1 } }
        let theta = [0.3, -1.2, 0.7, 2.5, -0.1]
        let thetaPrime = c.generatorParameters(theta)
        for j in 0..<8 { XCTAssertEqual(thetaPrime[j], (0..<5).reduce(0) { $0 + t[j][$1] * theta[$1] }) }
        let g = (0..<8).map { Double($0) * 0.5 - 1 }
        let gate = c.gateGradient(g)
        for k in 0..<5 { XCTAssertEqual(gate[k], (0..<8).reduce(0) { $0 + t[$1][k] * g[$1] }, accuracy: 1e-15) }
    }

    /// The flat builder gives the same circuit (equal tables) as the nested IQPopt list.
    func testFlatLocalEqualsNestedLocal() throws {
        for (n, k) in [(1, 1), (5, 2), (9, 3), (12, 12), (40, 2)] {
            let flat = try Circuit.local(nQubits: n, maxWeight: k)
            let nested = try Circuit(nQubits: n, gates: GateBuilders.local(nQubits: n, maxWeight: k))
            XCTAssertEqual(flat, nested, "n = \(n), k = \(k)")
            XCTAssertEqual(flat.gates, try GateBuilders.local(nQubits: n, maxWeight: k))
        }
        XCTAssertEqual(try GateBuilders.circuit(spec: "local:2", nQubits: 30), try Circuit.local(nQubits: 30, maxWeight: 2))
        XCTAssertEqual(try GateBuilders.circuit(spec: "lattice:3x4", nQubits: 12),
                       try Circuit(nQubits: 12, gates: GateBuilders.lattice(rows: 3, columns: 4)))
        // Beyond the nested builder's limit, the flat one still counts exactly (no allocation here).
        XCTAssertEqual(try GateBuilders.localGateCount(nQubits: 10_000, maxWeight: 2, limit: Circuit.maximumLocalGateCount),
                       50_005_000)
        XCTAssertThrowsError(try Circuit.local(nQubits: 10, maxWeight: 0))
        XCTAssertThrowsError(try Circuit.local(nQubits: 2000, maxWeight: 3)) { XCTAssertTrue("\($0)".contains("gates")) }
    }

    /// The same messages and fields as before for bad gate lists.
    func testValidationErrorsNameTheGenerator() {
        func message(_ gates: [[[Int]]]) -> String {
            do { _ = try Circuit(nQubits: 4, gates: gates); return "no error" } catch { return "\(error)" }
        }
        XCTAssertTrue(message([[[0]], [[1, 4]]]).contains("gates[1][0]"))
        XCTAssertTrue(message([[[0]], [[1, 4]]]).contains("out of range"))
        XCTAssertTrue(message([[[2, 0, 2]]]).contains("appears twice"))
        XCTAssertTrue(message([[[0]], [[1], []]]).contains("gates[1][1]"))
        XCTAssertTrue(message([[[0]], []]).contains("gate 1 has no generators"))
        XCTAssertThrowsError(try Circuit(nQubits: 0, gates: []))
        // A qubit may appear in many generators, just not twice in one.
        XCTAssertNoThrow(try Circuit(nQubits: 3, gates: [[[0, 1]], [[1, 0]], [[2, 1, 0]]]))
    }

    /// The fast path reads the table directly: the same numbers from a nested and a flat circuit.
    func testFastPathOnFlatAndNestedCircuits() throws {
        let n = 30
        let nested = try Circuit(nQubits: n, gates: GateBuilders.local(nQubits: n, maxWeight: 2))
        let flat = try Circuit.local(nQubits: n, maxWeight: 2)
        var stream = KeyedStream(key: 5)
        let tp = (0..<flat.generatorCount).map { _ in stream.nextUniform() - 0.5 }
        let strings = PauliStringSampler(nQubits: n, sigma: 1.5).strings(seed: 1, step: 0, sigmaIndex: 0, range: 0..<30)
        let z = UniformSampleSampler.samples(nQubits: n, seed: 1, step: 0, sigmaIndex: 0, range: 0..<40)
        let a = try PairwiseIsingEstimator(circuit: nested), b = try PairwiseIsingEstimator(circuit: flat)
        let fa = a.forward(thetaPrime: tp, strings: strings, samples: z, spinSym: false)
        let fb = b.forward(thetaPrime: tp, strings: strings, samples: z, spinSym: false)
        XCTAssertEqual(fa.rowSum, fb.rowSum)
        let alpha = (0..<30).map { Double($0) / 30 - 0.5 }
        XCTAssertEqual(a.backward(fa, thetaPrime: tp, alpha: alpha, beta: 0.2), b.backward(fb, thetaPrime: tp, alpha: alpha, beta: 0.2))
    }
}
