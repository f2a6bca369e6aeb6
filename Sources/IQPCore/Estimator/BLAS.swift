import COpenBLAS

/// Thin wrappers over the BLAS calls the estimators use (row-major throughout). Every product
/// is reported to `ComputeProfile` as `.gemm` with its 2·m·n·k flops.
public enum BLAS {
    /// C (m×n) = alpha · op(A) · op(B) + beta · C, row-major, with op = transpose when asked.
    public static func gemm(transposeA: Bool = false, transposeB: Bool = false,
                            m: Int, n: Int, k: Int, alpha: Double = 1,
                            a: UnsafePointer<Double>, lda: Int,
                            b: UnsafePointer<Double>, ldb: Int,
                            beta: Double = 0,
                            c: UnsafeMutablePointer<Double>, ldc: Int) {
        let (ta, tb) = (transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans)
        inPanels(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, lda: lda, ldb: ldb, ldc: ldc) { rows, columns, pa, pb, pc in
            cblas_dgemm(CblasRowMajor, ta, tb, blasint(rows), blasint(columns), blasint(k), alpha, a + pa, blasint(lda),
                        b + pb, blasint(ldb), beta, c + pc, blasint(ldc))
        }
    }

    /// The same product in single precision (sgemm: twice the rate, ~6·10⁻⁸ relative rounding).
    public static func gemm(transposeA: Bool = false, transposeB: Bool = false,
                            m: Int, n: Int, k: Int, alpha: Float = 1,
                            a: UnsafePointer<Float>, lda: Int,
                            b: UnsafePointer<Float>, ldb: Int,
                            beta: Float = 0,
                            c: UnsafeMutablePointer<Float>, ldc: Int) {
        let (ta, tb) = (transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans)
        inPanels(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, lda: lda, ldb: ldb, ldc: ldc) { rows, columns, pa, pb, pc in
            cblas_sgemm(CblasRowMajor, ta, tb, blasint(rows), blasint(columns), blasint(k), alpha, a + pa, blasint(lda),
                        b + pb, blasint(ldb), beta, c + pc, blasint(ldc))
        }
    }

    /// Threads that run one product: the project's threads (`BLASThreading.panels`, the
    /// default) or OpenBLAS's own (`library`).
    public static var threadCount: Int {
        BLASThreading.current == .panels ? BLASThreading.threads : Int(openblas_get_num_threads())
    }

    /// What both precisions share: meters the product (`ComputeProfile`, 2·m·n·k flops) and runs
    /// it as `BLASThreading` panels, calling `product(rows, columns, aOffset, bOffset, cOffset)`
    /// for each block of row-major C = op(A)·op(B) with the element offsets of its operands.
    static func inPanels(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, lda: Int, ldb: Int, ldc: Int,
                         _ product: (Int, Int, Int, Int, Int) -> Void) {
        guard m > 0 && n > 0 else { return }
        ComputeProfile.measure(.gemm, flops: 2 * Double(m) * Double(n) * Double(k)) {
            BLASThreading.split(m: m, n: n, k: k) { rows, columns in
                product(rows.count, columns.count,
                        transposeA ? rows.lowerBound : rows.lowerBound * lda,
                        transposeB ? columns.lowerBound * ldb : columns.lowerBound,
                        rows.lowerBound * ldc + columns.lowerBound)
            }
        }
    }
}

/// Double and Float with their GEMM, so code that runs in either precision is written once.
public protocol BLASScalar: BinaryFloatingPoint, Sendable {
    static func gemm(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Self, a: UnsafePointer<Self>, lda: Int,
                     b: UnsafePointer<Self>, ldb: Int, beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int)
}

extension Double: BLASScalar {
    public static func gemm(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Double, a: UnsafePointer<Double>,
                            lda: Int, b: UnsafePointer<Double>, ldb: Int, beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int) {
        BLAS.gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda,
                  b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
    }
}

extension Float: BLASScalar {
    public static func gemm(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float, a: UnsafePointer<Float>,
                            lda: Int, b: UnsafePointer<Float>, ldb: Int, beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        BLAS.gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda,
                  b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
    }
}
