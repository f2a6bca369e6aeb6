/// Exact <Z_a> of an IQP circuit for all 2ⁿ strings, and the exact gradient of Σ_a ρ(a)<Z_a>,
/// by fast Walsh–Hadamard transforms (docs/math.md §10). With f(y) = Σ_j θ'_j (−1)^{g_j·y}
/// (itself the transform of v, v[mask(g_j)] += θ'_j) and the starting weight u(y) = 1, or
/// u(y) = √2·[|y| even] for the spin-symmetric start (docs/math.md §8),
///
///     F(y)  = u(y)·e^{i f(y)},        F̂ = WHT(F)   (2ⁿ·amplitudes),
///     <Z_a> = 2⁻ⁿ Σ_y F(y)·conj F(y⊕a) = WHT(|F̂|²)(a) / 4ⁿ,
///     ∂(Σ_a ρ(a)<Z_a>)/∂θ'_j = 2 Σ_y (−1)^{g_j·y} h(y) = 2·WHT(h)(mask g_j),
///     h = −Im(F·G),   G = (ρ/2ⁿ) ⊛ conj F = WHT(WHT(ρ)·conj F̂) / 4ⁿ   (XOR convolution).
///
/// Per call: forward four real-vector transforms' worth (f, F̂ complex, <Z>), backward four more
/// (WHT ρ, G complex, h): O(n·2ⁿ) whatever the number of generators, plus O(m) to build v and
/// to read the m gradient entries. Memory: three vectors, 40·2ⁿ bytes (`ExactPathCost`).
///
/// On several ranks (`ExactVectorLayout`) each rank computes f, F, h and the elementwise steps
/// on its own blocks only; the transforms of F, |F̂|², ρ and Ĝ are assembled by one allreduce
/// each, and the last one is only summed at the m generator masks.
public final class ExactIQPExpectations: AllStringExpectations, @unchecked Sendable {
    // @unchecked Sendable: the buffers are written only inside `forward`/`backward`, by
    // parallel loops over disjoint index ranges; the caller runs one call at a time.
    public let layout: ExactVectorLayout
    public let spinSym: Bool
    public let masks: [Int]
    /// F(y) on the own blocks, interleaved (re, im).
    let phase: ExactBuffer
    /// F̂ after `forward` (all blocks); Ĝ, then G̃ = 4ⁿ·G inside `backward`.
    let spectrum: ExactBuffer
    /// f, then |F̂|², then <Z_a>; ρ, WHT(ρ), h inside `backward`.
    let real: ExactBuffer

    public init(circuit: Circuit, spinSym: Bool, layout: ExactVectorLayout) {
        precondition(layout.nQubits == circuit.nQubits)
        self.layout = layout
        self.spinSym = spinSym
        self.masks = circuit.generatorMasks
        let count = layout.count
        phase = ExactBuffer(count: 2 * count)
        spectrum = ExactBuffer(count: 2 * count)
        real = ExactBuffer(count: count)
    }

    public var generatorCount: Int { masks.count }
    public var values: UnsafeMutablePointer<Double> { real.base }

    public func forward(thetaPrime: [Double]) {
        precondition(thetaPrime.count == masks.count)
        let n = layout.nQubits
        SparseWalshHadamard.transform(masks: masks, values: thetaPrime, layout: layout, into: real.base)
        // F = u·e^{if} and a copy to transform, on the own blocks.
        let f = SharedPointer(real.base), phaseOut = SharedPointer(phase.base), spec = SharedPointer(spectrum.base)
        let spinSym = self.spinSym
        layout.forEachOwnRange { range in
            ExactIQPExpectations.exponentiate(f.base, range: range, spinSym: spinSym, into: phaseOut.base)
            (spec.base + 2 * range.lowerBound).update(from: phaseOut.base + 2 * range.lowerBound, count: 2 * range.count)
        }
        layout.transformComplex(spectrum.base)
        // |F̂|², then its transform / 4ⁿ = <Z_a> (every rank holds all of them).
        layout.forEachOwnRange { range in
            for x in range {
                let re = spec.base[2 * x], im = spec.base[2 * x + 1]
                f.base[x] = re * re + im * im
            }
        }
        layout.transformReal(real.base)
        let scale = Double(sign: .plus, exponent: -2 * n, significand: 1)   // 1/4ⁿ
        Parallel.forEach(64, parallel: layout.count >= 1 << 15) { piece in
            for a in Parallel.range(piece, of: 64, total: self.layout.count) { f.base[a] *= scale }
        }
    }

    public func backward(thetaPrime: [Double]) -> [Double] {
        precondition(thetaPrime.count == masks.count)
        let n = layout.nQubits
        let rho = SharedPointer(real.base), phaseIn = SharedPointer(phase.base), spec = SharedPointer(spectrum.base)
        layout.transformReal(real.base)                        // WHT(ρ), all blocks
        layout.forEachOwnRange { range in                      // Ĝ = WHT(ρ)·conj F̂
            for x in range {
                let r = rho.base[x]
                spec.base[2 * x] *= r
                spec.base[2 * x + 1] *= -r
            }
        }
        layout.transformComplex(spectrum.base)                 // G̃ = 4ⁿ·G
        layout.forEachOwnRange { range in                      // h = −Im(F·G̃)
            for y in range {
                let fr = phaseIn.base[2 * y], fi = phaseIn.base[2 * y + 1]
                let gr = spec.base[2 * y], gi = spec.base[2 * y + 1]
                rho.base[y] = -(fr * gi + fi * gr)
            }
        }
        layout.transformOwnBlocksLow(real.base)
        let scale = Double(sign: .plus, exponent: 1 - 2 * n, significand: 1)   // 2/4ⁿ
        return layout.gather(real.base, at: masks).map { $0 * scale }
    }

    /// F(y) = u(y)·(cos f(y), sin f(y)) interleaved at 2y, 2y + 1 for y in `range`, with
    /// u = 1, or √2·[|y| even] for the spin-symmetric start; sin and cos by `VectorSinCos`.
    static func exponentiate(_ f: UnsafeMutablePointer<Double>, range: Range<Int>, spinSym: Bool,
                             into out: UnsafeMutablePointer<Double>) {
        let chunk = 512
        withUnsafeTemporaryAllocation(of: Double.self, capacity: 2 * chunk) { work in
            let sines = work.baseAddress!, cosines = sines + chunk
            var start = range.lowerBound
            while start < range.upperBound {
                let count = min(chunk, range.upperBound - start)
                VectorSinCos.evaluate(f + start, count: count, sin: sines, cos: cosines)
                for i in 0..<count {
                    let y = start + i
                    let u = spinSym ? (y.nonzeroBitCount & 1 == 0 ? 2.0.squareRoot() : 0) : 1
                    out[2 * y] = u * cosines[i]
                    out[2 * y + 1] = u * sines[i]
                }
                start += count
            }
        }
    }
}
