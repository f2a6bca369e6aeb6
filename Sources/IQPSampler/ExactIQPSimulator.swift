import IQPCore

/// Exact sampling of an IQP circuit by two fast Walsh–Hadamard transforms (docs/math.md §7).
///
/// With exp(iθX_g) = H^n exp(iθZ_g) H^n, the circuit is U = H^n diag(e^{iF(y)}) H^n with the
/// phase function F(y) = Σ_j θ'_j (−1)^{g_j·y}, so
///
///     amplitude(x) = 2^{-n} Σ_y (−1)^{x·y} e^{iF(y)} w(y),        p(x) = |amplitude(x)|².
///
/// F is itself the (unnormalised) Walsh–Hadamard transform of v, v[mask(g_j)] += θ'_j. One job:
/// build v, FWHT → F, e^{iF}·w, FWHT → amplitudes, draw shots from |amplitude|². Time
/// O(n·2^n) and 2^n complex numbers of memory, whatever the number of generators.
///
/// Spin-symmetric start (docs/math.md §8), |ψ₀> = (|0…0> + |1…1>)/√2: H^n|0…0> = 2^{-n/2} Σ_y |y>
/// and H^n|1…1> = 2^{-n/2} Σ_y (−1)^{|y|} |y>, so the starting weight is
///
///     w(y) = (1 + (−1)^{|y|}) / √2  =  √2 if |y| is even, 0 if odd,
///
/// and amplitude_sym(x) = (a₀(x) + a₀(x ⊕ 1…1)) / √2: the two starting states' amplitudes
/// averaged (times √2 for the normalisation). Hence p(x) = p(x̄) and every odd-weight <Z_a> is 0.
/// For the plain start w(y) = 1.
///
/// Qubit i is bit i of the outcome index x and column i of the returned shots.
public struct ExactIQPSimulator: Sendable {
    public let model: IQPModel
    public let precision: Precision
    /// mask(g_j) = Σ_{q∈g_j} 2^q for every generator.
    let masks: [Int]
    /// θ'_j = T θ (docs/math.md §1).
    let thetaPrime: [Double]

    /// The largest n this simulator accepts at all (2^40 amplitudes; the memory budget of
    /// `SamplerLimits` is normally far lower).
    public static let maxQubits = 40

    public init(model: IQPModel, precision: Precision = .complex128) throws {
        guard model.kind == .iqp else {
            throw IQPError("the exact simulator samples IQP models; use BitflipSampler for model 'bitflip'", field: "model")
        }
        guard model.nQubits <= ExactIQPSimulator.maxQubits else {
            throw IQPError("\(model.nQubits) qubits is beyond exact simulation (at most \(ExactIQPSimulator.maxQubits))",
                           field: "n_qubits")
        }
        self.model = model
        self.precision = precision
        self.masks = model.circuit.generators.map { g in g.reduce(0) { $0 | (1 << $1) } }
        self.thetaPrime = model.circuit.generatorParameters(model.params)
    }

    public var nQubits: Int { model.nQubits }

    /// The exact probabilities of all 2^n outcomes (index x ↔ bitstring with qubit i = bit i).
    /// Meant for tests and small n: it allocates 2^n more Doubles.
    public func probabilities() throws -> [Double] {
        var timings = SimulationTimings()
        switch precision {
        case .complex128:
            let state = try prepare(Double.self, timings: &timings, isCancelled: { false })
            return state.probabilities()
        case .complex64:
            let state = try prepare(Float.self, timings: &timings, isCancelled: { false })
            return state.probabilities()
        }
    }

    /// Draws `shots` measurement outcomes. Shot i uses the stream keyed by
    /// (seed, purpose .shots, index i): its first uniform picks the outcome by inverse CDF,
    /// the next n apply `noise`. The result depends only on (model, precision, shots, seed,
    /// noise), not on thread count.
    public func sample(shots: Int, seed: UInt64, noise: ReadoutNoise = .none,
                       isCancelled: @Sendable () -> Bool = { false }) throws -> (shots: BitMatrix, timings: SimulationTimings) {
        precondition(shots >= 0)
        try noise.validate(nQubits: nQubits)
        var timings = SimulationTimings()
        let matrix: BitMatrix
        switch precision {
        case .complex128:
            let state = try prepare(Double.self, timings: &timings, isCancelled: isCancelled)
            matrix = try state.drawShots(shots, seed: seed, noise: noise, timings: &timings, isCancelled: isCancelled)
        case .complex64:
            let state = try prepare(Float.self, timings: &timings, isCancelled: isCancelled)
            matrix = try state.drawShots(shots, seed: seed, noise: noise, timings: &timings, isCancelled: isCancelled)
        }
        return (matrix, timings)
    }

    /// Builds the amplitudes: v, FWHT, e^{iF}·w, FWHT (unnormalised: the buffer holds
    /// 2^n · amplitude). Every phase stops within one chunk once `isCancelled()` is true.
    func prepare<T: SimulationScalar>(_: T.Type, timings: inout SimulationTimings,
                                      isCancelled: @Sendable () -> Bool) throws -> StateVector<T> {
        let n = nQubits
        let count = 1 << n
        let state = StateVector<T>(nQubits: n)
        let scalarBytes = Double(MemoryLayout<T>.size)

        var stopwatch = Stopwatch()
        try buildGeneratorVector(state, isCancelled: isCancelled)
        timings.buildSeconds = stopwatch.seconds

        // F = WHT(v), real, bits 0..<n of the first half.
        stopwatch = Stopwatch()
        try WalshHadamard.transform(state.data, totalBits: n, bits: 0..<n, isCancelled: isCancelled)
        timings.phaseTransformSeconds = stopwatch.seconds
        timings.phaseTransformBytes = 2 * scalarBytes * Double(count)
            * Double(WalshHadamard.sweeps(bits: 0..<n, cacheBits: WalshHadamard.defaultCacheBits(T.self)))

        stopwatch = Stopwatch()
        try exponentiate(state, isCancelled: isCancelled)
        timings.exponentiateSeconds = stopwatch.seconds

        // Amplitudes: complex WHT = real WHT over index bits 1…n of the interleaved array.
        stopwatch = Stopwatch()
        try WalshHadamard.transform(state.data, totalBits: n + 1, bits: 1..<(n + 1), isCancelled: isCancelled)
        timings.amplitudeTransformSeconds = stopwatch.seconds
        timings.amplitudeTransformBytes = 2 * scalarBytes * Double(2 * count)
            * Double(WalshHadamard.sweeps(bits: 1..<(n + 1), cacheBits: WalshHadamard.defaultCacheBits(T.self)))
        return state
    }

    /// v in the first half of the buffer, as 2^n reals: zeroed (the first touch of the memory,
    /// in parallel, in pieces of at most 2^20 values: page faults can be slow, and a cancel
    /// waits for one piece), then v[mask(g_j)] += θ'_j.
    func buildGeneratorVector<T: SimulationScalar>(_ state: StateVector<T>, isCancelled: () -> Bool) throws {
        let total = 2 << nQubits
        let shared = SharedPointer(state.data)
        parallelFor(total, minimumChunk: nQubits >= 15 ? 1 << 16 : Int.max, maximumChunk: 1 << 20,
                    isCancelled: isCancelled) { r in
            (shared.base + r.lowerBound).initialize(repeating: 0, count: r.count)
        }
        if isCancelled() { throw SamplingCancelled() }
        // Accumulate in Double so that complex64 loses nothing when generators share a mask.
        var v: [Int: Double] = [:]
        for (j, mask) in masks.enumerated() { v[mask, default: 0] += thetaPrime[j] }
        for (mask, value) in v { state.data[mask] = T(fromDouble: value) }
    }

    /// F[y] (first half) → (w(y) cos F, w(y) sin F) interleaved at 2y, 2y+1, with sin and cos
    /// by `VectorSinCos` in blocks of 256. Done in rounds from the top: the sources [lo, 2lo)
    /// write to [2lo, 4lo), which no later round reads.
    func exponentiate<T: SimulationScalar>(_ state: StateVector<T>, isCancelled: () -> Bool) throws {
        let shared = SharedPointer(state.data)
        let spinSym = model.spinSym
        let root2 = 2.0.squareRoot()
        let block = 256
        func expand(_ range: Range<Int>) {
            let p = shared.base
            withUnsafeTemporaryAllocation(of: Double.self, capacity: 3 * block) { buffer in
                let f = buffer.baseAddress!, sine = f + block, cosine = f + 2 * block
                var start = range.lowerBound
                while start < range.upperBound {
                    let length = min(block, range.upperBound - start)
                    for k in 0..<length { f[k] = p[start + k].asDouble }
                    VectorSinCos.evaluate(f, count: length, sin: sine, cos: cosine)
                    for k in 0..<length {
                        let y = start + k
                        let w = spinSym ? (y.nonzeroBitCount & 1 == 0 ? root2 : 0) : 1.0
                        p[2 * y] = T(fromDouble: w * cosine[k])
                        p[2 * y + 1] = T(fromDouble: w * sine[k])
                    }
                    start += length
                }
            }
        }
        var lo = (1 << nQubits) / 2
        while lo >= 1 {
            let start = lo
            parallelFor(lo, minimumChunk: nQubits >= 15 ? 1 << 14 : Int.max, isCancelled: isCancelled) { r in
                expand((start + r.lowerBound)..<(start + r.upperBound))
            }
            if isCancelled() { throw SamplingCancelled() }
            lo /= 2
        }
        expand(0..<1)
    }
}
