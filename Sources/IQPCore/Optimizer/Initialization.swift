import COpenBLAS
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How the gate parameters start (docs/math.md §6).
public enum Initialization: String, Sendable, CaseIterable {
    /// Data-dependent: reproduces single-qubit marginals and scales pair gates by the data's
    /// spin covariance (docs/math.md §6). The default; avoids barren plateaus.
    case data
    /// Uniform in [0, 2π).
    case random
    /// All zero.
    case zero

    /// Initial parameters for `circuit`, drawn from the keyed stream (seed, purpose
    /// .initialisation, index = gate) where randomness is needed.
    ///
    /// Data-dependent rule, with C the spin covariance (ddof = 1) of the data, zero diagonal:
    /// - a gate with the single generator [i]: θ = arcsin(√mean(x_i));
    /// - a gate with the single generator [i,k]: θ = C_ik·√(2n / Σ_{k≠l} C_kl²), or
    ///   C_ik·π·scale/max|C| when `scale` is given;
    /// - any other gate: N(0, paramNoise²).
    public func parameters(for circuit: Circuit, data: BitMatrix?, seed: UInt64,
                           scale: Double? = nil, paramNoise: Double = 0) throws -> [Double] {
        let count = circuit.parameterCount
        switch self {
        case .zero:
            return [Double](repeating: 0, count: count)
        case .random:
            return (0..<count).map { k in
                var s = KeyedStream(seed: seed, step: 0, sigmaIndex: 0, purpose: .initialisation, index: k)
                return s.nextUniform() * 2 * Double.pi
            }
        case .data:
            guard let data, data.rows >= 2 else {
                throw IQPError("data-dependent initialisation needs at least 2 data rows", field: "init")
            }
            let n = circuit.nQubits
            let means = data.columnMeans()
            let hasPairGates = (0..<count).contains { circuit.singleGenerator(ofGate: $0)?.count == 2 }
            let cov = hasPairGates ? Initialization.spinCovariance(data) : []
            var sumSquares = 0.0, maxAbs = 0.0
            for i in 0..<n { for k in 0..<n where i != k {
                if !cov.isEmpty { sumSquares += cov[i * n + k] * cov[i * n + k]; maxAbs = max(maxAbs, abs(cov[i * n + k])) }
            } }
            let pairFactor: Double
            if let scale { pairFactor = maxAbs > 0 ? Double.pi * scale / maxAbs : 0 }
            else { pairFactor = sumSquares > 0 ? (2 * Double(n) / sumSquares).squareRoot() : 0 }
            return (0..<count).map { k in
                if let g = circuit.singleGenerator(ofGate: k), g.count <= 2 {
                    let i = Int(g[g.startIndex])
                    return g.count == 1 ? asin(means[i].squareRoot()) : cov[i * n + Int(g[g.startIndex + 1])] * pairFactor
                }
                if paramNoise == 0 { return 0 }
                var s = KeyedStream(seed: seed, step: 0, sigmaIndex: 0, purpose: .initialisation, index: k)
                return s.nextGaussian() * paramNoise
            }
        }
    }

    /// Covariance (ddof = 1) of the spins σ = 1 − 2x of the data columns, zero diagonal,
    /// n×n row-major; one BLAS rank-k update (dsyrk) over the centred spin matrix.
    public static func spinCovariance(_ data: BitMatrix) -> [Double] {
        let n = data.columns, rows = data.rows
        let means = data.columnMeans().map { 1 - 2 * $0 }
        var centred = [Double](repeating: 0, count: rows * n)
        for r in 0..<rows { for i in 0..<n { centred[r * n + i] = (data[r, i] ? -1 : 1) - means[i] } }
        var c = [Double](repeating: 0, count: n * n)
        cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, blasint(n), blasint(rows),
                    1 / Double(rows - 1), centred, blasint(n), 0, &c, blasint(n))
        for i in 0..<n {
            c[i * n + i] = 0
            for k in (i + 1)..<max(i + 1, n) { c[k * n + i] = c[i * n + k] }
        }
        return c
    }
}
