import XCTest
@testable import IQPCore

/// The Monte Carlo estimator of <Z_a> (docs/math.md §2, §8) against a brute-force state vector.
final class EstimatorTests: XCTestCase {
    /// Every string a of n qubits as a BitMatrix row (a = row index).
    func allStrings(n: Int) -> BitMatrix { TestCircuits.bitMatrix(Array(0..<(1 << n)), n: n) }

    func checkEstimates(_ model: IQPModel, strings: BitMatrix, samples s: Int, seed: UInt64,
                        file: StaticString = #filePath, line: UInt = #line) {
        let p = BruteForce.probabilities(model)
        let est = DenseEstimator(circuit: model.circuit)
        let z = UniformSampleSampler.samples(nQubits: model.nQubits, seed: seed, step: 0, sigmaIndex: 0, range: 0..<s)
        let fwd = est.forward(thetaPrime: model.circuit.generatorParameters(model.params), strings: strings,
                              samples: z, spinSym: model.spinSym)
        var worst = 0.0
        for a in 0..<strings.rows {
            let exact = BruteForce.expectation(p, string: BruteForce.mask(strings, row: a))
            let mean = fwd.rowSum[a] / Double(s)
            let variance = max(0, (fwd.rowSumSquares[a] / Double(s) - mean * mean) * Double(s) / Double(s - 1))
            let se = (variance / Double(s)).squareRoot()
            let z = abs(mean - exact) / max(se, 1e-12)
            worst = max(worst, z)
            XCTAssertLessThan(abs(mean - exact), 4.5 * se + 1e-12,
                              "string \(a): estimate \(mean) ± \(se), exact \(exact)", file: file, line: line)
        }
        XCTAssertGreaterThan(worst, 0.01, "estimates suspiciously exact", file: file, line: line)
    }

    func testWeightTwoCircuitMatchesStateVector() {
        let model = TestCircuits.model(n: 6, gates: TestCircuits.allSubsets(n: 6, maxWeight: 2), seed: 1)
        checkEstimates(model, strings: allStrings(n: 6), samples: 4000, seed: 11)
    }

    func testMixedWeightsWithSharedParametersMatchStateVector() {
        let model = TestCircuits.model(n: 8, gates: TestCircuits.mixed(n: 8), seed: 2)
        let sampler = PauliStringSampler(nQubits: 8, sigma: 1.0)
        checkEstimates(model, strings: sampler.strings(seed: 5, step: 0, sigmaIndex: 0, range: 0..<60),
                       samples: 5000, seed: 12)
    }

    func testWeightFourLocalCircuitOnTenQubits() {
        let gates = TestCircuits.allSubsets(n: 10, maxWeight: 2) + [[[0, 3, 5, 9]], [[1, 2, 7]]]
        let model = TestCircuits.model(n: 10, gates: gates, seed: 3, scale: 0.5)
        let sampler = PauliStringSampler(nQubits: 10, sigma: 1.5)
        checkEstimates(model, strings: sampler.strings(seed: 6, step: 0, sigmaIndex: 0, range: 0..<40),
                       samples: 4000, seed: 13)
    }

    func testSpinSymmetricStartMatchesStateVector() {
        let model = TestCircuits.model(n: 6, gates: TestCircuits.allSubsets(n: 6, maxWeight: 3), seed: 4,
                                       spinSym: true, scale: 0.6)
        checkEstimates(model, strings: allStrings(n: 6), samples: 4000, seed: 14)
        // Exact value is zero for every odd-weight string (docs/math.md §8).
        let p = BruteForce.probabilities(model)
        for a in 0..<64 where a.nonzeroBitCount % 2 == 1 {
            XCTAssertEqual(BruteForce.expectation(p, string: a), 0, accuracy: 1e-12)
        }
    }

    func testBitflipExpectationIsExact() {
        let model = TestCircuits.model(n: 7, gates: TestCircuits.mixed(n: 7), seed: 5, kind: .bitflip)
        let p = BruteForce.bitflipProbabilities(model)
        let strings = allStrings(n: 7)
        let values = BitflipExpectation(circuit: model.circuit)
            .expectations(thetaPrime: model.circuit.generatorParameters(model.params), strings: strings)
        for a in 0..<strings.rows {
            XCTAssertEqual(values[a], BruteForce.expectation(p, string: a), accuracy: 1e-12)
        }
    }

    func testSpinSymmetricBitflipExpectationIsExact() {
        let model = TestCircuits.model(n: 6, gates: TestCircuits.mixed(n: 6), seed: 9, spinSym: true, kind: .bitflip)
        let p = BruteForce.bitflipProbabilities(model)
        let strings = allStrings(n: 6)
        let values = BitflipExpectation(circuit: model.circuit)
            .expectations(thetaPrime: model.circuit.generatorParameters(model.params), strings: strings, spinSym: true)
        for a in 0..<strings.rows { XCTAssertEqual(values[a], BruteForce.expectation(p, string: a), accuracy: 1e-12) }
        XCTAssertTrue(values.contains { abs($0) > 0.05 })
    }

    /// A tiny memory budget forces string and generator chunking; results must not change.
    func testChunkedEstimatorGivesTheSameNumbers() {
        let model = TestCircuits.model(n: 8, gates: TestCircuits.allSubsets(n: 8, maxWeight: 3), seed: 6)
        let strings = PauliStringSampler(nQubits: 8, sigma: 0.8).strings(seed: 1, step: 0, sigmaIndex: 0, range: 0..<50)
        let z = UniformSampleSampler.samples(nQubits: 8, seed: 2, step: 0, sigmaIndex: 0, range: 0..<300)
        let tp = model.circuit.generatorParameters(model.params)
        let big = DenseEstimator(circuit: model.circuit)
        let small = DenseEstimator(circuit: model.circuit, memoryBudget: 1 << 16)
        XCTAssertLessThan(small.chunkSizes(strings: 50, samples: 300).strings, 50)
        XCTAssertLessThan(small.chunkSizes(strings: 50, samples: 300).generators, model.circuit.generatorCount)
        let f1 = big.forward(thetaPrime: tp, strings: strings, samples: z, spinSym: false)
        let f2 = small.forward(thetaPrime: tp, strings: strings, samples: z, spinSym: false)
        for a in 0..<50 { XCTAssertEqual(f1.rowSum[a], f2.rowSum[a], accuracy: 1e-10) }
        let alpha = (0..<50).map { Double($0) / 50 - 0.5 }
        let g1 = big.backward(f1, thetaPrime: tp, alpha: alpha, beta: 0.3)
        let g2 = small.backward(f2, thetaPrime: tp, alpha: alpha, beta: 0.3)
        for j in 0..<g1.count { XCTAssertEqual(g1[j], g2[j], accuracy: 1e-9 * max(1, abs(g1[j]))) }
    }
}
