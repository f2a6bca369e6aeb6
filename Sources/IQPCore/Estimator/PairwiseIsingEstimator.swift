/// The fast estimator for circuits whose generators all have weight ≤ 2 (docs/math.md §5), with
/// the same forward/backward contract and the same numbers as `DenseEstimator`.
///
/// Then F(y) = Σ_i h_i σ_i + Σ_{i<k} J_ik σ_i σ_k, with h_i the sum of θ' over the weight-1
/// generators on i and J_ik (symmetric, zero diagonal) the sum over the generators {i, k}
/// (several generators may share a gate). For a block of strings a (qubit sets A) and
/// samples z (spins σ = σ(z)):
///
///     φ(a, z) = 2 Σ_{i∈A} σ_i (h_i + L_i) − 4 Σ_{i<k ∈ A} J_ik σ_i σ_k,     L = σ(Z)·J,
///
/// so one GEMM gives the local fields and each (a, z) pair costs O(|A|²). Only the rows of
/// J for the qubits U touched by some string of the block are needed: Lᵀ_U = J_U · σ(Z)ᵀ
/// (|U|×n times n×s). Backward, with W_{a,z} = ∂L/∂φ = (α_a + β f)(−sin φ)·m,
/// M_{z,i} = Σ_{a ∋ i} W_{a,z}, X = σ ⊙ M and P_ik = Σ_a [i,k ∈ A_a] Σ_z W_{a,z} σ_{z,i} σ_{z,k}:
///
///     ∂L/∂h_i = 2 Σ_z X_{z,i},      ∂L/∂J_ik = 2 (C_ik + C_ki) − 4 P_ik,   C = Xᵀσ (|U|×n, one GEMM).
///
/// Every generator's ∂L/∂θ' is the derivative by its h_i or J_ik. Memory per block: σ(Z)ᵀ
/// (n×s), J_U, C (|U|×n), Lᵀ_U, M (|U|×s), and cos φ, sin φ (B×s) when they fit in half of
/// `memoryBudget` (otherwise the backward pass recomputes φ) — never B×m or s×m.
public struct PairwiseIsingEstimator: BlockEstimator {
    public let circuit: Circuit
    public let memoryBudget: Int
    /// Generator j acts on qubit first[j], and on second[j] > first[j] when it has weight 2
    /// (second[j] = −1 for weight 1).
    let first: [Int32]
    let second: [Int32]
    /// Bit i·n + k is set when some generator is {i, k}: pair sums P_ik of other pairs are skipped.
    let pairMask: [UInt64]
    /// Weight-2 generators over all n(n−1)/2 pairs (the share of string pairs that cost work).
    public let pairDensity: Double

    /// Whether every generator of `circuit` has weight ≤ 2.
    public static func applies(to circuit: Circuit) -> Bool { circuit.maxWeight <= 2 }

    public init(circuit: Circuit, memoryBudget: Int = DenseEstimator.defaultMemoryBudget) throws {
        guard PairwiseIsingEstimator.applies(to: circuit) else {
            throw IQPError("the fast estimator needs generators of weight ≤ 2, but this circuit has weight \(circuit.maxWeight)",
                           field: "estimator")
        }
        self.circuit = circuit
        self.memoryBudget = max(1 << 16, memoryBudget)
        var first = [Int32](), second = [Int32]()
        first.reserveCapacity(circuit.generatorCount); second.reserveCapacity(circuit.generatorCount)
        for g in circuit.generators {
            if g.count == 1 {
                first.append(Int32(g[0])); second.append(-1)
            } else {
                first.append(Int32(min(g[0], g[1]))); second.append(Int32(max(g[0], g[1])))
            }
        }
        self.first = first
        self.second = second
        let n = circuit.nQubits
        var mask = [UInt64](repeating: 0, count: (n * n + 63) / 64)
        var distinct = 0
        for j in 0..<first.count where second[j] >= 0 {
            let bit = Int(first[j]) * n + Int(second[j])
            if mask[bit >> 6] & (1 << UInt64(bit & 63)) == 0 { distinct += 1 }
            mask[bit >> 6] |= 1 << UInt64(bit & 63)
        }
        self.pairMask = mask
        self.pairDensity = n > 1 ? Double(distinct) / Double(n * (n - 1) / 2) : 0
    }

    /// The qubits of a block's strings and the spin matrix of its samples.
    struct Block: Sendable {
        let n: Int, b: Int, s: Int
        /// Qubits of string a, ascending: stringQubits[stringOffsets[a]..<stringOffsets[a+1]].
        let stringOffsets: [Int]
        let stringQubits: [Int32]
        /// U: every qubit in some string, ascending; usedIndex[i] = position of i in U or −1.
        let used: [Int32]
        let usedIndex: [Int32]
        /// Strings that contain U[u], ascending: usedStrings[usedOffsets[u]..<usedOffsets[u+1]].
        let usedOffsets: [Int]
        let usedStrings: [Int32]
        /// σ(Z)ᵀ, n×s: sigmaT[i·s + z] = (−1)^{z_i}.
        let sigmaT: [Double]
        /// Spin-symmetric factor parts (docs/math.md §8): |a| mod 2 and |z| mod 2 (empty when plain).
        let stringParity: [Double]
        let sampleParity: [Double]

        init(strings: BitMatrix, samples: BitMatrix, spinSym: Bool) {
            n = strings.columns; b = strings.rows; s = samples.rows
            var offsets = [0], qubits = [Int32]()
            var count = [Int](repeating: 0, count: n)
            let wpr = strings.wordsPerRow
            for a in 0..<b {
                for w in 0..<wpr {
                    var x = strings.words[a * wpr + w]
                    while x != 0 {
                        let q = w * 64 + x.trailingZeroBitCount
                        qubits.append(Int32(q)); count[q] += 1
                        x &= x - 1
                    }
                }
                offsets.append(qubits.count)
            }
            stringOffsets = offsets; stringQubits = qubits
            var used = [Int32](), usedIndex = [Int32](repeating: -1, count: n), usedOffsets = [0]
            for q in 0..<n where count[q] > 0 {
                usedIndex[q] = Int32(used.count); used.append(Int32(q)); usedOffsets.append(usedOffsets.last! + count[q])
            }
            var fill = Array(usedOffsets.dropLast()), usedStrings = [Int32](repeating: 0, count: qubits.count)
            for a in 0..<b {
                for t in offsets[a]..<offsets[a + 1] {
                    let u = Int(usedIndex[Int(qubits[t])])
                    usedStrings[fill[u]] = Int32(a); fill[u] += 1
                }
            }
            self.used = used; self.usedIndex = usedIndex; self.usedOffsets = usedOffsets; self.usedStrings = usedStrings
            sigmaT = PairwiseIsingEstimator.spinsTransposed(samples)
            stringParity = spinSym ? (0..<b).map { Double((offsets[$0 + 1] - offsets[$0]) & 1) } : []
            sampleParity = spinSym ? (0..<samples.rows).map { Double(samples.popcount(row: $0) & 1) } : []
        }
    }

    /// σ(Z)ᵀ as an n×s matrix of ±1 (row i holds qubit i of every sample).
    static func spinsTransposed(_ samples: BitMatrix) -> [Double] {
        let n = samples.columns, s = samples.rows, wpr = samples.wordsPerRow
        var out = [Double](repeating: 1, count: n * s)
        samples.words.withUnsafeBufferPointer { words in
            out.withUnsafeMutableBufferPointer { o in
                parallelFor(wpr, minimumChunk: 1) { wordRange in
                    for w in wordRange {
                        let bits = min(64, n - w * 64)
                        for z in 0..<s {
                            let x = words[z * wpr + w]
                            for bit in 0..<bits {
                                o[(w * 64 + bit) * s + z] = 1 - 2 * Double((x >> UInt64(bit)) & 1)
                            }
                        }
                    }
                }
            }
        }
        return out
    }

    /// The result of a forward pass over one block.
    public struct Forward: BlockForward {
        public let strings: BitMatrix
        public let samples: BitMatrix
        public let spinSym: Bool
        public var rowSum: [Double]
        public var rowSumSquares: [Double]
        let block: Block
        /// h (length n) and J_U (|U|×n: row u is row U[u] of J).
        let fields: [Double]
        let couplings: [Double]
        /// Lᵀ_U (|U|×s): localFields[u·s + z] = Σ_k J_{U[u],k} σ_{z,k}.
        let localFields: [Double]
        /// cos φ and sin φ (B×s), when they fit in the memory budget.
        let cosPhi: [Double]?
        let sinPhi: [Double]?
    }

    /// h (length n) and the rows J_U of the coupling matrix for the qubits `used`.
    func fieldsAndCouplings(thetaPrime: [Double], block: Block) -> ([Double], [Double]) {
        let n = block.n
        var h = [Double](repeating: 0, count: n)
        var ju = [Double](repeating: 0, count: block.used.count * n)
        for j in 0..<first.count {
            let i = Int(first[j]), k = Int(second[j]), t = thetaPrime[j]
            if k < 0 { h[i] += t; continue }
            let ui = Int(block.usedIndex[i]), uk = Int(block.usedIndex[k])
            if ui >= 0 { ju[ui * n + k] += t }
            if uk >= 0 { ju[uk * n + i] += t }
        }
        return (h, ju)
    }

    /// Pointers the per-string kernels read.
    struct Views {
        let n: Int, s: Int
        let sigmaT: UnsafePointer<Double>
        let fields: UnsafePointer<Double>
        let couplings: UnsafePointer<Double>
        let localFields: UnsafePointer<Double>
        let usedIndex: UnsafePointer<Int32>
        let qubits: UnsafePointer<Int32>
    }

    /// φ(a, z) for every sample z of string a (qubits qubits[lo..<hi]) into phi; v is work space.
    static func phases(_ p: Views, lo: Int, hi: Int, phi: UnsafeMutablePointer<Double>, v: UnsafeMutablePointer<Double>) {
        let s = p.s, n = p.n
        phi.update(repeating: 0, count: s)
        for t in lo..<hi {
            let i = Int(p.qubits[t]), ui = Int(p.usedIndex[i])
            let sigI = p.sigmaT + i * s, l = p.localFields + ui * s, h = p.fields[i]
            for z in 0..<s { v[z] = h + l[z] }
            let row = p.couplings + ui * n
            for t2 in (t + 1)..<max(t + 1, hi) {
                let k = Int(p.qubits[t2])
                let c = 2 * row[k]
                if c == 0 { continue }
                let sigK = p.sigmaT + k * s
                for z in 0..<s { v[z] -= c * sigK[z] }
            }
            for z in 0..<s { phi[z] += 2 * sigI[z] * v[z] }
        }
    }

    /// Whether cos φ and sin φ of a B×s block are kept for the backward pass.
    func keepsTrigonometry(strings b: Int, samples s: Int) -> Bool { 16 * b * s <= memoryBudget / 2 }

    public func forward(thetaPrime: [Double], strings: BitMatrix, samples: BitMatrix, spinSym: Bool) -> Forward {
        precondition(thetaPrime.count == first.count)
        precondition(strings.columns == circuit.nQubits && samples.columns == circuit.nQubits)
        precondition(samples.rows >= 1, "needs at least one sample")
        let block = Block(strings: strings, samples: samples, spinSym: spinSym)
        let n = block.n, b = block.b, s = block.s, nu = block.used.count
        let (h, ju) = fieldsAndCouplings(thetaPrime: thetaPrime, block: block)
        var lt = [Double](repeating: 0, count: nu * s)
        ju.withUnsafeBufferPointer { jp in block.sigmaT.withUnsafeBufferPointer { sp in lt.withUnsafeMutableBufferPointer { lp in
            BLAS.gemm(m: nu, n: s, k: n, a: jp.baseAddress!, lda: n, b: sp.baseAddress!, ldb: s, c: lp.baseAddress!, ldc: s)
        }}}
        let keep = keepsTrigonometry(strings: b, samples: s)
        var cosPhi = [Double](repeating: 0, count: keep ? b * s : 0), sinPhi = cosPhi
        var rowSum = [Double](repeating: 0, count: b), rowSq = rowSum
        withViews(block: block, fields: h, couplings: ju, localFields: lt) { p in
        cosPhi.withUnsafeMutableBufferPointer { cp in sinPhi.withUnsafeMutableBufferPointer { sp in
        rowSum.withUnsafeMutableBufferPointer { rs in rowSq.withUnsafeMutableBufferPointer { rq in
            parallelFor(b, minimumChunk: max(1, 8192 / max(1, s))) { range in
                let work = UnsafeMutablePointer<Double>.allocate(capacity: 4 * s)
                defer { work.deallocate() }
                let phi = work, v = work + s, cw = work + 2 * s, sw = work + 3 * s
                for a in range {
                    PairwiseIsingEstimator.phases(p, lo: block.stringOffsets[a], hi: block.stringOffsets[a + 1], phi: phi, v: v)
                    let c = keep ? cp.baseAddress! + a * s : cw, sn = keep ? sp.baseAddress! + a * s : sw
                    VectorSinCos.evaluate(phi, count: s, sin: sn, cos: c)
                    var sum = 0.0, sq = 0.0
                    if spinSym {
                        let pa = block.stringParity[a]
                        block.sampleParity.withUnsafeBufferPointer { pz in
                            for z in 0..<s { let f = c[z] * (2 - pa - 2 * pz[z]); sum += f; sq += f * f }
                        }
                    } else {
                        for z in 0..<s { let f = c[z]; sum += f; sq += f * f }
                    }
                    rs[a] = sum; rq[a] = sq
                }
            }
        }}}}}
        return Forward(strings: strings, samples: samples, spinSym: spinSym, rowSum: rowSum, rowSumSquares: rowSq,
                       block: block, fields: h, couplings: ju, localFields: lt,
                       cosPhi: keep ? cosPhi : nil, sinPhi: keep ? sinPhi : nil)
    }

    func withViews<R>(block: Block, fields: [Double], couplings: [Double], localFields: [Double],
                      _ body: (Views) -> R) -> R {
        block.sigmaT.withUnsafeBufferPointer { sg in fields.withUnsafeBufferPointer { hp in
        couplings.withUnsafeBufferPointer { jp in localFields.withUnsafeBufferPointer { lp in
        block.usedIndex.withUnsafeBufferPointer { ui in block.stringQubits.withUnsafeBufferPointer { qp in
            // Empty arrays may have no base address; the kernels never read them then.
            let dummy = UnsafeMutablePointer<Double>.allocate(capacity: 1)
            let dummyIndex = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
            defer { dummy.deallocate(); dummyIndex.deallocate() }
            return body(Views(n: block.n, s: block.s, sigmaT: sg.baseAddress ?? UnsafePointer(dummy),
                              fields: hp.baseAddress ?? UnsafePointer(dummy),
                              couplings: jp.baseAddress ?? UnsafePointer(dummy),
                              localFields: lp.baseAddress ?? UnsafePointer(dummy),
                              usedIndex: ui.baseAddress ?? UnsafePointer(dummyIndex),
                              qubits: qp.baseAddress ?? UnsafePointer(dummyIndex)))
        }}}}}}
    }

    /// Strings per backward chunk: W (chunk×s) and the pair sums stay within a quarter of the budget.
    func backwardChunk(_ block: Block) -> Int {
        let perString = 8 * block.s + 8 * max(1, block.stringQubits.count / max(1, block.b)) * 64
        return max(1, min(block.b, memoryBudget / 4 / perString))
    }

    public func backward(_ fwd: Forward, thetaPrime: [Double], alpha: [Double], beta: Double) -> [Double] {
        let block = fwd.block
        let n = block.n, b = block.b, s = block.s, nu = block.used.count
        precondition(alpha.count == b)
        var grad = [Double](repeating: 0, count: first.count)
        if b == 0 || s == 0 || nu == 0 || first.isEmpty { return grad }
        let spinSym = fwd.spinSym
        var c = [Double](repeating: 0, count: nu * n)          // C, then C − 2P on the pairs
        var mt = [Double](repeating: 0, count: nu * s)         // Mᵀ_U, then Xᵀ_U
        var gradH = [Double](repeating: 0, count: n)
        let chunk = backwardChunk(block)
        var w = [Double](repeating: 0, count: chunk * s)
        let kept = fwd.cosPhi != nil && fwd.sinPhi != nil
        let keptCos = fwd.cosPhi ?? [], keptSin = fwd.sinPhi ?? []
        withViews(block: block, fields: fwd.fields, couplings: fwd.couplings, localFields: fwd.localFields) { p in
        pairMask.withUnsafeBufferPointer { mask in
        keptCos.withUnsafeBufferPointer { cosAll in keptSin.withUnsafeBufferPointer { sinAll in
        w.withUnsafeMutableBufferPointer { wp in mt.withUnsafeMutableBufferPointer { mp in c.withUnsafeMutableBufferPointer { cp in
            var a0 = 0
            while a0 < b {
                let a1 = min(b, a0 + chunk)
                // Pair sums of this chunk: string a owns slots pairStart[a − a0] ..< pairStart[a − a0 + 1].
                var pairStart = [0]
                for a in a0..<a1 {
                    let r = block.stringOffsets[a + 1] - block.stringOffsets[a]
                    pairStart.append(pairStart.last! + r * (r - 1) / 2)
                }
                var pairs = [Double](repeating: 0, count: pairStart.last!)
                pairs.withUnsafeMutableBufferPointer { pp in
                    parallelFor(a1 - a0, minimumChunk: max(1, 8192 / max(1, s))) { range in
                        let work = UnsafeMutablePointer<Double>.allocate(capacity: 4 * s)
                        defer { work.deallocate() }
                        let phi = work, v = work + s, cw = work + 2 * s, sw = work + 3 * s
                        for r in range {
                            let a = a0 + r, lo = block.stringOffsets[a], hi = block.stringOffsets[a + 1]
                            let cosA: UnsafePointer<Double>, sinA: UnsafePointer<Double>
                            if kept {
                                cosA = cosAll.baseAddress! + a * s
                                sinA = sinAll.baseAddress! + a * s
                            } else {
                                PairwiseIsingEstimator.phases(p, lo: lo, hi: hi, phi: phi, v: v)
                                VectorSinCos.evaluate(phi, count: s, sin: sw, cos: cw)
                                cosA = UnsafePointer(cw); sinA = UnsafePointer(sw)
                            }
                            // W_{a,z} = −(α_a + β f) sin φ · m,  f = cos φ · m.
                            let wa = wp.baseAddress! + r * s, al = alpha[a]
                            if spinSym {
                                let pa = block.stringParity[a]
                                block.sampleParity.withUnsafeBufferPointer { pz in
                                    for z in 0..<s {
                                        let m = 2 - pa - 2 * pz[z]
                                        wa[z] = -(al + beta * cosA[z] * m) * sinA[z] * m
                                    }
                                }
                            } else {
                                for z in 0..<s { wa[z] = -(al + beta * cosA[z]) * sinA[z] }
                            }
                            // P_ik for the pairs i < k of A: Σ_z W σ_i σ_k.
                            var slot = pp.baseAddress! + pairStart[r]
                            for t in lo..<hi {
                                let i = Int(p.qubits[t])
                                let sigI = p.sigmaT + i * s
                                if t + 1 >= hi { break }
                                for z in 0..<s { v[z] = wa[z] * sigI[z] }
                                for t2 in (t + 1)..<hi {
                                    let k = Int(p.qubits[t2]), bit = i * n + k
                                    if mask[bit >> 6] & (1 << UInt64(bit & 63)) != 0 {
                                        let sigK = p.sigmaT + k * s
                                        var acc = 0.0
                                        for z in 0..<s { acc += v[z] * sigK[z] }
                                        slot.pointee = acc
                                    }
                                    slot += 1
                                }
                            }
                        }
                    }
                    // C_ik −= 2 P_ik (i < k), so 2(C_ik + C_ki) below is 2(Xᵀσ + σᵀX)_ik − 4 P_ik.
                    for a in a0..<a1 {
                        let lo = block.stringOffsets[a], hi = block.stringOffsets[a + 1]
                        var slot = pairStart[a - a0]
                        for t in lo..<hi {
                            let row = Int(p.usedIndex[Int(p.qubits[t])]) * n
                            for t2 in (t + 1)..<max(t + 1, hi) {
                                cp[row + Int(p.qubits[t2])] -= 2 * pp[slot]; slot += 1
                            }
                        }
                    }
                }
                // M_{z,i} += Σ_{a ∋ i} W_{a,z} over the strings of this chunk.
                parallelFor(nu, minimumChunk: max(1, 16384 / max(1, s))) { range in
                    for u in range {
                        let m = mp.baseAddress! + u * s
                        for e in block.usedOffsets[u]..<block.usedOffsets[u + 1] {
                            let a = Int(block.usedStrings[e])
                            if a < a0 || a >= a1 { continue }
                            let wa = wp.baseAddress! + (a - a0) * s
                            for z in 0..<s { m[z] += wa[z] }
                        }
                    }
                }
                a0 = a1
            }
            // X = σ ⊙ M on the used rows; ∂L/∂h_i = 2 Σ_z X_{z,i}.
            gradH.withUnsafeMutableBufferPointer { gh in
                parallelFor(nu, minimumChunk: max(1, 16384 / max(1, s))) { range in
                    for u in range {
                        let i = Int(block.used[u]), m = mp.baseAddress! + u * s, sigI = p.sigmaT + i * s
                        var acc = 0.0
                        for z in 0..<s { m[z] *= sigI[z]; acc += m[z] }
                        gh[i] = 2 * acc
                    }
                }
            }
            // C += Xᵀ_U σ (|U|×s times s×n).
            BLAS.gemm(transposeB: true, m: nu, n: n, k: s, a: mp.baseAddress!, lda: s, b: p.sigmaT, ldb: s,
                      beta: 1, c: cp.baseAddress!, ldc: n)
        }}}}}}}
        for j in 0..<first.count {
            let i = Int(first[j]), k = Int(second[j])
            if k < 0 { grad[j] = gradH[i]; continue }
            let ui = Int(block.usedIndex[i]), uk = Int(block.usedIndex[k])
            var g = 0.0
            if ui >= 0 { g += c[ui * n + k] }
            if uk >= 0 { g += c[uk * n + i] }
            grad[j] = 2 * g
        }
        return grad
    }
}
