import IQPCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
    /// 2^n · amplitude).
    func prepare<T: SimulationScalar>(_: T.Type, timings: inout SimulationTimings,
                                      isCancelled: @Sendable () -> Bool) throws -> StateVector<T> {
        let n = nQubits
        let count = 1 << n
        let state = StateVector<T>(nQubits: n)
        let shared = SharedPointer(state.data)
        let parallel = n >= 15
        let scalarBytes = Double(MemoryLayout<T>.size)

        // v in the first half, as 2^n reals: zero it, then v[mask(g_j)] += θ'_j.
        var stopwatch = Stopwatch()
        let tasks = parallel ? 64 : 1
        Parallel.forEach(tasks, parallel: parallel) { task in
            let r = Parallel.range(task, of: tasks, total: 2 * count)
            (shared.base + r.lowerBound).initialize(repeating: 0, count: r.count)
        }
        // Accumulate in Double so that complex64 loses nothing when generators share a mask.
        var v: [Int: Double] = [:]
        for (j, mask) in masks.enumerated() { v[mask, default: 0] += thetaPrime[j] }
        for (mask, value) in v { state.data[mask] = T(fromDouble: value) }
        timings.buildSeconds = stopwatch.seconds
        if isCancelled() { throw SamplingCancelled() }

        // F = WHT(v), real, bits 0..<n of the first half.
        stopwatch = Stopwatch()
        try WalshHadamard.transform(state.data, totalBits: n, bits: 0..<n, isCancelled: isCancelled)
        timings.phaseTransformSeconds = stopwatch.seconds
        timings.phaseTransformBytes = 2 * scalarBytes * Double(count)
            * Double(WalshHadamard.sweeps(bits: 0..<n, cacheBits: WalshHadamard.defaultCacheBits(T.self)))

        // F[y] (first half) → (w cos F, w sin F) interleaved at 2y, 2y+1. Done in rounds from the
        // top: sources [lo, 2lo) write to [2lo, 4lo), which no later round reads.
        stopwatch = Stopwatch()
        let spinSym = model.spinSym
        let root2 = 2.0.squareRoot()
        @Sendable func expand(_ range: Range<Int>) {
            let p = shared.base
            for y in range.reversed() {
                let f = p[y].asDouble
                var w = 1.0
                if spinSym { w = y.nonzeroBitCount & 1 == 0 ? root2 : 0 }
                let (sine, cosine) = sinCos(f)
                p[2 * y] = T(fromDouble: w * cosine)
                p[2 * y + 1] = T(fromDouble: w * sine)
            }
        }
        var lo = count / 2
        while lo >= 1 {
            let size = lo
            let start = lo
            let pieces = (parallel && size >= 1 << 14) ? 64 : 1
            Parallel.forEach(pieces, parallel: pieces > 1) { piece in
                let r = Parallel.range(piece, of: pieces, total: size)
                expand((start + r.lowerBound)..<(start + r.upperBound))
            }
            lo /= 2
        }
        expand(0..<1)
        timings.exponentiateSeconds = stopwatch.seconds
        if isCancelled() { throw SamplingCancelled() }

        // Amplitudes: complex WHT = real WHT over index bits 1…n of the interleaved array.
        stopwatch = Stopwatch()
        try WalshHadamard.transform(state.data, totalBits: n + 1, bits: 1..<(n + 1), isCancelled: isCancelled)
        timings.amplitudeTransformSeconds = stopwatch.seconds
        timings.amplitudeTransformBytes = 2 * scalarBytes * Double(2 * count)
            * Double(WalshHadamard.sweeps(bits: 1..<(n + 1), cacheBits: WalshHadamard.defaultCacheBits(T.self)))
        return state
    }
}

/// 2^n complex numbers stored interleaved (re, im) in 2^(n+1) scalars, owned by this object.
///
/// `@unchecked Sendable`: the buffer is written only while the simulator builds it (with
/// disjoint index ranges per thread) and only read afterwards.
final class StateVector<T: SimulationScalar>: @unchecked Sendable {
    let nQubits: Int
    let data: UnsafeMutablePointer<T>

    /// Whether `data` came from posix_memalign (freed with free) rather than allocate.
    private let alignedAllocation: Bool

    /// Buffers of 4 MiB and more are 2 MiB-aligned and marked for transparent huge pages, so
    /// first touching them costs one page fault per 2 MiB instead of per 4 KiB.
    init(nQubits: Int) {
        self.nQubits = nQubits
        let count = 2 << nQubits
        let bytes = count * MemoryLayout<T>.stride
        #if canImport(Glibc)
        if bytes >= 4 << 20 {
            var raw: UnsafeMutableRawPointer?
            if posix_memalign(&raw, 2 << 20, bytes) == 0, let raw {
                _ = madvise(raw, bytes, Int32(MADV_HUGEPAGE))
                self.data = raw.bindMemory(to: T.self, capacity: count)
                self.alignedAllocation = true
                return
            }
        }
        #endif
        self.data = UnsafeMutablePointer<T>.allocate(capacity: count)
        self.alignedAllocation = false
    }

    deinit {
        if alignedAllocation { free(UnsafeMutableRawPointer(data)) } else { data.deallocate() }
    }

    /// |2^n · amplitude(x)|² = 4^n · p(x).
    @inline(__always)
    func unnormalisedProbability(_ x: Int) -> Double {
        let re = data[2 * x].asDouble, im = data[2 * x + 1].asDouble
        return re * re + im * im
    }

    /// 1/4^n: the buffer holds 2^n · amplitude.
    var probabilityScale: Double { pow(0.25, Double(nQubits)) }

    /// p(x) for every x.
    func probabilities() -> [Double] {
        let scale = probabilityScale
        return (0..<(1 << nQubits)).map { x in
            let re = data[2 * x].asDouble, im = data[2 * x + 1].asDouble
            return (re * re + im * im) * scale
        }
    }

    /// Draws shots by inverse CDF. Shot i's target is u_i·(Σ p) with u_i the first uniform of
    /// its stream. The targets are sorted; the outcomes are scanned once in chunks of 2^14
    /// (chunk sums first, in parallel, then each chunk walks the targets that fall in it):
    /// O(2^n + shots·log shots) time and no extra memory of size 2^n.
    func drawShots(_ shots: Int, seed: UInt64, noise: ReadoutNoise, timings: inout SimulationTimings,
                   isCancelled: @Sendable () -> Bool) throws -> BitMatrix {
        let stopwatch = Stopwatch()
        let n = nQubits
        let count = 1 << n
        let chunkBits = min(n, 14)
        let chunks = count >> chunkBits
        let chunkLength = 1 << chunkBits
        let parallel = n >= 15

        // Chunk sums (unnormalised), then prefix sums.
        var sums = [Double](repeating: 0, count: chunks)
        sums.withUnsafeMutableBufferPointer { buffer in
            let out = SharedPointer(buffer.baseAddress!)   // each chunk writes its own slot
            Parallel.forEach(chunks, parallel: parallel) { c in
                var s = 0.0
                for x in (c * chunkLength)..<((c + 1) * chunkLength) { s += self.unnormalisedProbability(x) }
                out.base[c] = s
            }
        }
        var prefix = [Double](repeating: 0, count: chunks + 1)
        for c in 0..<chunks { prefix[c + 1] = prefix[c] + sums[c] }
        let total = prefix[chunks]
        guard total > 0 && total.isFinite else {
            throw IQPError("the simulated state has total probability \(total); the parameters may be too large for \(n) qubits")
        }
        guard let lastChunk = sums.lastIndex(where: { $0 > 0 }) else { fatalError("positive total without a positive chunk") }

        // Targets, sorted with their shot index.
        var targets = [(Double, Int)](repeating: (0, 0), count: shots)
        for i in 0..<shots {
            var stream = KeyedStream(seed: seed, step: 0, sigmaIndex: 0, purpose: .shots, index: i)
            targets[i] = (stream.nextUniform() * total, i)
        }
        targets.sort { $0.0 < $1.0 }
        if isCancelled() { throw SamplingCancelled() }

        // starts[c] = first sorted position with target ≥ prefix[c]; targets ≥ total (rounding)
        // go to the last chunk with positive probability.
        func lowerBound(_ value: Double) -> Int {
            var lo = 0, hi = shots
            while lo < hi {
                let mid = (lo + hi) / 2
                if targets[mid].0 < value { lo = mid + 1 } else { hi = mid }
            }
            return lo
        }
        var starts = (0...chunks).map { lowerBound(prefix[$0]) }
        starts[0] = 0
        for c in (lastChunk + 1)...chunks { starts[c] = shots }

        let chunkStarts = starts, chunkPrefix = prefix, sorted = targets
        var outcomes = [Int](repeating: 0, count: shots)
        outcomes.withUnsafeMutableBufferPointer { buffer in
            let out = SharedPointer(buffer.baseAddress!)   // every shot lies in exactly one chunk's range
            do {
                Parallel.forEach(chunks, parallel: parallel) { c in
                    var position = chunkStarts[c]
                    let end = chunkStarts[c + 1]
                    guard position < end else { return }
                    var cumulative = chunkPrefix[c]
                    var lastNonzero = -1
                    for x in (c * chunkLength)..<((c + 1) * chunkLength) {
                        let px = self.unnormalisedProbability(x)
                        if px > 0 { lastNonzero = x }
                        cumulative += px
                        while position < end && sorted[position].0 < cumulative {
                            out.base[sorted[position].1] = x
                            position += 1
                        }
                        if position == end { break }
                    }
                    // Targets left by rounding at the chunk's end.
                    while position < end {
                        out.base[sorted[position].1] = lastNonzero
                        position += 1
                    }
                }
            }
        }

        // Packed rows (n ≤ 40: one word), then readout noise from each shot's own stream.
        let chosen = outcomes
        var matrix = BitMatrix(rows: shots, columns: n)
        matrix.words.withUnsafeMutableBufferPointer { words in
            let rows = SharedPointer(words.baseAddress!)   // shot i writes only row i
            let tasks = (parallel && shots >= 4096) ? 64 : 1
            Parallel.forEach(tasks, parallel: tasks > 1) { task in
                for i in Parallel.range(task, of: tasks, total: shots) {
                    rows.base[i] = UInt64(chosen[i])
                    if !noise.isNone {
                        var stream = KeyedStream(seed: seed, step: 0, sigmaIndex: 0, purpose: .shots, index: i)
                        _ = stream.next()
                        noise.apply(to: rows.base + i, nQubits: n, stream: &stream)
                    }
                }
            }
        }
        timings.samplingSeconds = stopwatch.seconds
        return matrix
    }
}
