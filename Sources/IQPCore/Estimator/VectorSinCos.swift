import CIQPKernels

/// sin and cos of many phases at once, in a branch-free vector loop
/// (the fast path evaluates cos φ and sin φ for every (string, sample) pair, docs/math.md §5).
///
/// Method (fdlibm): k = nearest integer to x·2/π, r = x − k·π/2 by a three-part Cody–Waite
/// reduction, then the fdlibm minimax kernels for sin r and cos r on |r| ≤ π/4 and the
/// quadrant k mod 4 picks and signs them. Error below 2 ulp of 1 for |x| ≤ 2²⁰·π/2; a row with
/// a larger or non-finite phase is handed to the C library as a whole.
public enum VectorSinCos {
    /// Phases with |x| up to this use the vector loop (IQP_REDUCED_RANGE in the C kernels).
    public static let reducedRange = 1_000_000.0

    /// sinOut[i] = sin x[i], cosOut[i] = cos x[i] for i in 0..<count. `x` may be the same memory
    /// as `sinOut` or `cosOut` (each element is read before it is written). The loop is C
    /// (`iqp_sincos`, four phases per step, in the variant of `KernelVariant.active`).
    public static func evaluate(_ x: UnsafePointer<Double>, count: Int,
                                sin sinOut: UnsafeMutablePointer<Double>,
                                cos cosOut: UnsafeMutablePointer<Double>) {
        iqp_sincos(x, count, sinOut, cosOut)
    }
}
