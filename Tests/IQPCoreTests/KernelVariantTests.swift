import Foundation
import XCTest
@testable import IQPCore

/// The C inner loops (`KernelVariant`): every variant this CPU runs gives the baseline's loss
/// and gradient to 1e-12 relative on the Monte Carlo (dense) path and on the pairwise fast path
/// (docs/math.md §2, §5), the same data-term sums as a direct count (§3), and sin/cos within
/// 2 ulp of the C library. The variant is switched in-process and restored afterwards.
final class KernelVariantTests: XCTestCase {
    /// Runs `body` once per supported variant, baseline first, and restores the variant in use.
    func forEachVariant<T>(_ body: (KernelVariant) throws -> T) rethrows -> [(KernelVariant, T)] {
        let before = KernelVariant.active
        defer { KernelVariant.select(before) }
        var out: [(KernelVariant, T)] = []
        for v in KernelVariant.supported {
            XCTAssertTrue(KernelVariant.select(v))
            XCTAssertEqual(KernelVariant.active, v)
            out.append((v, try body(v)))
        }
        XCTAssertEqual(out.first?.0, .baseline)
        return out
    }

    /// max |x − y| over the largest |x| (0 when both are zero).
    func relative(_ x: [Double], _ y: [Double]) -> Double {
        precondition(x.count == y.count)
        let scale = x.map { abs($0) }.max() ?? 0
        let diff = zip(x, y).map { abs($0 - $1) }.max() ?? 0
        return scale == 0 ? diff : diff / scale
    }

    /// All weight-1 and weight-2 generators (so the fast path's paired kernels run) plus a
    /// shared parameter; data with correlated bits.
    func problem(n: Int, spinSym: Bool) -> (IQPModel, BitMatrix) {
        var gates = TestCircuits.allSubsets(n: n, maxWeight: 2)
        gates.append([[0, 1], [2], [n - 1, 3]])
        let model = TestCircuits.model(n: n, gates: gates, seed: 21, spinSym: spinSym, scale: 0.6)
        let rows = TestCircuits.sampleData([Double](repeating: 1.0 / 256, count: 256), count: 150, seed: 8)
        var data = BitMatrix(rows: rows.count, columns: n)
        for (r, x) in rows.enumerated() { for i in 0..<8 where x >> i & 1 == 1 { data[r, (5 * i) % n] = true; data[r, (5 * i + 1) % n] = true } }
        return (model, data)
    }

    func checkSameLossAndGradient(path: EstimatorPath) throws {
        for spinSym in [false, true] {
            let (model, data) = problem(n: 37, spinSym: spinSym)
            // 70 samples: the 16-sample blocks and the scalar tails both run.
            let settings = LossSettings(sigmas: [0.9, 2.5], stringsPerSigma: 45, samples: 70, estimator: path)
            let objective = try MMDObjective(model: model, train: data, settings: settings, seed: 5)
            let results = forEachVariant { _ in objective.evaluate(params: model.params, step: 3) }
            let base = results[0].1
            XCTAssertEqual(base.paths, [path, path])
            XCTAssertTrue(base.loss.isFinite)
            XCTAssertGreaterThan(abs(base.loss), 1e-6, "a zero loss would make the comparison empty")
            XCTAssertGreaterThan(base.gradient.map { abs($0) }.max()!, 1e-6)
            for (v, e) in results.dropFirst() {
                let lossError = abs(e.loss - base.loss) / abs(base.loss)
                let gradientError = relative(base.gradient, e.gradient)
                print("\(path) path, spinSym \(spinSym), \(v) vs baseline: loss \(lossError), gradient \(gradientError)")
                XCTAssertLessThanOrEqual(lossError, 1e-12, "\(path), \(v), spinSym \(spinSym)")
                XCTAssertLessThanOrEqual(relative(base.lossPerSigma, e.lossPerSigma), 1e-12, "\(path), \(v)")
                XCTAssertLessThanOrEqual(gradientError, 1e-12, "\(path), \(v), spinSym \(spinSym)")
            }
        }
    }

    func testMonteCarloPathIsTheSameInEveryVariant() throws { try checkSameLossAndGradient(path: .dense) }

    func testPairwiseFastPathIsTheSameInEveryVariant() throws { try checkSameLossAndGradient(path: .fast) }

    /// t_a's sums Σ_x (−1)^{a·x} (docs/math.md §3) equal a row-by-row count in every variant:
    /// 70 qubits (two words per string), 200 rows (a partial last word per column).
    func testDataTermMatchesADirectCountInEveryVariant() {
        let n = 70
        var stream = KeyedStream(key: 17)
        var data = BitMatrix(rows: 200, columns: n), strings = BitMatrix(rows: 60, columns: n)
        for r in 0..<data.rows { for i in 0..<n where stream.nextUniform() < 0.3 { data[r, i] = true } }
        for a in 0..<strings.rows { for i in 0..<n where stream.nextUniform() < Double(a % 7) / 20 { strings[a, i] = true } }
        let expected: [Double] = (0..<strings.rows).map { a in
            (0..<data.rows).reduce(0.0) { sum, r in
                var odd = 0
                for i in 0..<n where strings[a, i] && data[r, i] { odd ^= 1 }
                return sum + (odd == 0 ? 1 : -1)
            }
        }
        XCTAssertGreaterThan(Set(expected).count, 5, "the strings must give different sums")
        let columns = DataColumns(data)
        for (v, sums) in forEachVariant({ _ in columns.paritySums(strings: strings) }) {
            XCTAssertEqual(sums, expected, "\(v)")
        }
    }

    /// sin and cos within 2 ulp of 1 of the C library's, in every variant: lengths that are not
    /// multiples of 4, phases up to 10⁵, and a row with a phase beyond the reduced range.
    func testSinCosMatchesTheCLibraryInEveryVariant() {
        var stream = KeyedStream(key: 4)
        let x = (0..<1003).map { i in (stream.nextUniform() * 2 - 1) * (i % 3 == 0 ? 1e5 : 40) }
        let far = [0.5, 3e7, -2.0]
        for (v, _) in forEachVariant({ $0 }) {
            for input in [x, Array(x.prefix(7)), far] {
                var s = [Double](repeating: .nan, count: input.count), c = s
                VectorSinCos.evaluate(input, count: input.count, sin: &s, cos: &c)
                for i in input.indices {
                    XCTAssertEqual(s[i], sin(input[i]), accuracy: 4.5e-16, "\(v): sin \(input[i])")
                    XCTAssertEqual(c[i], cos(input[i]), accuracy: 4.5e-16, "\(v): cos \(input[i])")
                }
            }
        }
    }

    /// IQP_KERNELS: a known name selects that variant, an unknown one is a one-line error.
    func testEnvironmentVariableSelectsOrRejects() throws {
        let before = KernelVariant.active
        defer { KernelVariant.select(before) }
        try KernelVariant.selectFromEnvironment(["IQP_KERNELS": "baseline"])
        XCTAssertEqual(KernelVariant.active, .baseline)
        try KernelVariant.selectFromEnvironment([:])
        XCTAssertEqual(KernelVariant.active, KernelVariant.best)
        XCTAssertThrowsError(try KernelVariant.selectFromEnvironment(["IQP_KERNELS": "avx9000"])) { error in
            let text = "\(error)"
            XCTAssertTrue(text.hasPrefix("IQP_KERNELS=avx9000: not a kernel variant"), text)
            XCTAssertFalse(text.contains("\n"))
        }
        XCTAssertEqual(KernelVariant.active, KernelVariant.best, "a rejected value changes nothing")
    }
}
