#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The kernel generalised empirical likelihood (KGEL) of a model against a data set
/// (docs/math.md §11; Ravuri et al., arXiv 2306.09780, eq. 6; IQPopt's `kgel_opt_samples` and
/// `kgel_opt_iqp`): with N ground-truth rows x_i, W witness rows w_j, the Gaussian kernel
/// k(x, w) = exp(−|x − w|²/(2σ²)) and the model's mean kernel at each witness
/// μ_j = E_{y∼q} k(y, w_j),
///
///     KGEL = min_π  Σ_i π_i log(N π_i)      (the relative entropy KL(π ‖ uniform))
///            s.t.   Σ_i π_i k(x_i, w_j) = μ_j  for every j,   Σ_i π_i = 1,   π ≥ 0,
///
/// the least a reweighting of the data must move to reproduce the model's kernel means: 0 when
/// the data's own means already match, +∞ when no reweighting can (μ outside the convex hull of
/// the rows' kernel vectors; cvxpy reports `inf` then, and so does this).
///
/// It is solved through its dual, a smooth concave problem in W variables:
///
///     KGEL = max_λ  D(λ),   D(λ) = λ·μ − log((1/N) Σ_i exp(λ·a_i)),   a_i = (k(x_i, w_j))_j,
///
/// whose optimum gives π_i ∝ exp(λ·a_i). ∇D = μ − E_π[a] and ∇²D = −Cov_π(a), so Newton's method
/// with a backtracking line search converges in a few steps. Weak duality bounds D by the
/// primal value and the primal value by log N (the relative entropy of a point mass), so an
/// iterate with D(λ) > log N proves the constraints infeasible.
public enum KernelGEL {
    public enum Outcome: Equatable, Sendable {
        /// The optimum: the relative entropy of the reweighting (≥ 0).
        case optimal(Double)
        /// No reweighting of the rows reproduces the model's kernel means.
        case infeasible

        /// The value as the study tabulates it: +∞ when infeasible.
        public var value: Double {
            switch self {
            case .optimal(let v): v
            case .infeasible: .infinity
            }
        }
    }

    /// Solves the problem for the N × W matrix `kernels` (row-major: `kernels[i * W + j]` =
    /// k(x_i, w_j)) and the model's means `means` (W values).
    public static func solve(kernels: [Double], rows n: Int, means: [Double]) -> Outcome {
        let w = means.count
        precondition(n >= 1 && w >= 1 && kernels.count == n * w)
        // Scale each witness's column to at most 1: the same constraints, better conditioned
        // when the kernel values are tiny (small σ, distant rows).
        var a = kernels, mu = means
        for j in 0..<w {
            var largest = 0.0
            for i in 0..<n { largest = max(largest, abs(a[i * w + j])) }
            guard largest > 0 else {
                // Every row has k = 0 here: feasible only if the model's mean is 0 too.
                if mu[j] != 0 { return .infeasible }
                continue
            }
            for i in 0..<n { a[i * w + j] /= largest }
            mu[j] /= largest
        }
        let bound = log(Double(n))
        var lambda = [Double](repeating: 0, count: w)
        var current = Dual(a: a, rows: n, mu: mu, lambda: lambda)
        for _ in 0..<200 {
            if current.value > bound + 1e-9 { return .infeasible }
            // Converged when the constraints hold to 1e-10 (the columns are scaled to ≤ 1; the
            // rounding of E_π[a] stops near 1e-11).
            if current.gradient.allSatisfy({ abs($0) <= 1e-10 }) { return finish(current, bound: bound) }
            let step = SymmetricEigen(symmetric: current.covariance, dimension: w)
                .pseudoInverseSolve(current.gradient)
            // The Newton decrement gᵀH⁻¹g bounds twice the remaining gain.
            let decrement = zip(step, current.gradient).reduce(0) { $0 + $1.0 * $1.1 }
            if decrement <= 1e-22 || !decrement.isFinite { return finish(current, bound: bound) }
            var t = 1.0
            var improved = false
            while t > 1e-9 {
                let trial = zip(lambda, step).map { $0 + t * $1 }
                let next = Dual(a: a, rows: n, mu: mu, lambda: trial)
                // Armijo: at least a quarter of the gain the quadratic model promises.
                if next.value >= current.value + 0.25 * t * decrement {
                    lambda = trial
                    current = next
                    improved = true
                    break
                }
                t /= 2
            }
            if !improved { return finish(current, bound: bound) }
        }
        return finish(current, bound: bound)
    }

    /// The outcome where Newton's method stopped: optimal if the constraints hold there (the
    /// residual μ − E_π[a] vanishes); a residual left along a direction in which every row's
    /// kernel vector is the same (so the step could not reduce it) means μ is off the rows'
    /// hull, and D grows without bound along it: infeasible.
    static func finish(_ dual: Dual, bound: Double) -> Outcome {
        let residual = dual.gradient.map(abs).max() ?? 0
        if dual.value > bound + 1e-9 || residual > 1e-7 { return .infeasible }
        return .optimal(max(0, dual.value))
    }

    /// D(λ), its gradient μ − E_π[a] and −∇²D = Cov_π(a) at one λ.
    struct Dual {
        var value: Double
        var gradient: [Double]
        var covariance: [Double]

        init(a: [Double], rows n: Int, mu: [Double], lambda: [Double]) {
            let w = mu.count
            var exponents = [Double](repeating: 0, count: n)
            for i in 0..<n {
                var s = 0.0
                for j in 0..<w { s += lambda[j] * a[i * w + j] }
                exponents[i] = s
            }
            // log-sum-exp, shifted by the largest exponent.
            let top = exponents.max()!
            var total = 0.0
            for i in 0..<n { exponents[i] = exp(exponents[i] - top); total += exponents[i] }
            var mean = [Double](repeating: 0, count: w)
            var second = [Double](repeating: 0, count: w * w)
            for i in 0..<n {
                let pi = exponents[i] / total
                for j in 0..<w {
                    let x = pi * a[i * w + j]
                    mean[j] += x
                    for k in j..<w { second[j * w + k] += x * a[i * w + k] }
                }
            }
            var covariance = [Double](repeating: 0, count: w * w)
            for j in 0..<w {
                for k in j..<w {
                    let c = second[j * w + k] - mean[j] * mean[k]
                    covariance[j * w + k] = c
                    covariance[k * w + j] = c
                }
            }
            let logPartition = top + log(total / Double(n))
            self.value = zip(lambda, mu).reduce(0) { $0 + $1.0 * $1.1 } - logPartition
            self.gradient = zip(mu, mean).map { $0 - $1 }
            self.covariance = covariance
        }
    }
}
