#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// sin and cos of many phases at once, in a branch-free loop the compiler vectorises
/// (the fast path evaluates cos φ and sin φ for every (string, sample) pair, docs/math.md §5).
///
/// Method (fdlibm): k = nearest integer to x·2/π, r = x − k·π/2 by a three-part Cody–Waite
/// reduction, then the fdlibm minimax kernels for sin r and cos r on |r| ≤ π/4 and the
/// quadrant k mod 4 picks and signs them. Error below 2 ulp of 1 for |x| ≤ 2²⁰·π/2; a row with
/// a larger or non-finite phase is handed to the C library as a whole.
public enum VectorSinCos {
    /// Phases with |x| up to this use the vector loop.
    public static let reducedRange = 1_000_000.0

    /// sinOut[i] = sin x[i], cosOut[i] = cos x[i] for i in 0..<count. `x` may be the same memory
    /// as `sinOut` or `cosOut` (each element is read before it is written).
    @inlinable
    public static func evaluate(_ x: UnsafePointer<Double>, count: Int,
                                sin sinOut: UnsafeMutablePointer<Double>,
                                cos cosOut: UnsafeMutablePointer<Double>) {
        // 2/π and π/2 in three parts (fdlibm pio2_1, pio2_2, pio2_3: 33 + 33 + 53 bits).
        let twoOverPi = 6.36619772367581382433e-01
        let pio2_1 = 1.57079632673412561417e+00
        let pio2_2 = 6.07710050630396597660e-11
        let pio2_3 = 2.02226624871116645580e-21
        let magic = 6755399441055744.0            // 1.5·2⁵²: adding it rounds to an integer
        let s1 = -1.66666666666666324348e-01, s2 = 8.33333333332248946124e-03
        let s3 = -1.98412698298579493134e-04, s4 = 2.75573137070700676789e-06
        let s5 = -2.50507602534068634195e-08, s6 = 1.58969099521155010221e-10
        let c1 = 4.16666666666666019037e-02, c2 = -1.38888888888741095749e-03
        let c3 = 2.48015872894767294178e-05, c4 = -2.75573143513906633035e-07
        let c5 = 2.08757232129817482790e-09, c6 = -1.13596475577881948265e-11
        var outOfRange: UInt64 = 0
        for i in 0..<count { outOfRange |= abs(x[i]) <= reducedRange ? 0 : 1 }
        if outOfRange != 0 {
            for i in 0..<count { let v = x[i]; sinOut[i] = sin(v); cosOut[i] = cos(v) }
            return
        }
        for i in 0..<count {
            let v = x[i]
            let t = v * twoOverPi + magic
            let q = t.bitPattern                    // low bits: k in two's complement
            let k = t - magic
            let r = ((v - k * pio2_1) - k * pio2_2) - k * pio2_3
            let z = r * r
            let sr = r + r * z * (s1 + z * (s2 + z * (s3 + z * (s4 + z * (s5 + z * s6)))))
            let hz = 0.5 * z
            let w = 1 - hz
            let cr = w + (((1 - w) - hz) + z * z * (c1 + z * (c2 + z * (c3 + z * (c4 + z * (c5 + z * c6))))))
            let swap = q & 1 != 0
            let sinSign = (q & 2) << 62             // sin: + + − −  for k mod 4 = 0 1 2 3
            let cosSign = ((q &+ 1) & 2) << 62      // cos: + − − +
            let sv = swap ? cr : sr
            let cv = swap ? sr : cr
            sinOut[i] = Double(bitPattern: sv.bitPattern ^ sinSign)
            cosOut[i] = Double(bitPattern: cv.bitPattern ^ cosSign)
        }
    }
}
