import Foundation
import IQPCore

/// The check `iqp blas` runs once per OpenBLAS kernel family, each in its own child process
/// (`OPENBLAS_CORETYPE` is read when the library loads, and a family the CPU cannot run dies
/// with SIGILL): dgemm and sgemm against a plain reference on odd sizes and all transposes,
/// then their rates on size³ products.
public enum BLASSelfTest {
    /// Kernel families of OpenBLAS 0.3.21's DYNAMIC_ARCH x86-64 build, generic to newest.
    public static let candidates = ["Prescott", "Nehalem", "Sandybridge", "Haswell", "Zen", "SkylakeX", "Cooperlake",
                                    "SapphireRapids"]

    public struct Result: Sendable, Equatable {
        /// The kernel family the child actually ran (`openblas_get_corename()`, or "BLIS-zen3").
        public var core: String
        /// Largest relative error against the reference (dgemm, sgemm).
        public var doubleError: Double
        public var singleError: Double
        public var dgemmGflops: Double
        public var sgemmGflops: Double

        /// f64 within 10⁻¹², f32 within 10⁻⁵ (k ≤ 45 terms of size ≤ 1).
        public var correct: Bool { doubleError <= 1e-12 && singleError <= 1e-5 }

        /// The child's one output line.
        public var line: String {
            "core=\(core) double_error=\(doubleError) single_error=\(singleError) dgemm=\(dgemmGflops) sgemm=\(sgemmGflops)"
        }

        public init(core: String, doubleError: Double, singleError: Double, dgemmGflops: Double, sgemmGflops: Double) {
            self.core = core; self.doubleError = doubleError; self.singleError = singleError
            self.dgemmGflops = dgemmGflops; self.sgemmGflops = sgemmGflops
        }

        /// Parses `line`'s format; nil when a field is missing.
        public init?(line: String) {
            var fields: [String: String] = [:]
            for part in line.split(separator: " ") {
                let kv = part.split(separator: "=", maxSplits: 1)
                if kv.count == 2 { fields[String(kv[0])] = String(kv[1]) }
            }
            guard let core = fields["core"], let de = fields["double_error"].flatMap(Double.init),
                  let se = fields["single_error"].flatMap(Double.init), let d = fields["dgemm"].flatMap(Double.init),
                  let s = fields["sgemm"].flatMap(Double.init) else { return nil }
            self.init(core: core, doubleError: de, singleError: se, dgemmGflops: d, sgemmGflops: s)
        }
    }

    /// The check in this process, with this process's kernels.
    public static func run(size: Int = 1000, repetitions: Int = 3) -> Result {
        var worstDouble = 0.0, worstSingle = 0.0
        for (m, n, k) in [(67, 35, 45), (16, 24, 32), (7, 50, 5)] {
            for ta in [false, true] {
                for tb in [false, true] {
                    worstDouble = max(worstDouble, error(Double.self, m: m, n: n, k: k, transposeA: ta, transposeB: tb))
                    worstSingle = max(worstSingle, error(Float.self, m: m, n: n, k: k, transposeA: ta, transposeB: tb))
                }
            }
        }
        return Result(core: BLASKernel.current.kernelName, doubleError: worstDouble, singleError: worstSingle,
                      dgemmGflops: rate(Double.self, size: size, repetitions: repetitions),
                      sgemmGflops: rate(Float.self, size: size, repetitions: repetitions))
    }

    /// max |C − C_ref| / max |C_ref| for C = 1.5·op(A)op(B) + 0.5·C on random entries in [−1, 1].
    static func error<T: BLASScalar>(_: T.Type, m: Int, n: Int, k: Int,
                                                          transposeA: Bool, transposeB: Bool) -> Double {
        var stream = KeyedStream(key: UInt64(m * 1_000_003 + n * 1009 + k))
        func random(_ count: Int) -> [T] { (0..<count).map { _ in T(stream.nextUniform() * 2 - 1) } }
        let a = random(m * k), b = random(k * n), c0 = random(m * n)
        var c = c0
        let lda = transposeA ? m : k, ldb = transposeB ? k : n
        T.gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: 1.5, a: a, lda: lda,
               b: b, ldb: ldb, beta: 0.5, c: &c, ldc: n)
        var worst = 0.0, scale = 0.0
        for i in 0..<m {
            for j in 0..<n {
                var ref = 0.5 * Double(c0[i * n + j])
                for p in 0..<k {
                    let x = Double(transposeA ? a[p * lda + i] : a[i * lda + p])
                    let y = Double(transposeB ? b[j * ldb + p] : b[p * ldb + j])
                    ref += 1.5 * x * y
                }
                worst = max(worst, abs(Double(c[i * n + j]) - ref)); scale = max(scale, abs(ref))
            }
        }
        return worst.isNaN ? .infinity : worst / max(scale, 1e-300)
    }

    /// GFLOP/s of the fastest of `repetitions` size³ products (after one warm-up).
    static func rate<T: BLASScalar>(_: T.Type, size: Int, repetitions: Int) -> Double {
        let a = [T](repeating: 0.5, count: size * size), b = [T](repeating: 0.25, count: size * size)
        var c = [T](repeating: 0, count: size * size)
        var best = 0.0
        a.withUnsafeBufferPointer { ap in b.withUnsafeBufferPointer { bp in c.withUnsafeMutableBufferPointer { cp in
            for r in 0...max(1, repetitions) {
                let s = StepBenchmark.time {
                    T.gemm(transposeA: false, transposeB: false, m: size, n: size, k: size, alpha: 1, a: ap.baseAddress!,
                           lda: size, b: bp.baseAddress!, ldb: size, beta: 0, c: cp.baseAddress!, ldc: size)
                }
                if r > 0 { best = max(best, 2 * pow(Double(size), 3) / s / 1e9) }
            }
        }}}
        return best
    }
}
