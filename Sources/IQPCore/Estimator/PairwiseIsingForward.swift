/// The forward pass of the fast path (docs/math.md §5): layouts, h and J (once per call), per
/// sample group the spins and the local-field GEMM Lᵀ_U = J_U σ(Z)ᵀ, then per block the phases
/// φ(a, z) (pair loops) and cos φ, sin φ with the per-string sums of f and f².
extension PairwiseIsingEstimator {
    /// The shared state of a forward call, and Lᵀ_U of each sample group for this call's phase passes.
    func prepareStep<T: BLASScalar>(_: T.Type, thetaPrime: [Double], stringBlocks: [BitMatrix], sampleBlocks: [BitMatrix],
                                    spinSym: Bool) -> (step: Step, localFields: [ScratchBuffer<Double>]) {
        let n = circuit.nQubits
        let layouts = stringBlocks.map { StringLayout(strings: $0, pairMask: pairMask, spinSym: spinSym) }
        let members = sampleBlocks.count == 1 ? [Array(stringBlocks.indices)] : stringBlocks.indices.map { [$0] }
        var used = members.map { UsedQubits(n: n, layouts: $0.map { layouts[$0] }) }
        // Dense: every group takes all n rows of the full J (≈6% more GEMM flops at the study's
        // sizes than rows U only, and no copies of J's rows or C's).
        let dense = PairwiseIsingEstimator.usesDenseCouplings(used, n: n)
        if dense { used = members.map { UsedQubits(n: n, layouts: $0.map { layouts[$0] }, all: true) } }
        let full = dense ? pool.take(T.self, count: n * n) : nil
        var fields = full.map { gatherCouplings(thetaPrime: thetaPrime, into: $0.pointer) } ?? []
        var coefficients = [[Double]](repeating: [], count: layouts.count)
        var groups: [SampleGroup] = [], localFields: [ScratchBuffer<Double>] = []
        for (g, blocks) in members.enumerated() {
            let u = used[g], samples = sampleBlocks[g], s = samples.rows
            let spins = SampleSpins(samples: samples, spinSym: spinSym, precision: precision, pool: pool)
            // J's rows for U: the full J, or (few qubits) a direct gather of rows U.
            let rows = full == nil ? pool.take(T.self, count: u.count * n) : nil
            if let rows {
                let h = gatherCouplingRows(thetaPrime: thetaPrime, used: u, into: rows.pointer)
                if fields.isEmpty { fields = h }
            }
            let ju = rows?.pointer ?? full!.pointer
            for k in blocks {
                coefficients[k] = pairCoefficients(layouts[k], couplings: ju, n: n) { Int(u.index[$0]) }
            }
            let lf = localFieldProduct(ju, used: u, spins: spins)
            let recomputes = blocks.contains { !keepsTrigonometry(strings: stringBlocks[$0].rows, samples: s) }
            groups.append(SampleGroup(spins: spins, used: u, blocks: blocks, localFields: recomputes ? lf : nil))
            localFields.append(lf)
        }
        return (Step(fields: fields, layouts: layouts, coefficients: coefficients, groups: groups, dense: dense), localFields)
    }

    /// Lᵀ_U = J_U σ(Z)ᵀ (|U|×s) in f64, by a GEMM in the estimator's precision.
    func localFieldProduct<T: BLASScalar>(_ ju: UnsafeMutablePointer<T>, used: UsedQubits, spins: SampleSpins) -> ScratchBuffer<Double> {
        let n = used.n, s = spins.s, nu = used.count
        let out = pool.take(Double.self, count: nu * s)
        if T.self == Double.self {
            T.gemm(transposeA: false, transposeB: false, m: nu, n: s, k: n, alpha: 1, a: ju, lda: n, b: spins.matrix(T.self), ldb: s,
                   beta: 0, c: UnsafeMutableRawPointer(out.pointer).assumingMemoryBound(to: T.self), ldc: s)
        } else {
            let single = pool.take(T.self, count: nu * s)
            T.gemm(transposeA: false, transposeB: false, m: nu, n: s, k: n, alpha: 1, a: ju, lda: n, b: spins.matrix(T.self), ldb: s,
                   beta: 0, c: single.pointer, ldc: s)
            for e in 0..<(nu * s) { out.pointer[e] = Double(single.pointer[e]) }
        }
        return out
    }

    /// Forward over block k: per chunk of strings, φ (pair loops), then cos, sin and the sums.
    func forwardBlock(_ step: Step, block k: Int, localFields: ScratchBuffer<Double>, strings: BitMatrix,
                      samples: BitMatrix, spinSym: Bool) -> Forward {
        let b = strings.rows, s = samples.rows
        let keep = keepsTrigonometry(strings: b, samples: s)
        let chunk = stringChunk(strings: b, samples: s)
        let cosPhi = pool.take(Double.self, count: keep ? b * s : chunk * s)
        let sinPhi = pool.take(Double.self, count: keep ? b * s : chunk * s)
        var rowSum = [Double](repeating: 0, count: b), rowSq = rowSum
        rowSum.withUnsafeMutableBufferPointer { rs in rowSq.withUnsafeMutableBufferPointer { rq in
            var a0 = 0
            while a0 < b {
                let range = a0..<min(b, a0 + chunk)
                let base = keep ? a0 * s : 0
                phasePass(step, block: k, localFields: localFields.pointer, strings: range, phi: cosPhi.pointer + base)
                trigonometryPass(step, block: k, strings: range, cos: cosPhi.pointer + base, sin: sinPhi.pointer + base,
                                 sums: rs.baseAddress!, squares: rq.baseAddress!)
                a0 = range.upperBound
            }
        }}
        return Forward(strings: strings, samples: samples, spinSym: spinSym, rowSum: rowSum, rowSumSquares: rowSq,
                       step: step, blockIndex: k, cosPhi: keep ? cosPhi : nil, sinPhi: keep ? sinPhi : nil)
    }

    /// φ(a, z) for the strings `range` of block k into phi (row a − range.lowerBound): parallel
    /// over strings; each worker runs all its strings over one tile of samples at a time.
    func phasePass(_ step: Step, block k: Int, localFields: UnsafePointer<Double>, strings range: Range<Int>,
                   phi: UnsafeMutablePointer<Double>) {
        let group = step.groups[step.groupOf[k]]
        let s = group.spins.s, tile = group.tile, layout = step.layouts[k]
        ComputeProfile.measure(.pairLoops) {
            step.fields.withUnsafeBufferPointer { h in group.used.index.withUnsafeBufferPointer { ui in
            step.coefficients[k].withUnsafeBufferPointer { coef in layout.withKernelLayout { kernelLayout in
                let views = PairwiseIsingKernels.Views(s: s, spins: group.spins.spins.pointer, fields: h.baseAddress!,
                                                       localFields: localFields, usedIndex: ui.baseAddress!)
                let coefficients = coef.baseAddress ?? UnsafePointer(phi)   // never read when there are no pairs
                let out = SharedPointer(phi)
                parallelFor(range.count, minimumChunk: max(1, 4096 / max(1, s))) { sub in
                    var z0 = 0
                    while z0 < s {
                        let count = min(tile, s - z0)
                        for r in sub {
                            PairwiseIsingKernels.phases(views, layout: kernelLayout, string: range.lowerBound + r,
                                                        coefficients: coefficients, z0: z0, count: count,
                                                        phi: out.base + r * s + z0)
                        }
                        z0 += count
                    }
                }
            }}}}
        }
    }

    /// cos φ and sin φ in place of φ for the strings `range` of block k, and Σ f, Σ f² per string.
    func trigonometryPass(_ step: Step, block k: Int, strings range: Range<Int>, cos c: UnsafeMutablePointer<Double>,
                          sin sn: UnsafeMutablePointer<Double>, sums: UnsafeMutablePointer<Double>,
                          squares: UnsafeMutablePointer<Double>) {
        let spins = step.groups[step.groupOf[k]].spins
        let s = spins.s, layout = step.layouts[k]
        let out = SharedPointer(c), sinOut = SharedPointer(sn), sumOut = SharedPointer(sums), sqOut = SharedPointer(squares)
        ComputeProfile.measure(.sinCos) {
            spins.parity.withUnsafeBufferPointer { pz in
                parallelFor(range.count, minimumChunk: max(1, 8192 / max(1, s))) { sub in
                    for r in sub {
                        let a = range.lowerBound + r
                        let (sum, sq) = PairwiseIsingKernels.trigonometry(
                            phiThenCos: out.base + r * s, sin: sinOut.base + r * s, count: s,
                            stringParity: layout.parity.isEmpty ? nil : layout.parity[a], sampleParity: pz.baseAddress)
                        sumOut.base[a] = sum; sqOut.base[a] = sq
                    }
                }
            }
        }
    }
}
