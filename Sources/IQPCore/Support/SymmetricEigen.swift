/// Eigen-decomposition of a small real symmetric matrix by cyclic Jacobi rotations: A = V Λ Vᵀ,
/// the columns of V orthonormal eigenvectors. Meant for the few-by-few systems of
/// `KernelGEL`'s Newton steps (10 × 10), where it is exact to rounding and needs no LAPACK; the
/// cost is O(d³) per sweep and a handful of sweeps.
public struct SymmetricEigen: Sendable {
    /// The eigenvalues, in the order of `vectors`' columns (not sorted).
    public let values: [Double]
    /// d × d, row-major: `vectors[i * d + k]` is component i of eigenvector k.
    public let vectors: [Double]
    public let dimension: Int

    /// Decomposes the symmetric `matrix` (d × d, row-major; only its symmetric part is used).
    public init(symmetric matrix: [Double], dimension d: Int) {
        precondition(matrix.count == d * d)
        var a = matrix
        var v = [Double](repeating: 0, count: d * d)
        for i in 0..<d { v[i * d + i] = 1 }
        for _ in 0..<100 {
            var off = 0.0, diagonal = 0.0
            for i in 0..<d {
                diagonal += a[i * d + i] * a[i * d + i]
                for j in (i + 1)..<max(i + 1, d) { off += a[i * d + j] * a[i * d + j] }
            }
            if off <= 1e-30 * diagonal || off == 0 { break }
            for p in 0..<d {
                for q in (p + 1)..<max(p + 1, d) where a[p * d + q] != 0 {
                    // The rotation that zeroes a[p][q] (Golub & Van Loan, Algorithm 8.4.2).
                    let theta = (a[q * d + q] - a[p * d + p]) / (2 * a[p * d + q])
                    let t = (theta >= 0 ? 1 : -1) / (abs(theta) + (theta * theta + 1).squareRoot())
                    let c = 1 / (t * t + 1).squareRoot(), s = t * c
                    for k in 0..<d {
                        let akp = a[k * d + p], akq = a[k * d + q]
                        a[k * d + p] = c * akp - s * akq
                        a[k * d + q] = s * akp + c * akq
                    }
                    for k in 0..<d {
                        let apk = a[p * d + k], aqk = a[q * d + k]
                        a[p * d + k] = c * apk - s * aqk
                        a[q * d + k] = s * apk + c * aqk
                    }
                    for k in 0..<d {
                        let vkp = v[k * d + p], vkq = v[k * d + q]
                        v[k * d + p] = c * vkp - s * vkq
                        v[k * d + q] = s * vkp + c * vkq
                    }
                }
            }
        }
        self.values = (0..<d).map { a[$0 * d + $0] }
        self.vectors = v
        self.dimension = d
    }

    /// The minimum-norm least-squares solution x of A x = b: eigen-directions whose eigenvalue
    /// is at most `cutoff` times the largest are left out (A is singular along them, e.g. when
    /// two of KernelGEL's witnesses are the same row).
    public func pseudoInverseSolve(_ b: [Double], cutoff: Double = 1e-12) -> [Double] {
        let d = dimension
        let largest = values.map(abs).max() ?? 0
        var x = [Double](repeating: 0, count: d)
        for k in 0..<d where values[k] > cutoff * largest && values[k] > 0 {
            var projection = 0.0
            for i in 0..<d { projection += vectors[i * d + k] * b[i] }
            let scale = projection / values[k]
            for i in 0..<d { x[i] += scale * vectors[i * d + k] }
        }
        return x
    }
}
