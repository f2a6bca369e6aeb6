import Foundation
import XCTest
@testable import IQPCore

/// `--sigma median` and `heuristic:K` against direct computations of IQPopt's definitions.
final class BandwidthTests: XCTestCase {
    private func randomData(rows: Int, columns: Int, seed: UInt64, density: Double = 0.3) -> BitMatrix {
        var s = KeyedStream(seed: seed, step: 0, sigmaIndex: 0, purpose: .initialisation, index: 0)
        var m = BitMatrix(rows: rows, columns: columns)
        for r in 0..<rows { for c in 0..<columns where s.nextUniform() < density { m[r, c] = true } }
        return m
    }

    /// IQPopt's `median_heuristic`, literally: np.median of sqrt(Σ(x_i − x_j)²) over all m² (i, j).
    private func directMedian(_ x: BitMatrix, rows m: Int) -> Double {
        var distances: [Double] = []
        for i in 0..<m { for j in 0..<m {
            var d = 0
            for c in 0..<x.columns where x[i, c] != x[j, c] { d += 1 }
            distances.append(Double(d).squareRoot())
        } }
        distances.sort()
        let t = distances.count
        return t % 2 == 1 ? distances[t / 2] : (distances[t / 2 - 1] + distances[t / 2]) / 2
    }

    func testMedianHeuristicEqualsTheDirectComputation() {
        for (rows, columns, seed) in [(37, 16, UInt64(1)), (40, 16, 2), (25, 100, 3), (2, 5, 4), (1, 7, 5)] {
            let x = randomData(rows: rows, columns: columns, seed: seed)
            XCTAssertEqual(Bandwidth.medianHeuristic(x), directMedian(x, rows: rows), accuracy: 1e-15,
                           "\(rows) rows × \(columns)")
        }
        // m = 2 rows at distance 4: the ordered pairs are 0, 0, 2, 2 → median 1.
        let two = BitMatrix(rows: [[0, 0, 0, 0], [1, 1, 1, 1]], columns: 4)
        XCTAssertEqual(Bandwidth.medianHeuristic(two), 1)
    }

    func testMedianHeuristicLooksAtTheFirstThousandRows() {
        var x = randomData(rows: 1003, columns: 9, seed: 6)
        let first = Bandwidth.medianHeuristic(x)
        for r in 1000..<1003 { for c in 0..<9 { x[r, c] = true } }
        XCTAssertEqual(Bandwidth.medianHeuristic(x), first)
        XCTAssertEqual(first, directMedian(x, rows: 1000), accuracy: 1e-15)
    }

    func testSigmaHeuristicIsIQPoptsLinspace() {
        // n = 16: σ₂ = √(−1/(2 ln 0.75)) = 1.31834…, the first σ of the study's 2D Ising grid.
        let s = Bandwidth.sigmaHeuristic(nQubits: 16, median: 4, count: 3)
        XCTAssertEqual(s[0], (-1 / (2 * log(0.75))).squareRoot(), accuracy: 1e-15)
        XCTAssertEqual(s[0], 1.31834, accuracy: 5e-6)
        XCTAssertEqual(s[1], (s[0] + 2) / 2, accuracy: 1e-15)
        XCTAssertEqual(s[2], 2)
        // n = 1000: σ₂ = 11.16914…, the study's largest scale-free σ.
        XCTAssertEqual(Bandwidth.sigmaHeuristic(nQubits: 1000, median: 1, count: 1)[0], 11.16914648, accuracy: 1e-8)
    }

    func testParseAndResolve() throws {
        XCTAssertEqual(try Bandwidth.parseList("0.6, median,heuristic:2"), [.value(0.6), .median, .heuristic(2)])
        XCTAssertThrowsError(try Bandwidth.parseList("0.6,medium"))
        XCTAssertThrowsError(try Bandwidth.parseList("heuristic:0"))
        XCTAssertThrowsError(try Bandwidth.parseList(""))
        let x = randomData(rows: 30, columns: 20, seed: 7)
        let median = directMedian(x, rows: 30)
        let resolved = try Bandwidth.resolve([.value(0.6), .median, .heuristic(2)], data: x)
        XCTAssertEqual(resolved.count, 4)
        XCTAssertEqual(resolved[0], 0.6)
        XCTAssertEqual(resolved[1], median, accuracy: 1e-15)
        XCTAssertEqual(resolved[3], median.squareRoot(), accuracy: 1e-15)
        XCTAssertNil(Bandwidth.describe([.value(1)], rows: 30))
        XCTAssertEqual(Bandwidth.describe([.median], rows: 30), "median = IQPopt's median heuristic of the first 30 training rows")
    }

    /// Identical rows give a median distance of 0: refused with a message that says so, not
    /// a bandwidth of 0.
    func testZeroMedianIsRefused() {
        let x = BitMatrix(rows: 5, columns: 4)
        XCTAssertThrowsError(try Bandwidth.resolve([.median], data: x)) { error in
            XCTAssertTrue("\(error)".contains("median heuristic is 0"), "\(error)")
        }
        XCTAssertEqual(try Bandwidth.resolve([.value(2)], data: x), [2])
        XCTAssertThrowsError(try Bandwidth.resolve([.heuristic(2)], data: BitMatrix(rows: 5, columns: 8)))
    }

    /// `heuristic:1` is σ₂ = √(−1/(2 ln(1 − 4/n))) alone (np.linspace(σ₂, √median, 1)): it needs no
    /// median, so data whose median distance is 0 still give it (for n > 4).
    func testSingleHeuristicNeedsNoMedian() throws {
        let x = BitMatrix(rows: 5, columns: 8)
        let sigma = try Bandwidth.resolve([.heuristic(1)], data: x)
        XCTAssertEqual(sigma.count, 1)
        XCTAssertEqual(sigma[0], (-1 / (2 * log(0.5))).squareRoot(), accuracy: 1e-15)
        XCTAssertThrowsError(try Bandwidth.resolve([.heuristic(1)], data: BitMatrix(rows: 5, columns: 4)))
    }

    /// The job computes the median on its training data and records how.
    func testTrainingJobResolvesTheMedian() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("iqp-median-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let x = randomData(rows: 50, columns: 8, seed: 8)
        try DataFile.writeCSV(x, to: dir.appendingPathComponent("train.csv").path)
        var job = TrainingJob()
        job.dataPath = dir.appendingPathComponent("train.csv").path
        job.outPath = dir.appendingPathComponent("model.json").path
        job.bandwidths = [.median]
        let before = job.loss
        let inputs = try job.prepare(ranks: 1)
        XCTAssertEqual(inputs.loss.sigmas, [directMedian(x, rows: 50)])
        XCTAssertEqual(inputs.sigmaRule, "median = IQPopt's median heuristic of the first 50 training rows")
        XCTAssertEqual(job.loss, before, "prepare leaves the job's settings as they were")
    }
}
