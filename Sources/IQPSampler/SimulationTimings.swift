/// Wall-clock seconds of each phase of one sampling job, and the memory traffic of the
/// transforms (what `iqp simulator-bench` prints). Each phase is timed with `Stopwatch`.
public struct SimulationTimings: Sendable, Equatable {
    /// Building the generator vector v (zeroing the state buffer, adding θ'_j at mask(g_j)).
    public var buildSeconds: Double = 0
    /// The first FWHT: v → phase function F (real, 2^n values).
    public var phaseTransformSeconds: Double = 0
    /// e^{iF(y)} (times the spin-symmetric weight of docs/math.md §8), interleaved complex.
    public var exponentiateSeconds: Double = 0
    /// The second FWHT: e^{iF} → amplitudes (complex, 2^n values).
    public var amplitudeTransformSeconds: Double = 0
    /// Drawing the shots (probability scan, inverse CDF, readout noise).
    public var samplingSeconds: Double = 0
    /// Bytes read plus written by the first transform (all sweeps over memory).
    public var phaseTransformBytes: Double = 0
    /// Bytes read plus written by the second transform.
    public var amplitudeTransformBytes: Double = 0

    public init() {}

    public var totalSeconds: Double {
        buildSeconds + phaseTransformSeconds + exponentiateSeconds + amplitudeTransformSeconds + samplingSeconds
    }
}
