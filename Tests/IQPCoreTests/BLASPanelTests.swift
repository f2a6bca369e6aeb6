import XCTest
@testable import IQPCore

/// `BLAS.gemm` split into one panel of C per thread (`BLASThreading.panels`) computes the same
/// product as a plain triple loop, for every transpose combination, when rows or columns are
/// split, in both precisions; and the library-threaded mode gives the same numbers.
final class BLASPanelTests: XCTestCase {
    /// Row-major op(A)·op(B) by the definition, with the leading dimensions of the stored matrices.
    func reference(_ ta: Bool, _ tb: Bool, m: Int, n: Int, k: Int, a: [Double], lda: Int, b: [Double], ldb: Int) -> [Double] {
        var c = [Double](repeating: 0, count: m * n)
        for i in 0..<m {
            for j in 0..<n {
                var sum = 0.0
                for l in 0..<k {
                    sum += (ta ? a[l * lda + i] : a[i * lda + l]) * (tb ? b[j * ldb + l] : b[l * ldb + j])
                }
                c[i * n + j] = sum
            }
        }
        return c
    }

    func randomMatrix(_ count: Int, key: UInt64) -> [Double] {
        var stream = KeyedStream(key: key)
        return (0..<count).map { _ in stream.nextUniform() - 0.5 }
    }

    func testPanelsMatchTheDefinitionForEveryTransposeAndShape() {
        XCTAssertGreaterThanOrEqual(BLASThreading.threads, 1)
        // (m, n, k): tall (rows split), wide (columns split), and one too small to split.
        for (m, n, k) in [(301, 97, 150), (64, 257, 180), (5, 6, 7)] {
            for ta in [false, true] {
                for tb in [false, true] {
                    let lda = ta ? m : k, ldb = tb ? k : n
                    let a = randomMatrix(m * k, key: 11), b = randomMatrix(k * n, key: 12)
                    let expected = reference(ta, tb, m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb)
                    var c = [Double](repeating: 7, count: m * n)
                    BLAS.gemm(transposeA: ta, transposeB: tb, m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb, c: &c, ldc: n)
                    let error = zip(c, expected).map { abs($0 - $1) }.max()!
                    XCTAssertLessThan(error, 1e-12, "double \(m)x\(n)x\(k) ta=\(ta) tb=\(tb)")

                    let af = a.map { Float($0) }, bf = b.map { Float($0) }
                    var cf = [Float](repeating: 7, count: m * n)
                    BLAS.gemm(transposeA: ta, transposeB: tb, m: m, n: n, k: k, a: af, lda: lda, b: bf, ldb: ldb, c: &cf, ldc: n)
                    let errorF = zip(cf, expected).map { abs(Double($0) - $1) }.max()!
                    XCTAssertLessThan(errorF, 2e-4, "float \(m)x\(n)x\(k) ta=\(ta) tb=\(tb)")
                }
            }
        }
    }

    func testBetaAccumulatesIntoEachPanel() {
        let m = 200, n = 120, k = 90
        let a = randomMatrix(m * k, key: 21), b = randomMatrix(k * n, key: 22)
        let product = reference(false, false, m: m, n: n, k: k, a: a, lda: k, b: b, ldb: n)
        var c = [Double](repeating: 1, count: m * n)
        BLAS.gemm(m: m, n: n, k: k, alpha: 2, a: a, lda: k, b: b, ldb: n, beta: 0.5, c: &c, ldc: n)
        let error = zip(c, product).map { abs($0 - (2 * $1 + 0.5)) }.max()!
        XCTAssertLessThan(error, 1e-12)
    }

    func testLibraryThreadingGivesTheSameProduct() {
        let m = 256, n = 256, k = 256
        let a = randomMatrix(m * k, key: 31), b = randomMatrix(k * n, key: 32)
        var panels = [Double](repeating: 0, count: m * n), library = panels
        BLAS.gemm(m: m, n: n, k: k, a: a, lda: k, b: b, ldb: n, c: &panels, ldc: n)
        let before = BLASThreading.current
        BLASThreading.current = .library
        BLAS.gemm(m: m, n: n, k: k, a: a, lda: k, b: b, ldb: n, c: &library, ldc: n)
        BLASThreading.current = before
        XCTAssertEqual(BLASThreading.current, before)
        XCTAssertLessThan(zip(panels, library).map { abs($0 - $1) }.max()!, 1e-12)
    }
}
