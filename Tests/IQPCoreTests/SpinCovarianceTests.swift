import Foundation
import XCTest
@testable import IQPCore
import IQPTestSupport

/// `SpinCovariance`: from samples against the textbook formula (np.cov of 1 − 2x), from a model
/// exactly against the brute-force distribution, by Monte Carlo within its noise, and the
/// admission of a huge n before anything is allocated.
final class SpinCovarianceTests: XCTestCase {
    func testSamplesGiveTheUnbiasedCovarianceOfTheSpins() throws {
        var stream = KeyedStream(key: 21)
        let n = 9, m = 57
        let rows = (0..<m).map { _ in (0..<n).map { q in UInt8(stream.nextUniform() < 0.2 + 0.06 * Double(q) ? 1 : 0) } }
        let c = try SpinCovariance.of(samples: BitMatrix(rows: rows, columns: n))
        let spins = rows.map { $0.map { 1 - 2 * Double($0) } }
        let mean = (0..<n).map { q in spins.reduce(0) { $0 + $1[q] } / Double(m) }
        for i in 0..<n {
            for j in 0..<n {
                let expected = spins.reduce(0) { $0 + ($1[i] - mean[i]) * ($1[j] - mean[j]) } / Double(m - 1)
                XCTAssertEqual(c[i * n + j], expected, accuracy: 1e-13)
            }
        }
        XCTAssertThrowsError(try SpinCovariance.of(samples: BitMatrix(rows: [[1, 0]], columns: 2)))
    }

    /// Exactly: C_ij = Σ_x q(x) s_i s_j − (Σ_x q(x) s_i)(Σ_x q(x) s_j) over the brute-force q.
    func testExactCovarianceEqualsTheBruteForceDistribution() throws {
        let n = 7
        for (spinSym, kind) in [(false, ModelKind.iqp), (true, .iqp), (false, .bitflip)] {
            let model = try Reference.randomModel(nQubits: n, gates: 12, maxWeight: 3, seed: 50, spinSym: spinSym, kind: kind)
            let q = kind == .iqp ? Reference.stateVectorProbabilities(model) : Reference.bitflipDistribution(model)
            let c = try SpinCovariance.exact(model: model, memoryBudget: 1 << 30)
            func spin(_ x: Int, _ i: Int) -> Double { (x >> i) & 1 == 0 ? 1 : -1 }
            for i in 0..<n {
                for j in 0..<n {
                    var both = 0.0, si = 0.0, sj = 0.0
                    for (x, p) in q.enumerated() { both += p * spin(x, i) * spin(x, j); si += p * spin(x, i); sj += p * spin(x, j) }
                    XCTAssertEqual(c[i * n + j], both - si * sj, accuracy: 1e-12, "\(kind) spinSym \(spinSym) (\(i), \(j))")
                }
            }
        }
    }

    /// By Monte Carlo with s samples each entry is within a few standard errors of the exact one:
    /// ⟨Z⟩ estimates have variance ≤ 1/s, so 6/√s bounds an entry's error (products included).
    func testMonteCarloCovarianceAgreesWithTheExactOne() throws {
        let model = try Reference.randomModel(nQubits: 6, gates: 10, maxWeight: 3, seed: 51)
        let exact = try SpinCovariance.exact(model: model, memoryBudget: 1 << 30)
        let samples = 20_000
        let estimate = try SpinCovariance.monteCarlo(model: model, samples: samples, seed: 4, memoryBudget: 1 << 30)
        for k in 0..<36 { XCTAssertEqual(estimate[k], exact[k], accuracy: 6 / Double(samples).squareRoot()) }
        // Symmetric, as a covariance is.
        for i in 0..<6 { for j in 0..<6 { XCTAssertEqual(estimate[i * 6 + j], estimate[j * 6 + i]) } }
    }

    func testAHugeQubitCountIsRefusedBeforeAllocating() {
        XCTAssertThrowsError(try SpinCovariance.admit(nQubits: 10_000_000_000, admission: MemoryAdmission(budget: 1 << 30))) { error in
            XCTAssertTrue("\(error)".hasPrefix("`covariance` with 10000000000 qubits needs "), "\(error)")
        }
        XCTAssertNoThrow(try SpinCovariance.admit(nQubits: 1000, admission: MemoryAdmission(budget: 1 << 30)))
    }
}
