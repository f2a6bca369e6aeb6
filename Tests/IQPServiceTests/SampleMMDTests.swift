import Foundation
import IQPCore
import IQPTestSupport
@testable import IQPSampler
import XCTest

final class SampleMMDTests: XCTestCase {
    /// The kernel of docs/math.md §3 on two bit rows, computed from the bits.
    func kernel(_ a: BitMatrix, _ i: Int, _ b: BitMatrix, _ j: Int, sigma: Double) -> Double {
        var d = 0
        for c in 0..<a.columns where a[i, c] != b[j, c] { d += 1 }
        return exp(-Double(d) / (2 * sigma * sigma))
    }

    /// The U-statistic written out as its three double sums.
    func bruteForce(_ x: BitMatrix, _ y: BitMatrix, sigma: Double) -> Double {
        let n = Double(x.rows), m = Double(y.rows)
        var xx = 0.0, yy = 0.0, xy = 0.0
        for i in 0..<x.rows { for j in 0..<x.rows where i != j { xx += kernel(x, i, x, j, sigma: sigma) } }
        for i in 0..<y.rows { for j in 0..<y.rows where i != j { yy += kernel(y, i, y, j, sigma: sigma) } }
        for i in 0..<x.rows { for j in 0..<y.rows { xy += kernel(x, i, y, j, sigma: sigma) } }
        return xx / (n * (n - 1)) + yy / (m * (m - 1)) - 2 * xy / (n * m)
    }

    func randomBits(rows: Int, columns: Int, density: Double, key: UInt64) -> BitMatrix {
        var stream = KeyedStream(key: key)
        var m = BitMatrix(rows: rows, columns: columns)
        for r in 0..<rows { for c in 0..<columns where stream.nextUniform() < density { m[r, c] = true } }
        return m
    }

    func testMatchesDoubleSums() {
        for (columns, key) in [(7, 1), (64, 2), (130, 3)] as [(Int, UInt64)] {
            let x = randomBits(rows: 40, columns: columns, density: 0.3, key: key)
            let y = randomBits(rows: 31, columns: columns, density: 0.5, key: key + 100)
            let sigmas = [0.5, 1.0, Double(columns).squareRoot()]
            let got = SampleMMD.unbiased(samples: x, data: y, sigmas: sigmas)
            for (k, sigma) in sigmas.enumerated() {
                XCTAssertEqual(got[k], bruteForce(x, y, sigma: sigma), accuracy: 1e-12)
                XCTAssertEqual(SampleMMD.unbiased(samples: x, data: y, sigma: sigma), got[k], accuracy: 0)
            }
        }
        XCTAssertTrue(SampleMMD.unbiased(samples: BitMatrix(rows: 1, columns: 3), data: BitMatrix(rows: 5, columns: 3),
                                         sigma: 1).isNaN)
    }

    /// Thinning keeps evenly spaced rows: with a cap equal to the row count nothing changes,
    /// with a smaller cap the result equals the brute force on the kept rows.
    func testThinning() {
        let x = randomBits(rows: 50, columns: 10, density: 0.4, key: 9)
        let y = randomBits(rows: 30, columns: 10, density: 0.6, key: 10)
        let thinned = SampleMMD.unbiased(samples: x, data: y, sigmas: [1.3], maxRows: 20)[0]
        var kept = BitMatrix(rows: 20, columns: 10)
        for i in 0..<20 { kept.setRow(i, words: x.row(i * 50 / 20)) }
        var keptY = BitMatrix(rows: 20, columns: 10)
        for i in 0..<20 { keptY.setRow(i, words: y.row(i * 30 / 20)) }
        XCTAssertEqual(thinned, bruteForce(kept, keptY, sigma: 1.3), accuracy: 1e-12)
    }

    /// Unbiasedness: over 24 seeds, the mean of MMD²_u between shots of two 6-qubit circuits
    /// equals the exact MMD² Σ_{x,y} (p−q)(x) (p−q)(y) k(x,y) within 4 standard errors.
    func testUnbiasedAgainstExactDistributions() throws {
        let a = try Reference.randomModel(nQubits: 6, gates: 12, maxWeight: 2, seed: 71)
        let b = try Reference.randomModel(nQubits: 6, gates: 12, maxWeight: 2, seed: 72)
        let p = Reference.stateVectorProbabilities(a), q = Reference.stateVectorProbabilities(b)
        let sigma = 1.0
        var exact = 0.0
        for x in 0..<64 {
            for y in 0..<64 {
                exact += (p[x] - q[x]) * (p[y] - q[y]) * exp(-Double((x ^ y).nonzeroBitCount) / (2 * sigma * sigma))
            }
        }
        XCTAssertGreaterThan(exact, 1e-3)
        var values: [Double] = []
        for seed in 0..<24 as Range<UInt64> {
            let xs = try ExactIQPSimulator(model: a).sample(shots: 400, seed: seed).shots
            let ys = try ExactIQPSimulator(model: b).sample(shots: 300, seed: 1000 + seed).shots
            values.append(SampleMMD.unbiased(samples: xs, data: ys, sigma: sigma))
        }
        let mean = values.reduce(0, +) / Double(values.count)
        let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count - 1)
        let se = (variance / Double(values.count)).squareRoot()
        XCTAssertEqual(mean, exact, accuracy: 4 * se)
    }
}
