import IQPCore

/// a, Adam's seconds per parameter, measured in this process: the time of `Adam.update`
/// (docs/math.md §6; one pass over θ, m, v and g) on `parameters` parameters, best of
/// `repetitions` updates after one untimed update, divided by `parameters`. `iqp info
/// predict-scaling` uses it for the A(N) term of `ScalingModel` unless `--adam-ns` is given.
///
/// The update streams 4 arrays of 8-byte values, so a is set by memory bandwidth once they
/// leave the caches; the default 2²⁰ parameters (32 MiB in all) is past the last-level cache
/// of most CPUs, and the result holds for larger p (docs/distributed.md, "Prediction").
public enum AdamRate {
    public static func secondsPerParameter(parameters: Int = 1 << 20, repetitions: Int = 5) -> Double {
        precondition(parameters > 0 && repetitions > 0)
        let adam = Adam(learningRate: 1e-3)
        var params = [Double](repeating: 0.5, count: parameters)
        let gradient = (0..<parameters).map { Double($0 % 7) - 3 }
        var state = Adam.State(parameterCount: parameters)
        adam.update(&params, gradient: gradient, state: &state)
        var best = Double.infinity
        for _ in 0..<repetitions {
            let stopwatch = Stopwatch()
            adam.update(&params, gradient: gradient, state: &state)
            best = min(best, stopwatch.seconds)
        }
        return best / Double(parameters)
    }
}
