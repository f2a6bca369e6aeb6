import XCTest
@testable import IQPCore
import IQPTestSupport

/// The exact small-n path (docs/math.md §10) against brute force: <Z_a> for all strings, the loss
/// over all strings and its gradient, for IQP circuits (plain and spin-symmetric start) and the
/// bitflip model, with weights up to n, shared parameters, several σ and wires.
final class ExactPathTests: XCTestCase {
    func assertClose(_ a: Double, _ b: Double, _ tolerance: Double = 1e-10, _ what: String,
                     file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a, b, accuracy: tolerance * max(1, abs(b)), what, file: file, line: line)
    }

    /// <Z_a> = WHT(|WHT(F)|²)(a)/4ⁿ for every a equals Σ_x p(x)(−1)^{a·x} from the state vector.
    func testExpectationsOfAllStringsMatchStateVector() throws {
        for (n, spinSym, seed) in [(10, false, UInt64(1)), (10, true, 2), (7, true, 3)] {
            let model = try Reference.randomModel(nQubits: n, gates: 3 * n, maxWeight: n, seed: seed, spinSym: spinSym)
            let kernel = ExactIQPExpectations(circuit: model.circuit, spinSym: spinSym,
                                              layout: ExactVectorLayout(nQubits: n, communicator: LocalCommunicator()))
            kernel.forward(thetaPrime: model.circuit.generatorParameters(model.params))
            let p = Reference.stateVectorProbabilities(model)
            let reference = Reference.walshHadamard(p)
            for a in 0..<(1 << n) { assertClose(kernel.values[a], reference[a], 1e-12, "n=\(n) a=\(a)") }
            XCTAssertEqual(kernel.values[0], 1, accuracy: 1e-13)
            if spinSym { for a in 0..<(1 << n) where a.nonzeroBitCount % 2 == 1 { XCTAssertEqual(kernel.values[a], 0, accuracy: 1e-13) } }
        }
    }

    /// The bitflip model's closed form over all strings (logarithms and sparse transforms) equals
    /// <Z_a> of its enumerated distribution, with a factor cos 2θ' of exactly ±6e-17 (θ' = π/4)
    /// and a negative one in the circuit.
    func testBitflipExpectationsOfAllStringsMatchEnumeration() throws {
        for spinSym in [false, true] {
            var model = try Reference.randomModel(nQubits: 8, gates: 20, maxWeight: 8, seed: 11, spinSym: spinSym, kind: .bitflip)
            model.params[3] = Double.pi / 4
            model.params[5] = 1.2
            let kernel = ExactBitflipExpectations(circuit: model.circuit, spinSym: spinSym,
                                                  layout: ExactVectorLayout(nQubits: 8, communicator: LocalCommunicator()))
            kernel.forward(thetaPrime: model.circuit.generatorParameters(model.params))
            let reference = Reference.walshHadamard(Reference.bitflipDistribution(model))
            for a in 0..<256 { assertClose(kernel.values[a], reference[a], 1e-12, "spinSym=\(spinSym) a=\(a)") }
        }
    }

    /// One loss-and-gradient check: the exact objective against `ExactBruteForce`.
    func check(_ model: IQPModel, sigmas: [Double], wires: [Int]? = nil, rows: Int = 150, seed: UInt64 = 5,
               file: StaticString = #filePath, line: UInt = #line) throws {
        let n = model.nQubits
        let data = try ExactBruteForce.data(nQubits: n, count: rows, seed: seed)
        let objective = try ExactBruteForce.objective(model, train: data.matrix, sigmas: sigmas, wires: wires)
        let result = objective.evaluate(params: model.params, step: 0)
        XCTAssertEqual(result.paths, Array(repeating: .exact, count: sigmas.count), file: file, line: line)
        let p = ExactBruteForce.distribution(model)
        let loss = ExactBruteForce.loss(p, rows: data.rows, sigmas: sigmas, wires: wires)
        assertClose(result.loss, loss, 1e-10, "loss", file: file, line: line)
        for (k, sigma) in sigmas.enumerated() {
            assertClose(result.lossPerSigma[k], ExactBruteForce.loss(p, rows: data.rows, sigmas: [sigma], wires: wires),
                        1e-10, "loss σ=\(sigma)", file: file, line: line)
        }
        let gradient = try ExactBruteForce.gradient(model, rows: data.rows, sigmas: sigmas, wires: wires)
        XCTAssertGreaterThan(gradient.map(abs).max()!, 1e-4, "a gradient that tests something", file: file, line: line)
        for j in 0..<gradient.count {
            assertClose(result.gradient[j], gradient[j], 1e-10, "∂L/∂θ\(j)", file: file, line: line)
        }
    }

    func testLossAndGradientMatchBruteForceWithWeightsUpToN() throws {
        // Gates of 1–2 generators (shared parameters) of weight 1…8.
        try check(try Reference.randomModel(nQubits: 8, gates: 24, maxWeight: 8, seed: 21), sigmas: [0.6, 1.3, 3.0])
    }

    func testSpinSymmetricLossAndGradientMatchBruteForce() throws {
        try check(try Reference.randomModel(nQubits: 8, gates: 24, maxWeight: 8, seed: 22, spinSym: true),
                  sigmas: [0.8, 2.0])
    }

    func testLossAndGradientOnWiresMatchBruteForce() throws {
        try check(try Reference.randomModel(nQubits: 7, gates: 16, maxWeight: 7, seed: 23, spinSym: true),
                  sigmas: [0.7, 1.5], wires: [0, 2, 3, 6])
    }

    func testLossAndGradientMatchBruteForceOnTwelveQubits() throws {
        try check(try Reference.randomModel(nQubits: 12, gates: 14, maxWeight: 12, seed: 24), sigmas: [1.1], rows: 200)
    }

    func testBitflipLossAndGradientMatchBruteForce() throws {
        for spinSym in [false, true] {
            var model = try Reference.randomModel(nQubits: 8, gates: 20, maxWeight: 8, seed: 25, spinSym: spinSym, kind: .bitflip)
            model.params[2] = Double.pi / 4            // |cos 2θ'| ≈ 6e-17: the direct sum
            model.params[7] = Double.pi / 4 + 3e-5     // |cos 2θ'| ≈ 6e-5: the direct sum
            try check(model, sigmas: [0.7, 1.6], wires: spinSym ? nil : [1, 2, 4, 5, 7])
        }
    }

    /// The gradient is the derivative of the loss: central differences (h = 1e-5) along random
    /// directions in parameter space.
    func testGradientMatchesFiniteDifferences() throws {
        for (kind, spinSym) in [(ModelKind.iqp, false), (.iqp, true), (.bitflip, false)] {
            let model = try Reference.randomModel(nQubits: 9, gates: 30, maxWeight: 9, seed: 31, spinSym: spinSym, kind: kind)
            let data = try ExactBruteForce.data(nQubits: 9, count: 120, seed: 32)
            let objective = try ExactBruteForce.objective(model, train: data.matrix, sigmas: [0.9, 2.2])
            let gradient = objective.evaluate(params: model.params, step: 0).gradient
            var stream = KeyedStream(key: 33)
            for _ in 0..<3 {
                let direction = model.params.map { _ in stream.nextUniform() - 0.5 }
                let h = 1e-5
                func loss(_ t: Double) -> Double {
                    objective.evaluate(params: zip(model.params, direction).map { $0 + t * $1 }, step: 0, gradient: false).loss
                }
                let numeric = (loss(h) - loss(-h)) / (2 * h)
                let analytic = zip(gradient, direction).reduce(0) { $0 + $1.0 * $1.1 }
                XCTAssertEqual(analytic, numeric, accuracy: 1e-7 * max(1, abs(numeric)), "\(kind) spinSym=\(spinSym)")
            }
        }
    }

    /// The data spectrum S_a = WHT(histogram)(a) equals Σ_x (−1)^{a·x} counted row by row.
    func testDataSpectrumMatchesParitySums() throws {
        let data = try ExactBruteForce.data(nQubits: 9, count: 300, seed: 41)
        let spectrum = try DataParitySpectrum(shard: data.matrix, nQubits: 9)
        var strings = BitMatrix(rows: 512, columns: 9)
        for a in 0..<512 { for i in 0..<9 where a >> i & 1 == 1 { strings[a, i] = true } }
        let sums = Reference.paritySums(strings: strings, data: data.matrix)
        for a in 0..<512 { XCTAssertEqual(spectrum.values[a], sums[a], "a=\(a)") }
        XCTAssertEqual(spectrum.rowCount, 300)
    }

    /// Σ_a w_σ(a) = 1 and w_σ(a) = 0 off the wires; the table matches p^{|a|}(1−p)^{|W|−|a|}.
    func testStringWeightsAreTheSamplersDistribution() {
        let w = PauliStringWeights(nQubits: 6, sigma: 0.9, wires: [1, 2, 5])
        let p = PauliStringSampler.probability(sigma: 0.9)
        XCTAssertEqual((0..<64).map(w.weight).reduce(0, +), 1, accuracy: 1e-15)
        XCTAssertEqual(w.weight(0b100110), p * p * p, accuracy: 1e-16)
        XCTAssertEqual(w.weight(0b000010), p * (1 - p) * (1 - p), accuracy: 1e-16)
        XCTAssertEqual(w.weight(0b000001), 0)
    }

    /// The vectors are admitted against the memory budget, with an error naming the option and
    /// the bytes needed.
    func testMemoryBudgetIsEnforced() throws {
        let model = try Reference.randomModel(nQubits: 12, gates: 4, maxWeight: 2, seed: 51)
        let data = try ExactBruteForce.data(nQubits: 12, count: 10, seed: 52)
        let needed = ExactPathCost.bytes(nQubits: 12, kind: .iqp, dataSets: 1)
        XCTAssertEqual(needed, 48 << 12)
        XCTAssertThrowsError(try ExactBruteForce.objective(model, train: data.matrix, sigmas: [1], memoryBudget: needed - 1)) {
            let e = $0 as! IQPError
            XCTAssertEqual(e.field, "memoryBudget")
            XCTAssertTrue(e.message.contains("\(needed) bytes") && e.message.contains("`memoryBudget`"), e.message)
        }
        XCTAssertNoThrow(try ExactBruteForce.objective(model, train: data.matrix, sigmas: [1], memoryBudget: needed))
    }
}
