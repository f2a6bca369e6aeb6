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
        guard m > 0 && n > 0 else { return }
        ComputeProfile.measure(.gemm, flops: 2 * Double(m) * Double(n) * Double(k)) {
            BLASThreading.split(m: m, n: n, k: k) { rows, columns in
                let (pa, pb, pc) = panel(rows, columns, transposeA: transposeA, transposeB: transposeB,
                                         lda: lda, ldb: ldb, ldc: ldc)
                cblas_dgemm(CblasRowMajor,
                            transposeA ? CblasTrans : CblasNoTrans,
                            transposeB ? CblasTrans : CblasNoTrans,
                            blasint(rows.count), blasint(columns.count), blasint(k), alpha, a + pa, blasint(lda),
                            b + pb, blasint(ldb), beta, c + pc, blasint(ldc))
            }
        }
    }

    /// The same product in single precision (sgemm: twice the rate, ~6·10⁻⁸ relative rounding).
    public static func gemm(transposeA: Bool = false, transposeB: Bool = false,
                            m: Int, n: Int, k: Int, alpha: Float = 1,
                            a: UnsafePointer<Float>, lda: Int,
                            b: UnsafePointer<Float>, ldb: Int,
                            beta: Float = 0,
                            c: UnsafeMutablePointer<Float>, ldc: Int) {
        guard m > 0 && n > 0 else { return }
        ComputeProfile.measure(.gemm, flops: 2 * Double(m) * Double(n) * Double(k)) {
            BLASThreading.split(m: m, n: n, k: k) { rows, columns in
                let (pa, pb, pc) = panel(rows, columns, transposeA: transposeA, transposeB: transposeB,
                                         lda: lda, ldb: ldb, ldc: ldc)
                cblas_sgemm(CblasRowMajor,
                            transposeA ? CblasTrans : CblasNoTrans,
                            transposeB ? CblasTrans : CblasNoTrans,
                            blasint(rows.count), blasint(columns.count), blasint(k), alpha, a + pa, blasint(lda),
                            b + pb, blasint(ldb), beta, c + pc, blasint(ldc))
            }
        }
    }

    /// Threads that run one product: the project's threads (`BLASThreading.panels`, the
    /// default) or OpenBLAS's own (`library`).
    public static var threadCount: Int {
        BLASThreading.current == .panels ? BLASThreading.threads : Int(openblas_get_num_threads())
    }

    /// Element offsets into A, B and C of the block rows × columns of row-major C = op(A)·op(B).
    static func panel(_ rows: Range<Int>, _ columns: Range<Int>, transposeA: Bool, transposeB: Bool,
                      lda: Int, ldb: Int, ldc: Int) -> (a: Int, b: Int, c: Int) {
        (transposeA ? rows.lowerBound : rows.lowerBound * lda,
         transposeB ? columns.lowerBound * ldb : columns.lowerBound,
         rows.lowerBound * ldc + columns.lowerBound)
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
