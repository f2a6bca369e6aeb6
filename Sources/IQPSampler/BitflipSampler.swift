import IQPCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Sampling of the classical baseline with the same parameters (docs/math.md §9), at any n:
/// each generator g_j flips all the bits of g_j with probability q_j = sin²θ'_j, independently.
/// Then <Z_a> = Π_j cos(2θ'_j [g_j·a odd]).
///
/// With `spinSym` the start is all zeros or all ones with probability 1/2 each — the classical
/// mixture of the two starting states of docs/math.md §8 (odd-weight <Z_a> are then 0).
///
/// Shot i uses the stream keyed by (seed, purpose .shots, index i): first one uniform for the
/// start when `spinSym`, then one per generator in order, then n for the readout noise.
public struct BitflipSampler: Sendable {
    public let model: IQPModel
    /// Qubits of each generator.
    let generators: [[Int]]
    /// q_j = sin²θ'_j.
    let flipProbabilities: [Double]

    public init(model: IQPModel) {
        self.model = model
        self.generators = model.circuit.generators
        self.flipProbabilities = model.circuit.generatorParameters(model.params).map { sin($0) * sin($0) }
    }

    /// Draws `shots` rows of n bits. Parallel over shots; the result does not depend on the
    /// thread count.
    public func sample(shots: Int, seed: UInt64, noise: ReadoutNoise = .none,
                       isCancelled: @Sendable () -> Bool = { false }) throws -> (shots: BitMatrix, timings: SimulationTimings) {
        precondition(shots >= 0)
        let n = model.nQubits
        try noise.validate(nQubits: n)
        let stopwatch = Stopwatch()
        var matrix = BitMatrix(rows: shots, columns: n)
        let wordsPerRow = matrix.wordsPerRow
        let lastMask = matrix.lastWordMask
        let work = Double(generators.count + n)
        // Batches of shots, in parallel inside a batch; cancellation is checked between batches.
        let batch = 4096
        var start = 0
        while start < shots {
            let range = start..<min(shots, start + batch)
            let minimumChunk = work * Double(range.count) > 1e5 ? 1 : Int.max
            matrix.words.withUnsafeMutableBufferPointer { words in
                let rows = SharedPointer(words.baseAddress!)   // shot i writes only row i
                parallelFor(range.count, minimumChunk: minimumChunk) { chunk in
                    for k in chunk {
                        let i = range.lowerBound + k
                        drawShot(into: rows.base + i * wordsPerRow, index: i, seed: seed, noise: noise,
                                 wordsPerRow: wordsPerRow, lastMask: lastMask)
                    }
                }
            }
            if isCancelled() { throw SamplingCancelled() }
            start = range.upperBound
        }
        var timings = SimulationTimings()
        timings.samplingSeconds = stopwatch.seconds
        return (matrix, timings)
    }

    /// One shot into `row` (zeroed): start, generator flips, readout noise.
    func drawShot(into row: UnsafeMutablePointer<UInt64>, index i: Int, seed: UInt64, noise: ReadoutNoise,
                  wordsPerRow: Int, lastMask: UInt64) {
        var stream = KeyedStream(seed: seed, step: 0, sigmaIndex: 0, purpose: .shots, index: i)
        if model.spinSym && stream.nextUniform() < 0.5 {
            for w in 0..<wordsPerRow { row[w] = ~0 }
            row[wordsPerRow - 1] &= lastMask
        }
        for (j, g) in generators.enumerated() {
            let u = stream.nextUniform()
            if u < flipProbabilities[j] {
                for q in g { row[q >> 6] ^= UInt64(1) << UInt64(q & 63) }
            }
        }
        if !noise.isNone { noise.apply(to: row, nQubits: model.nQubits, stream: &stream) }
    }
}
