/// The per-string unbiased MMD² estimate and its derivative (docs/math.md §3, §4).
///
/// For a string a with s model samples f_i = cos φ(a, z_i) (tr = mean f), data term t_a over
/// N data points:
///
///     res_a = (tr² − mean(f²)/s)·s/(s−1) − 2·tr·t_a + (N·t_a² − 1)/(N−1)
///
/// The loss is the weighted sum of res_a with weight w = 1/(B·K) for B strings per bandwidth
/// and K bandwidths, and ∂L/∂f_{a,i} = α_a + β·f_{a,i} with
///
///     α_a = w·(2·tr/(s−1) − 2·t_a/s),     β = −2w/(s(s−1)).
public enum MMDLoss {
    /// res_a from the sums Σf and Σf² over s samples.
    @inlinable
    public static func perString(sum: Double, sumSquares: Double, samples s: Int,
                                 dataTerm t: Double, dataCount n: Int) -> Double {
        let sd = Double(s), nd = Double(n)
        let tr = sum / sd
        return (tr * tr - sumSquares / (sd * sd)) * sd / (sd - 1) - 2 * tr * t + (nd * t * t - 1) / (nd - 1)
    }

    /// α_a of ∂L/∂f_{a,i} = α_a + β·f_{a,i}, for loss weight w.
    @inlinable
    public static func alpha(sum: Double, samples s: Int, dataTerm t: Double, weight w: Double) -> Double {
        let sd = Double(s)
        return w * (2 * (sum / sd) / (sd - 1) - 2 * t / sd)
    }

    /// β of ∂L/∂f_{a,i} = α_a + β·f_{a,i}, for loss weight w.
    @inlinable
    public static func beta(samples s: Int, weight w: Double) -> Double {
        let sd = Double(s)
        return -2 * w / (sd * (sd - 1))
    }

    /// res_a when the model's <Z_a> = e is exact (the bitflip model): the model–model term is e².
    @inlinable
    public static func perStringExact(expectation e: Double, dataTerm t: Double, dataCount n: Int) -> Double {
        let nd = Double(n)
        return e * e - 2 * e * t + (nd * t * t - 1) / (nd - 1)
    }
}
