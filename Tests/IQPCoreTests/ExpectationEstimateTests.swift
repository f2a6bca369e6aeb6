import XCTest
@testable import IQPCore
import IQPTestSupport

/// `iqp expval`'s Monte Carlo estimate of <Z_a> and its standard error (docs/math.md §2).
final class ExpectationEstimateTests: XCTestCase {
    /// Every string of n qubits as a BitMatrix row (a = row index).
    func allStrings(n: Int) -> BitMatrix { TestCircuits.bitMatrix(Array(0..<(1 << n)), n: n) }

    /// The phase function F(y) = Σ_j θ'_j (−1)^{g_j·y} by its definition, for every y.
    func phaseFunction(_ model: IQPModel) -> [Double] {
        let masks = model.circuit.generators.map { $0.reduce(0) { $0 | (1 << $1) } }
        let thetaPrime = model.circuit.generatorParameters(model.params)
        return (0..<(1 << model.nQubits)).map { y in
            zip(masks, thetaPrime).reduce(0) { $0 + $1.1 * ((y & $1.0).nonzeroBitCount & 1 == 0 ? 1 : -1) }
        }
    }

    /// The estimate and its standard error are mean and std(f, ddof = 1)/√s of
    /// f_i = cos(F(z_i) − F(z_i ⊕ a)) over the samples z_i of the estimate's stream.
    func testEstimateIsTheMeanOfCosPhi() throws {
        let n = 7, s = 150
        for model in [TestCircuits.model(n: n, gates: TestCircuits.mixed(n: n), seed: 81),
                      TestCircuits.model(n: n, gates: TestCircuits.allSubsets(n: n, maxWeight: 2), seed: 82)] {
            let f = phaseFunction(model)
            let z = Reference.outcomes(UniformSampleSampler.samples(nQubits: n, seed: 9, step: 0, sigmaIndex: 0,
                                                                     range: 0..<s))
            let values = try ExpectationEstimate.estimate(model: model, strings: allStrings(n: n), samples: s, seed: 9)
            for a in 0..<(1 << n) {
                let terms = z.map { cos(f[$0] - f[$0 ^ a]) }
                let mean = terms.reduce(0, +) / Double(s)
                let variance = terms.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(s - 1)
                XCTAssertEqual(values[a].mean, mean, accuracy: 1e-12, "a = \(a)")
                XCTAssertEqual(values[a].standardError, (variance / Double(s)).squareRoot(), accuracy: 1e-12, "a = \(a)")
            }
        }
    }

    /// Over 40 seeds, (estimate − exact)/standard error has mean square close to 1 (for a
    /// correct standard error about 1.0; a standard error off by a factor 1.3 either way fails).
    func testStandardErrorIsHonest() throws {
        let n = 6, s = 200
        let model = TestCircuits.model(n: n, gates: TestCircuits.mixed(n: n), seed: 83)
        let p = BruteForce.probabilities(model)
        let exact = (0..<(1 << n)).map { BruteForce.expectation(p, string: $0) }
        var squares: [Double] = []
        for seed in 0..<40 as Range<UInt64> {
            let values = try ExpectationEstimate.estimate(model: model, strings: allStrings(n: n), samples: s, seed: seed)
            for a in 1..<(1 << n) {
                let z = (values[a].mean - exact[a]) / values[a].standardError
                XCTAssertLessThan(abs(z), 5.5, "seed \(seed), a = \(a)")
                squares.append(z * z)
            }
        }
        let meanSquare = squares.reduce(0, +) / Double(squares.count)
        XCTAssertGreaterThan(meanSquare, 0.6)
        XCTAssertLessThan(meanSquare, 1.6)
    }
}
