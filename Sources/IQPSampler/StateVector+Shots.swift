import IQPCore

/// Drawing shots from the amplitudes by inverse CDF (docs/math.md §7).
///
/// Shot i's target is u_i·(Σ p) with u_i the first uniform of its stream (seed, .shots, i).
/// The targets are sorted; the outcomes are scanned once in chunks of 2^14 (chunk sums first,
/// in parallel, then each chunk walks the targets that fall in it): O(2^n + shots·log shots)
/// time and no extra memory of size 2^n. The outcome of a target t is the first x with
/// Σ_{x'≤x} p(x') > t.
extension StateVector {
    /// The outcomes of `shots` shots as packed rows, with `noise` applied from each shot's
    /// stream. Stops with `SamplingCancelled` between chunks once `isCancelled()` is true.
    func drawShots(_ shots: Int, seed: UInt64, noise: ReadoutNoise, timings: inout SimulationTimings,
                   isCancelled: @Sendable () -> Bool) throws -> BitMatrix {
        let stopwatch = Stopwatch()
        let scan = ProbabilityScan(nQubits: nQubits)
        let (prefix, lastPositive) = try chunkPrefixSums(scan, isCancelled: isCancelled)
        let total = prefix[scan.chunks]
        guard total > 0 && total.isFinite else {
            throw IQPError("the simulated state has total probability \(total); the parameters may be too large for \(nQubits) qubits")
        }
        let targets = Self.sortedTargets(shots, seed: seed, total: total)
        if isCancelled() { throw SamplingCancelled() }
        let starts = Self.chunkStarts(targets, prefix: prefix, lastPositive: lastPositive)
        let outcomes = assignOutcomes(targets, starts: starts, prefix: prefix, scan: scan, isCancelled: isCancelled)
        if isCancelled() { throw SamplingCancelled() }
        let matrix = Self.packRows(outcomes, nQubits: nQubits, seed: seed, noise: noise, parallel: scan.parallel)
        timings.samplingSeconds = stopwatch.seconds
        return matrix
    }

    /// How the 2^n outcomes are cut into chunks for the scan.
    struct ProbabilityScan {
        let chunkLength: Int
        let chunks: Int
        let parallel: Bool

        init(nQubits n: Int) {
            let chunkBits = min(n, 14)
            chunkLength = 1 << chunkBits
            chunks = (1 << n) >> chunkBits
            parallel = n >= 15
        }

        func outcomes(ofChunk c: Int) -> Range<Int> { (c * chunkLength)..<((c + 1) * chunkLength) }
    }

    /// prefix[c] = Σ of the unnormalised probabilities of chunks 0..<c (chunks + 1 values), and
    /// the last chunk whose sum is positive.
    func chunkPrefixSums(_ scan: ProbabilityScan,
                         isCancelled: () -> Bool) throws -> (prefix: [Double], lastPositive: Int) {
        var sums = [Double](repeating: 0, count: scan.chunks)
        sums.withUnsafeMutableBufferPointer { buffer in
            let out = SharedPointer(buffer.baseAddress!)   // each chunk writes its own slot
            parallelFor(scan.chunks, minimumChunk: scan.parallel ? 1 : Int.max, isCancelled: isCancelled) { range in
                for c in range {
                    var s = 0.0
                    for x in scan.outcomes(ofChunk: c) { s += self.unnormalisedProbability(x) }
                    out.base[c] = s
                }
            }
        }
        if isCancelled() { throw SamplingCancelled() }
        var prefix = [Double](repeating: 0, count: scan.chunks + 1)
        for c in 0..<scan.chunks { prefix[c + 1] = prefix[c] + sums[c] }
        return (prefix, sums.lastIndex { $0 > 0 } ?? (scan.chunks - 1))
    }

    /// (u_i · total, i) for every shot, sorted by target.
    static func sortedTargets(_ shots: Int, seed: UInt64, total: Double) -> [(target: Double, shot: Int)] {
        var targets = [(target: Double, shot: Int)](repeating: (0, 0), count: shots)
        for i in 0..<shots {
            var stream = KeyedStream(seed: seed, step: 0, sigmaIndex: 0, purpose: .shots, index: i)
            targets[i] = (stream.nextUniform() * total, i)
        }
        targets.sort { $0.target < $1.target }
        return targets
    }

    /// starts[c] = the first sorted position with target ≥ prefix[c]; the targets of chunk c
    /// are starts[c]..<starts[c+1]. Targets ≥ the total (rounding) go to the last chunk with a
    /// positive probability.
    static func chunkStarts(_ targets: [(target: Double, shot: Int)], prefix: [Double], lastPositive: Int) -> [Int] {
        let shots = targets.count
        let chunks = prefix.count - 1
        func lowerBound(_ value: Double) -> Int {
            var lo = 0, hi = shots
            while lo < hi {
                let mid = (lo + hi) / 2
                if targets[mid].target < value { lo = mid + 1 } else { hi = mid }
            }
            return lo
        }
        var starts = prefix.map(lowerBound)
        starts[0] = 0
        for c in (lastPositive + 1)...chunks { starts[c] = shots }
        return starts
    }

    /// The outcome of every shot: each chunk walks its own outcomes and the targets in it.
    func assignOutcomes(_ targets: [(target: Double, shot: Int)], starts: [Int], prefix: [Double],
                        scan: ProbabilityScan, isCancelled: () -> Bool) -> [Int] {
        var outcomes = [Int](repeating: 0, count: targets.count)
        outcomes.withUnsafeMutableBufferPointer { buffer in
            let out = SharedPointer(buffer.baseAddress!)   // every shot lies in exactly one chunk's range
            parallelFor(scan.chunks, minimumChunk: scan.parallel ? 1 : Int.max, isCancelled: isCancelled) { range in
                for c in range {
                    var position = starts[c]
                    let end = starts[c + 1]
                    guard position < end else { continue }
                    var cumulative = prefix[c]
                    var lastNonzero = -1
                    for x in scan.outcomes(ofChunk: c) {
                        let px = self.unnormalisedProbability(x)
                        if px > 0 { lastNonzero = x }
                        cumulative += px
                        while position < end && targets[position].target < cumulative {
                            out.base[targets[position].shot] = x
                            position += 1
                        }
                        if position == end { break }
                    }
                    // Targets left by rounding at the chunk's end.
                    while position < end {
                        out.base[targets[position].shot] = lastNonzero
                        position += 1
                    }
                }
            }
        }
        return outcomes
    }

    /// Packed rows (n ≤ 40: one word per shot), then the readout noise from each shot's own
    /// stream (after the uniform that chose the outcome).
    static func packRows(_ outcomes: [Int], nQubits n: Int, seed: UInt64, noise: ReadoutNoise,
                         parallel: Bool) -> BitMatrix {
        let shots = outcomes.count
        var matrix = BitMatrix(rows: shots, columns: n)
        matrix.words.withUnsafeMutableBufferPointer { words in
            let rows = SharedPointer(words.baseAddress!)   // shot i writes only row i
            parallelFor(shots, minimumChunk: parallel ? 4096 : Int.max) { range in
                for i in range {
                    rows.base[i] = UInt64(outcomes[i])
                    if !noise.isNone {
                        var stream = KeyedStream(seed: seed, step: 0, sigmaIndex: 0, purpose: .shots, index: i)
                        _ = stream.next()
                        noise.apply(to: rows.base + i, nQubits: n, stream: &stream)
                    }
                }
            }
        }
        return matrix
    }
}
