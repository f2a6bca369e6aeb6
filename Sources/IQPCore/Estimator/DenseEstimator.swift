#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The dense (GEMM) estimator of <Z_a> and its backward pass, for any circuit
/// (docs/math.md §2, §4, §8).
///
/// For a block of B strings a and s samples z:
///
///     S = (A Gᵀ) mod 2          (B×m, 0/1)       ζ = 1 − 2((Z Gᵀ) mod 2)   (s×m, ±1)
///     Φ = (S ⊙ 2θ') ζᵀ          (B×s)            f_{a,i} = cos Φ_{a,i} · m(a, z_i)
///
/// with m(a,z) = 2 − (|a| mod 2) − 2(|z| mod 2) for the spin-symmetric start and 1 otherwise;
/// <Z_a> ≈ mean_i f_{a,i}. The backward pass takes ∂L/∂f_{a,i} = α_a + β·f_{a,i} (the form
/// of the MMD² loss, docs/math.md §4) and returns
///
///     ∂L/∂θ'_j = 2 Σ_a S_{a,j} (W ζ)_{a,j},    W_{a,i} = ∂L/∂f_{a,i} · (−sin Φ_{a,i}) · m(a, z_i).
///
/// Memory is bounded by `memoryBudget`: strings are processed in chunks of B_c rows with
/// B_c·s·24 bytes ≤ budget/4, and generators in chunks of m_c columns with
/// (B_c + s)·m_c·16 bytes ≤ budget/2, so no B×m or s×m matrix exceeds the budget. When the
/// whole block fits in one string chunk, cos Φ and sin Φ are kept for the backward pass;
/// otherwise Φ is recomputed there.
public struct DenseEstimator: Sendable {
    public let circuit: Circuit
    public let table: GeneratorTable
    /// Bytes the estimator may use for its work matrices (default 1 GiB).
    public let memoryBudget: Int

    public static let defaultMemoryBudget = 1 << 30

    public init(circuit: Circuit, memoryBudget: Int = DenseEstimator.defaultMemoryBudget) {
        self.circuit = circuit
        self.table = circuit.table
        self.memoryBudget = max(1 << 16, memoryBudget)
    }

    /// The result of a forward pass over one block of strings × samples.
    public struct Forward: Sendable {
        public let strings: BitMatrix
        public let samples: BitMatrix
        public let spinSym: Bool
        /// Σ_i f_{a,i} for each string a of the block.
        public var rowSum: [Double]
        /// Σ_i f_{a,i}² for each string a of the block.
        public var rowSumSquares: [Double]
        @usableFromInline var cosPhi: [Double]?
        @usableFromInline var sinPhi: [Double]?
    }

    /// Work sizes: strings per chunk and generators per chunk.
    func chunkSizes(strings: Int, samples: Int) -> (strings: Int, generators: Int) {
        let s = max(1, samples)
        let bc = max(1, min(strings, memoryBudget / 4 / (24 * s)))
        let mc = max(1, min(table.count, memoryBudget / 2 / (16 * (bc + s))))
        return (bc, mc)
    }

    /// Φ for strings `rows` of the block into `phi` (rows.count × s).
    func phases(thetaPrime: UnsafeBufferPointer<Double>, stringBits: UnsafeBufferPointer<UInt8>,
                sampleBits: UnsafeBufferPointer<UInt8>, rows: Range<Int>, samples s: Int,
                generatorChunk mc: Int, phi: UnsafeMutablePointer<Double>,
                sWork: UnsafeMutablePointer<Double>, zetaWork: UnsafeMutablePointer<Double>) {
        let n = circuit.nQubits, m = table.count, bc = rows.count
        if m == 0 { phi.update(repeating: 0, count: bc * s); return }
        let aBits = UnsafeBufferPointer(rebasing: stringBits[(rows.lowerBound * n)..<(rows.upperBound * n)])
        var j0 = 0
        while j0 < m {
            let j1 = min(m, j0 + mc), w = j1 - j0
            table.fillParities(bits: aBits, rows: bc, generators: j0..<j1, odd: 1, even: 0, into: sWork, ld: w)
            for r in 0..<bc {
                let row = sWork + r * w
                for j in 0..<w { row[j] *= 2 * thetaPrime[j0 + j] }
            }
            table.fillParities(bits: sampleBits, rows: s, generators: j0..<j1, odd: -1, even: 1, into: zetaWork, ld: w)
            BLAS.gemm(transposeB: true, m: bc, n: s, k: w, a: sWork, lda: w, b: zetaWork, ldb: w,
                      beta: j0 == 0 ? 0 : 1, c: phi, ldc: s)
            j0 = j1
        }
    }

    /// The spin-symmetric factor m(a,z) = 2 − (|a| mod 2) − 2(|z| mod 2) (docs/math.md §8) as a
    /// per-string and per-sample parity; m = 1 for the plain start.
    static func parities(_ m: BitMatrix) -> [Double] {
        (0..<m.rows).map { Double(m.popcount(row: $0) & 1) }
    }

    /// Forward pass: per-string sums of f and f² over the samples of the block.
    public func forward(thetaPrime: [Double], strings: BitMatrix, samples: BitMatrix,
                        spinSym: Bool) -> Forward {
        precondition(thetaPrime.count == table.count)
        precondition(strings.columns == circuit.nQubits && samples.columns == circuit.nQubits)
        let bb = strings.rows, s = samples.rows
        let (bc, mc) = chunkSizes(strings: bb, samples: s)
        let keep = bc >= bb
        var rowSum = [Double](repeating: 0, count: bb)
        var rowSq = [Double](repeating: 0, count: bb)
        var cosCache = keep ? [Double](repeating: 0, count: bb * s) : []
        var sinCache = keep ? [Double](repeating: 0, count: bb * s) : []
        let aBits = GeneratorTable.unpack(strings), zBits = GeneratorTable.unpack(samples)
        let pa = spinSym ? DenseEstimator.parities(strings) : [], pz = spinSym ? DenseEstimator.parities(samples) : []
        var phi = [Double](repeating: 0, count: bc * s)
        var sWork = [Double](repeating: 0, count: bc * mc)
        var zWork = [Double](repeating: 0, count: s * mc)
        thetaPrime.withUnsafeBufferPointer { th in
        aBits.withUnsafeBufferPointer { ab in
        zBits.withUnsafeBufferPointer { zb in
        phi.withUnsafeMutableBufferPointer { ph in
        sWork.withUnsafeMutableBufferPointer { sw in
        zWork.withUnsafeMutableBufferPointer { zw in
        rowSum.withUnsafeMutableBufferPointer { rs in
        rowSq.withUnsafeMutableBufferPointer { rq in
        cosCache.withUnsafeMutableBufferPointer { cc in
        sinCache.withUnsafeMutableBufferPointer { sc in
            var b0 = 0
            while b0 < bb {
                let b1 = min(bb, b0 + bc)
                phases(thetaPrime: th, stringBits: ab, sampleBits: zb, rows: b0..<b1, samples: s,
                       generatorChunk: mc, phi: ph.baseAddress!, sWork: sw.baseAddress!, zetaWork: zw.baseAddress!)
                parallelFor(b1 - b0, minimumChunk: max(1, 4096 / max(1, s))) { local in
                    // cos Φ and sin Φ of a row at once (vectorised, VectorSinCos), into the
                    // cache when it is kept, else into row buffers.
                    var rowCos = [Double](repeating: 0, count: keep ? 0 : s)
                    var rowSin = rowCos
                    rowCos.withUnsafeMutableBufferPointer { rc in
                    rowSin.withUnsafeMutableBufferPointer { rsn in
                        for r in local {
                            let a = b0 + r
                            let cOut = keep ? cc.baseAddress! + a * s : rc.baseAddress!
                            let sOut = keep ? sc.baseAddress! + a * s : rsn.baseAddress!
                            VectorSinCos.evaluate(ph.baseAddress! + r * s, count: s, sin: sOut, cos: cOut)
                            var sum = 0.0, sq = 0.0
                            for i in 0..<s {
                                let f = spinSym ? cOut[i] * (2 - pa[a] - 2 * pz[i]) : cOut[i]
                                sum += f; sq += f * f
                            }
                            rs[a] = sum; rq[a] = sq
                        }
                    }}
                }
                b0 = b1
            }
        }}}}}}}}}}
        return Forward(strings: strings, samples: samples, spinSym: spinSym, rowSum: rowSum,
                       rowSumSquares: rowSq, cosPhi: keep ? cosCache : nil, sinPhi: keep ? sinCache : nil)
    }

    /// Backward pass for ∂L/∂f_{a,i} = alpha[a] + beta·f_{a,i}: returns ∂L/∂θ' (length m).
    /// Per chunk of strings: W (`weights`), then per chunk of generators the GEMM Wζ and
    /// ∂L/∂θ'_j += 2 Σ_a S_{a,j} (Wζ)_{a,j} (`addGeneratorGradient`).
    public func backward(_ fwd: Forward, thetaPrime: [Double], alpha: [Double], beta: Double) -> [Double] {
        let bb = fwd.strings.rows, s = fwd.samples.rows, m = table.count
        precondition(alpha.count == bb)
        var grad = [Double](repeating: 0, count: m)
        if bb == 0 || s == 0 || m == 0 { return grad }
        let (bc, mc) = chunkSizes(strings: bb, samples: s)
        let work = BackwardWork(strings: bc, samples: s, generators: mc, recomputes: fwd.cosPhi == nil)
        defer { work.deallocate() }
        let aBits = GeneratorTable.unpack(fwd.strings), zBits = GeneratorTable.unpack(fwd.samples)
        let parity = fwd.spinSym ? (strings: DenseEstimator.parities(fwd.strings), samples: DenseEstimator.parities(fwd.samples)) : nil
        thetaPrime.withUnsafeBufferPointer { th in aBits.withUnsafeBufferPointer { ab in zBits.withUnsafeBufferPointer { zb in
            grad.withUnsafeMutableBufferPointer { gr in
                var b0 = 0
                while b0 < bb {
                    let rows = b0..<min(bb, b0 + bc)
                    if fwd.cosPhi == nil {
                        phases(thetaPrime: th, stringBits: ab, sampleBits: zb, rows: rows, samples: s,
                               generatorChunk: mc, phi: work.phi, sWork: work.s, zetaWork: work.zeta)
                    }
                    weights(fwd, rows: rows, phi: work.phi, alpha: alpha, beta: beta, parity: parity, into: work.w)
                    addGeneratorGradient(work, rows: rows, stringBits: ab, sampleBits: zb, samples: s, into: gr.baseAddress!)
                    b0 = rows.upperBound
                }
            }
        }}}
        return grad
    }

    /// The work matrices of `backward`: Φ (B_c×s, when recomputed), W (B_c×s), S and Wζ (B_c×m_c), ζ (s×m_c).
    struct BackwardWork {
        let phi, w, s, zeta, product: UnsafeMutablePointer<Double>
        let generators: Int

        init(strings bc: Int, samples: Int, generators mc: Int, recomputes: Bool) {
            phi = .allocate(capacity: recomputes ? bc * samples : 1)
            w = .allocate(capacity: bc * samples)
            s = .allocate(capacity: bc * mc)
            zeta = .allocate(capacity: samples * mc)
            product = .allocate(capacity: bc * mc)
            generators = mc
        }

        func deallocate() { for p in [phi, w, s, zeta, product] { p.deallocate() } }
    }

    /// W_{a,i} = (α_a + β f_{a,i})(−sin Φ_{a,i}) m(a, z_i) for the strings `rows` (row a − rows.lowerBound),
    /// from the kept cos Φ, sin Φ or from Φ in `phi`.
    func weights(_ fwd: Forward, rows: Range<Int>, phi: UnsafeMutablePointer<Double>, alpha: [Double], beta: Double,
                 parity: (strings: [Double], samples: [Double])?, into w: UnsafeMutablePointer<Double>) {
        let s = fwd.samples.rows
        let ph = SharedPointer(phi), out = SharedPointer(w)
        parallelFor(rows.count, minimumChunk: max(1, 4096 / max(1, s))) { local in
            let rc = UnsafeMutablePointer<Double>.allocate(capacity: s), rsn = UnsafeMutablePointer<Double>.allocate(capacity: s)
            defer { rc.deallocate(); rsn.deallocate() }
            for r in local {
                let a = rows.lowerBound + r
                if let cc = fwd.cosPhi, let sc = fwd.sinPhi {
                    // The kept cos Φ and sin Φ, read in place.
                    cc.withUnsafeBufferPointer { c in sc.withUnsafeBufferPointer { sn in
                        weightRow(cos: c.baseAddress! + a * s, sin: sn.baseAddress! + a * s, string: a)
                    }}
                } else {
                    VectorSinCos.evaluate(ph.base + r * s, count: s, sin: rsn, cos: rc)
                    weightRow(cos: rc, sin: rsn, string: a)
                }
            }
            func weightRow(cos c: UnsafePointer<Double>, sin sn: UnsafePointer<Double>, string a: Int) {
                let row = out.base + (a - rows.lowerBound) * s
                for i in 0..<s {
                    let mf = parity.map { 2 - $0.strings[a] - 2 * $0.samples[i] } ?? 1
                    row[i] = -(alpha[a] + beta * c[i] * mf) * sn[i] * mf
                }
            }
        }
    }

    /// ∂L/∂θ'_j += 2 Σ_a S_{a,j} (Wζ)_{a,j} over the strings `rows`, generators in chunks of m_c.
    func addGeneratorGradient(_ work: BackwardWork, rows: Range<Int>, stringBits ab: UnsafeBufferPointer<UInt8>,
                              sampleBits zb: UnsafeBufferPointer<UInt8>, samples s: Int, into grad: UnsafeMutablePointer<Double>) {
        let n = circuit.nQubits, m = table.count, count = rows.count
        let aRows = UnsafeBufferPointer(rebasing: ab[(rows.lowerBound * n)..<(rows.upperBound * n)])
        var j0 = 0
        while j0 < m {
            let j1 = min(m, j0 + work.generators), w = j1 - j0
            table.fillParities(bits: zb, rows: s, generators: j0..<j1, odd: -1, even: 1, into: work.zeta, ld: w)
            BLAS.gemm(m: count, n: w, k: s, a: work.w, lda: s, b: work.zeta, ldb: w, c: work.product, ldc: w)
            table.fillParities(bits: aRows, rows: count, generators: j0..<j1, odd: 1, even: 0, into: work.s, ld: w)
            for r in 0..<count {
                let sr = work.s + r * w, pr = work.product + r * w
                for j in 0..<w { grad[j0 + j] += 2 * sr[j] * pr[j] }
            }
            j0 = j1
        }
    }
}
