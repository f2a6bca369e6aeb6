import Foundation
import XCTest
@testable import IQPCore

final class GeneratorIsingTests: XCTestCase {
    /// 4 spins, couplings of both signs, non-zero biases.
    private func smallModel(temperature: Double = 1.3) throws -> IsingModel {
        let graph = try Graph(nodeCount: 4, edges: [(0, 1), (1, 2), (2, 3), (0, 3), (0, 2)])
        return try IsingModel(graph: graph, couplings: [0.8, -0.5, 1.2, 0.3, 0.6],
                              biases: [0.3, -0.2, 0, 0.5], temperature: temperature)
    }

    /// Empirical counts of the 2^n states (state index k has x_i = bit i of k).
    private func stateCounts(_ samples: BitMatrix) -> [Int] {
        var counts = [Int](repeating: 0, count: 1 << samples.columns)
        for r in 0..<samples.rows { counts[Int(samples.row(r).first!)] += 1 }
        return counts
    }

    private func chiSquare(_ counts: [Int], _ probabilities: [Double]) -> Double {
        let total = Double(counts.reduce(0, +))
        return zip(counts, probabilities).reduce(0.0) { sum, pair in
            let expected = total * pair.1
            return sum + pow(Double(pair.0) - expected, 2) / expected
        }
    }

    func testEnergyConvention() throws {
        // E = −J s0 s1 − b0 s0, bit 1 is spin +1.
        let model = try IsingModel(graph: Graph(nodeCount: 2, edges: [(0, 1)]), couplings: [1.5],
                                   biases: [0.25, 0], temperature: 1)
        XCTAssertEqual(model.energy(bits: [1, 1]), -1.5 - 0.25)
        XCTAssertEqual(model.energy(bits: [0, 0]), -1.5 + 0.25)
        XCTAssertEqual(model.energy(bits: [1, 0]), 1.5 - 0.25)
        XCTAssertEqual(model.energy(spins: [-1, 1]), 1.5 + 0.25)

        // Exact distribution of two spins with J = 1, T = 2 (index = x0 + 2 x1).
        let pair = try IsingModel(graph: Graph(nodeCount: 2, edges: [(0, 1)]), couplings: [1], biases: [0, 0],
                                  temperature: 2)
        let aligned = exp(0.5) / (2 * exp(0.5) + 2 * exp(-0.5))
        let p = try pair.exactProbabilities()
        XCTAssertEqual(p[0], aligned, accuracy: 1e-14)
        XCTAssertEqual(p[3], aligned, accuracy: 1e-14)
        XCTAssertEqual(p[1], 0.5 - aligned, accuracy: 1e-14)
        XCTAssertEqual(p.reduce(0, +), 1, accuracy: 1e-14)
    }

    func testPositiveBiasFavoursBitOne() throws {
        // One free spin, b = 0.5, T = 1: P(x = 1) = e^{0.5} / (e^{0.5} + e^{−0.5}).
        let model = try IsingModel(graph: Graph(nodeCount: 1, edges: []), couplings: [], biases: [0.5], temperature: 1)
        let sampler = try MetropolisSampler(burnInSweeps: 10, thinningSweeps: 3, chains: 2)
        let count = 20_000
        let samples = sampler.sample(model, count: count, seed: 21)
        let expected = exp(0.5) / (exp(0.5) + exp(-0.5))
        let mean = samples.columnMeans()[0]
        XCTAssertEqual(mean, expected, accuracy: 5 * (expected * (1 - expected) / Double(count)).squareRoot())
    }

    func testMetropolisMatchesBoltzmannDistribution() throws {
        let model = try smallModel()
        let exact = try model.exactProbabilities()
        let sampler = try MetropolisSampler(burnInSweeps: 100, thinningSweeps: 5, chains: 4)
        let samples = sampler.sample(model, count: 40_000, seed: 1234)
        let counts = stateCounts(samples)
        // 15 degrees of freedom: P(χ² > 45) ≈ 7e-5 for independent samples.
        XCTAssertLessThan(chiSquare(counts, exact), 45)
        let total = Double(samples.rows)
        let tv = 0.5 * zip(counts, exact).reduce(0.0) { $0 + abs(Double($1.0) / total - $1.1) }
        XCTAssertLessThan(tv, 0.015)
    }

    func testStatisticsDoNotDependOnChainCount() throws {
        let model = try smallModel(temperature: 0.9)
        let exact = try model.exactProbabilities()
        for chains in [1, 3, 8] {
            let sampler = try MetropolisSampler(burnInSweeps: 50, thinningSweeps: 6, chains: chains)
            let samples = sampler.sample(model, count: 30_000, seed: 99)
            XCTAssertLessThan(chiSquare(stateCounts(samples), exact), 45, "chains = \(chains)")
        }
    }

    func testLatticeMomentsMatchExactEnumeration() throws {
        // The 4×4 study setting (couplings U(0,2), T = 3) against all 65,536 states.
        let lattice = try Graph.lattice(rows: 4, columns: 4)
        let model = try IsingModel.random(graph: lattice, couplingScale: 2, temperature: 3, seed: 8)
        let exact = try model.exactProbabilities()
        var exactM2 = 0.0
        var exactBond = [Double](repeating: 0, count: lattice.edges.count)
        for k in 0..<exact.count {
            let m = Double(2 * k.nonzeroBitCount - 16) / 16
            exactM2 += exact[k] * m * m
            for (e, (i, j)) in lattice.edges.enumerated() {
                exactBond[e] += exact[k] * ((k >> i) & 1 == (k >> j) & 1 ? 1 : -1)
            }
        }
        let sampler = try MetropolisSampler(burnInSweeps: 1000, thinningSweeps: 14, chains: 8)
        let samples = sampler.sample(model, count: 20_000, seed: 8)
        let n = Double(samples.rows)
        var m2 = 0.0
        var bond = [Double](repeating: 0, count: lattice.edges.count)
        for r in 0..<samples.rows {
            let m = Double(2 * samples.popcount(row: r) - 16) / 16
            m2 += m * m / n
            for (e, (i, j)) in lattice.edges.enumerated() { bond[e] += (samples[r, i] == samples[r, j] ? 1 : -1) / n }
        }
        // Per-row standard deviations are below 0.5 (m²) and 1 (bonds): with N = 20,000 rows
        // the standard errors are below 0.0035 and 0.007; tolerances allow about 4 of them
        // plus some autocorrelation.
        XCTAssertEqual(m2, exactM2, accuracy: 0.02)
        for e in 0..<bond.count { XCTAssertEqual(bond[e], exactBond[e], accuracy: 0.03, "bond \(lattice.edges[e])") }
    }

    func testGlobalFlipsMixOrderedSectors() throws {
        // 6 spins, all pairs coupled with J = 2 at T = 1: leaving an aligned state by single
        // flips costs ΔE = 20, so single-flip chains keep the sector they start in. The exact
        // weight of the mostly-(+1) sector is set by the biases alone.
        var edges: [(Int, Int)] = []
        for i in 0..<6 { for j in (i + 1)..<6 { edges.append((i, j)) } }
        let graph = try Graph(nodeCount: 6, edges: edges)
        for bias in [0.0, 0.2] {
            let model = try IsingModel(graph: graph, couplings: [Double](repeating: 2, count: 15),
                                       biases: [Double](repeating: bias, count: 6), temperature: 1)
            let exact = try model.exactProbabilities()
            let exactMeanBit = (0..<64).reduce(0.0) { $0 + exact[$1] * Double($1.nonzeroBitCount) / 6 }
            let sampler = try MetropolisSampler(burnInSweeps: 20, thinningSweeps: 4, chains: 8)
            let count = 20_000
            let samples = sampler.sample(model, count: count, seed: 31)
            let meanBit = samples.columnMeans().reduce(0, +) / 6
            // Per row the mean bit is almost exactly 0 or 1: standard error ≤ 0.5/√count.
            XCTAssertEqual(meanBit, exactMeanBit, accuracy: 5 * 0.5 / Double(count).squareRoot(), "bias \(bias)")
        }
    }

    func testSamplerIsDeterministicPerSeed() throws {
        let model = try IsingModel.random(graph: Graph.lattice(rows: 3, columns: 3), temperature: 2, seed: 5)
        let sampler = try MetropolisSampler(burnInSweeps: 20, thinningSweeps: 2, chains: 3)
        let a = sampler.sample(model, count: 1000, seed: 5)
        XCTAssertEqual(a.rows, 1000)
        XCTAssertEqual(a, sampler.sample(model, count: 1000, seed: 5))
        XCTAssertNotEqual(a, sampler.sample(model, count: 1000, seed: 6))
    }

    func testRandomCouplingsAndBiases() throws {
        let lattice = try Graph.lattice(rows: 4, columns: 4)
        let model = try IsingModel.random(graph: lattice, couplingScale: 2, temperature: 3, seed: 17)
        XCTAssertEqual(model.couplings.count, 32)
        XCTAssertTrue(model.couplings.allSatisfy { $0 >= 0 && $0 < 2 })
        let mean = model.couplings.reduce(0, +) / 32
        XCTAssertEqual(mean, 1, accuracy: 4 * (4.0 / 12 / 32).squareRoot())
        XCTAssertEqual(model.biases, [Double](repeating: 0, count: 16))

        // The couplings belong to edges, not to the order in which the graph lists them.
        let reversed = try Graph(nodeCount: 16, edges: lattice.edges.reversed().map { ($0.1, $0.0) })
        let same = try IsingModel.random(graph: reversed, couplingScale: 2, temperature: 3, seed: 17)
        XCTAssertEqual(same.couplings, model.couplings)
        XCTAssertTrue(zip(same.edges, model.edges).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 })
        XCTAssertNotEqual(try IsingModel.random(graph: lattice, couplingScale: 2, temperature: 3, seed: 18).couplings,
                          model.couplings)

        let star = try Graph(nodeCount: 4, edges: [(0, 1), (0, 2), (0, 3)])
        let biased = try IsingModel.random(graph: star, bias: .perDegree(-0.01), temperature: 1, seed: 1)
        XCTAssertEqual(biased.biases, [-0.03, -0.01, -0.01, -0.01])
    }

    func testRejectsInvalidModelsAndSettings() throws {
        let g = try Graph(nodeCount: 2, edges: [(0, 1)])
        XCTAssertThrowsError(try IsingModel(graph: g, couplings: [1], biases: [0, 0], temperature: 0))
        XCTAssertThrowsError(try IsingModel(graph: g, couplings: [], biases: [0, 0], temperature: 1))
        XCTAssertThrowsError(try IsingModel(graph: Graph(nodeCount: 2, edges: [(0, 1), (1, 0)]), couplings: [1, 1],
                                            biases: [0, 0], temperature: 1))
        XCTAssertThrowsError(try IsingModel(graph: Graph(nodeCount: 2, edges: [(1, 1)]), couplings: [1],
                                            biases: [0, 0], temperature: 1))
        XCTAssertThrowsError(try MetropolisSampler(burnInSweeps: -1, thinningSweeps: 1, chains: 1))
        XCTAssertThrowsError(try MetropolisSampler(burnInSweeps: 0, thinningSweeps: 0, chains: 1))
        XCTAssertThrowsError(try MetropolisSampler(burnInSweeps: 0, thinningSweeps: 1, chains: 0))
    }
}
