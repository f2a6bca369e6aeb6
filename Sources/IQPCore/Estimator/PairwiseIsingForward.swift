/// The forward pass of the fast path (docs/math.md §5): layouts and spins, h and J_U, the
/// local-field GEMM Lᵀ_U = J_U σ(Z)ᵀ, then per block the phases φ(a, z) (pair loops) and
/// cos φ, sin φ with the per-string sums of f and f².
extension PairwiseIsingEstimator {
    /// The shared state of a forward call, and Lᵀ_U for this call's phase passes.
    func prepareStep(thetaPrime: [Double], stringBlocks: [BitMatrix], samples: BitMatrix,
                     spinSym: Bool) -> (step: Step, localFields: ScratchBuffer<Double>) {
        let n = circuit.nQubits, s = samples.rows
        let layouts = stringBlocks.map { StringLayout(strings: $0, pairMask: pairMask, spinSym: spinSym) }
        let used = UsedQubits(n: n, layouts: layouts)
        let spins = SampleSpins(samples: samples, spinSym: spinSym, precision: precision, pool: pool)
        let localFields = pool.take(Double.self, count: used.count * s)
        let fields: [Double], coefficients: [[Double]]
        switch precision {
        case .float64:
            let ju = pool.take(Double.self, count: used.count * n)
            fields = gatherCouplings(thetaPrime: thetaPrime, used: used, into: ju.pointer)
            coefficients = layouts.map { pairCoefficients($0, used: used, couplings: ju.pointer) }
            BLAS.gemm(m: used.count, n: s, k: n, a: ju.pointer, lda: n, b: spins.spins.pointer, ldb: s,
                      c: localFields.pointer, ldc: s)
        case .float32:
            let ju = pool.take(Float.self, count: used.count * n), lt = pool.take(Float.self, count: used.count * s)
            fields = gatherCouplings(thetaPrime: thetaPrime, used: used, into: ju.pointer)
            coefficients = layouts.map { pairCoefficients($0, used: used, couplings: ju.pointer) }
            BLAS.gemm(m: used.count, n: s, k: n, a: ju.pointer, lda: n, b: spins.spinsSingle!.pointer, ldb: s,
                      c: lt.pointer, ldc: s)
            for e in 0..<(used.count * s) { localFields.pointer[e] = Double(lt.pointer[e]) }
        }
        let recomputes = stringBlocks.contains { !keepsTrigonometry(strings: $0.rows, samples: s) }
        let step = Step(spins: spins, used: used, layouts: layouts, fields: fields, coefficients: coefficients,
                        localFields: recomputes ? localFields : nil)
        return (step, localFields)
    }

    /// 2J_ik for every pair entry of a layout, read from the rows J_U.
    func pairCoefficients<T: BinaryFloatingPoint>(_ l: StringLayout, used: UsedQubits,
                                                  couplings ju: UnsafeMutablePointer<T>) -> [Double] {
        let n = used.n
        var out = [Double](repeating: 0, count: l.pairCount)
        for t in 0..<l.qubits.count {
            let row = Int(used.index[Int(l.qubits[t])]) * n
            for e in l.pairOffsets[t]..<l.pairOffsets[t + 1] { out[e] = 2 * Double(ju[row + Int(l.pairQubits[e])]) }
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
        let s = step.spins.s, tile = step.tile, layout = step.layouts[k]
        ComputeProfile.measure(.pairLoops) {
            step.fields.withUnsafeBufferPointer { h in step.used.index.withUnsafeBufferPointer { ui in
            step.coefficients[k].withUnsafeBufferPointer { coef in
                let views = PairwiseIsingKernels.Views(s: s, spins: step.spins.spins.pointer, fields: h.baseAddress!,
                                                       localFields: localFields, usedIndex: ui.baseAddress!)
                let coefficients = coef.baseAddress ?? UnsafePointer(phi)   // never read when there are no pairs
                let out = SharedPointer(phi)
                parallelFor(range.count, minimumChunk: max(1, 4096 / max(1, s))) { sub in
                    var z0 = 0
                    while z0 < s {
                        let count = min(tile, s - z0)
                        for r in sub {
                            PairwiseIsingKernels.phases(views, layout: layout, string: range.lowerBound + r,
                                                        coefficients: coefficients, z0: z0, count: count,
                                                        phi: out.base + r * s + z0)
                        }
                        z0 += count
                    }
                }
            }}}
        }
    }

    /// cos φ and sin φ in place of φ for the strings `range` of block k, and Σ f, Σ f² per string.
    func trigonometryPass(_ step: Step, block k: Int, strings range: Range<Int>, cos c: UnsafeMutablePointer<Double>,
                          sin sn: UnsafeMutablePointer<Double>, sums: UnsafeMutablePointer<Double>,
                          squares: UnsafeMutablePointer<Double>) {
        let s = step.spins.s, layout = step.layouts[k]
        let out = SharedPointer(c), sinOut = SharedPointer(sn), sumOut = SharedPointer(sums), sqOut = SharedPointer(squares)
        ComputeProfile.measure(.sinCos) {
            step.spins.parity.withUnsafeBufferPointer { pz in
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
