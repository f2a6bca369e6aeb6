/// The random draws of one step (docs/math.md §2, §3; docs/random-streams.md): for every
/// bandwidth k, all B Pauli strings (the data term needs every string on every rank) and this
/// rank's block of the s uniform samples. Every draw is keyed by (seed, step, k, index), so a
/// rank's block is the same whatever the rank count.
public struct StepDraw: Sendable {
    /// Strings of bandwidth k: all B, as rows.
    public var strings: [BitMatrix]
    /// Samples of bandwidth k: this rank's block only (empty when the model needs none); one
    /// block for all bandwidths (those of k = 0) when the samples are shared.
    public var samples: [BitMatrix]

    /// This rank's samples for bandwidth k.
    public func samples(for k: Int) -> BitMatrix { samples.count == 1 ? samples[0] : samples[k] }

    /// Draws step `step`'s strings from `samplers` (one per bandwidth) and, when `sampleBlock`
    /// is given, the samples with those indices: per bandwidth, or once (`shared`). Local: no collective.
    public static func draw(samplers: [PauliStringSampler], stringsPerSigma b: Int, seed: UInt64, step: UInt64,
                            sampleBlock: Range<Int>?, shared: Bool = false) -> StepDraw {
        var draw = StepDraw(strings: [], samples: [])
        for (k, sampler) in samplers.enumerated() {
            draw.strings.append(sampler.strings(seed: seed, step: step, sigmaIndex: k, range: 0..<b))
            if let sampleBlock, !shared || k == 0 {
                draw.samples.append(UniformSampleSampler.samples(nQubits: sampler.nQubits, seed: seed, step: step,
                                                                 sigmaIndex: k, range: sampleBlock))
            }
        }
        return draw
    }
}
