/// The backward pass of the fast path (docs/math.md §5): per block and chunk of strings,
/// W = ∂L/∂φ, the pair sums P_ik and M_{z,i} = Σ_{a∋i} W_{a,z}; then once for all blocks that
/// share the samples X = σ ⊙ M, ∂L/∂h, the GEMM C = X_Uᵀ σ, C_ik −= 2P_ik, and ∂L/∂θ'.
extension PairwiseIsingEstimator {
    /// ∂L/∂θ' summed over forwards of one step (the same samples and U).
    func backwardStep(_ forwards: [Forward], alphas: [[Double]], betas: [Double]) -> [Double] {
        let step = forwards[0].step, used = step.used
        let n = used.n, s = step.spins.s, nu = used.count
        if nu == 0 || s == 0 { return [Double](repeating: 0, count: circuit.generatorCount) }
        let m = pool.take(Double.self, count: nu * s)
        m.fill(0)
        var pairSums: [[Double]] = []
        for (f, fwd) in forwards.enumerated() {
            precondition(alphas[f].count == fwd.strings.rows)
            pairSums.append(accumulateBlock(fwd, alpha: alphas[f], beta: betas[f], into: m.pointer))
        }
        let gh = spinWeightedFieldGradient(step, m: m.pointer)
        switch precision {
        case .float64:
            let c = pool.take(Double.self, count: nu * n)
            BLAS.gemm(transposeB: true, m: nu, n: n, k: s, a: m.pointer, lda: s, b: step.spins.spins.pointer, ldb: s,
                      c: c.pointer, ldc: n)
            foldPairSums(step, pairSums: pairSums, blocks: forwards.map(\.blockIndex), into: c.pointer)
            return generatorGradient(fieldGradient: gh, c: c.pointer, used: used)
        case .float32:
            let x = pool.take(Float.self, count: nu * s), c = pool.take(Float.self, count: nu * n)
            for e in 0..<(nu * s) { x.pointer[e] = Float(m.pointer[e]) }
            BLAS.gemm(transposeB: true, m: nu, n: n, k: s, a: x.pointer, lda: s, b: step.spins.spinsSingle!.pointer,
                      ldb: s, c: c.pointer, ldc: n)
            foldPairSums(step, pairSums: pairSums, blocks: forwards.map(\.blockIndex), into: c.pointer)
            return generatorGradient(fieldGradient: gh, c: c.pointer, used: used)
        }
    }

    /// Adds block `fwd`'s Σ_{a∋i} W_{a,z} into M (|U|×s) and returns its pair sums P (per pair entry).
    func accumulateBlock(_ fwd: Forward, alpha: [Double], beta: Double, into m: UnsafeMutablePointer<Double>) -> [Double] {
        let step = fwd.step, k = fwd.blockIndex, layout = step.layouts[k]
        let b = layout.b, s = step.spins.s
        var pairs = [Double](repeating: 0, count: layout.pairCount)
        let chunk = stringChunk(strings: b, samples: s)
        let w = pool.take(Double.self, count: min(b, chunk) * s)
        let recompute = fwd.cosPhi == nil
        let cosWork = recompute ? pool.take(Double.self, count: chunk * s) : nil
        let sinWork = recompute ? pool.take(Double.self, count: chunk * s) : nil
        var a0 = 0
        while a0 < b {
            let range = a0..<min(b, a0 + chunk)
            let cosPhi: UnsafeMutablePointer<Double>, sinPhi: UnsafeMutablePointer<Double>
            if let kc = fwd.cosPhi, let ks = fwd.sinPhi {
                cosPhi = kc.pointer + a0 * s; sinPhi = ks.pointer + a0 * s
            } else {
                cosPhi = cosWork!.pointer; sinPhi = sinWork!.pointer
                phasePass(step, block: k, localFields: step.localFields!.pointer, strings: range, phi: cosPhi)
                var sums = [Double](repeating: 0, count: b), squares = sums
                trigonometryPass(step, block: k, strings: range, cos: cosPhi, sin: sinPhi,
                                 sums: &sums, squares: &squares)
            }
            weightPass(step, block: k, strings: range, alpha: alpha, beta: beta, cos: cosPhi, sin: sinPhi, w: w.pointer)
            pairs.withUnsafeMutableBufferPointer { pp in
                pairSumPass(step, block: k, strings: range, w: w.pointer, pairSums: pp.baseAddress!)
            }
            gatherPass(step, block: k, strings: range, w: w.pointer, into: m)
            a0 = range.upperBound
        }
        return pairs
    }

    /// W_{a,z} for the strings `range` into w (row a − range.lowerBound).
    func weightPass(_ step: Step, block k: Int, strings range: Range<Int>, alpha: [Double], beta: Double,
                    cos c: UnsafeMutablePointer<Double>, sin sn: UnsafeMutablePointer<Double>, w: UnsafeMutablePointer<Double>) {
        let s = step.spins.s, layout = step.layouts[k]
        let out = SharedPointer(w)
        ComputeProfile.measure(.pairLoops) {
            step.spins.parity.withUnsafeBufferPointer { pz in
                parallelFor(range.count, minimumChunk: max(1, 8192 / max(1, s))) { sub in
                    for r in sub {
                        let a = range.lowerBound + r
                        out.base.advanced(by: r * s).update(from: sn + r * s, count: s)
                        PairwiseIsingKernels.weights(cosPhi: c + r * s, sinPhi: out.base + r * s, count: s,
                                                     alpha: alpha[a], beta: beta,
                                                     stringParity: layout.parity.isEmpty ? nil : layout.parity[a],
                                                     sampleParity: pz.baseAddress)
                    }
                }
            }
        }
    }

    /// P_ik += Σ_z W σ_i σ_k for the pair entries of the strings `range`: parallel over strings,
    /// each worker running its strings over one tile of samples at a time.
    func pairSumPass(_ step: Step, block k: Int, strings range: Range<Int>, w: UnsafeMutablePointer<Double>,
                     pairSums: UnsafeMutablePointer<Double>) {
        let s = step.spins.s, tile = step.tile, layout = step.layouts[k]
        let sums = SharedPointer(pairSums)
        ComputeProfile.measure(.pairLoops) {
            step.used.index.withUnsafeBufferPointer { ui in
                let views = PairwiseIsingKernels.Views(s: s, spins: step.spins.spins.pointer, fields: w,
                                                       localFields: w, usedIndex: ui.baseAddress!)
                parallelFor(range.count, minimumChunk: max(1, 4096 / max(1, s))) { sub in
                    let v = UnsafeMutablePointer<Double>.allocate(capacity: tile)
                    defer { v.deallocate() }
                    var z0 = 0
                    while z0 < s {
                        let count = min(tile, s - z0)
                        for r in sub {
                            PairwiseIsingKernels.pairSums(views, layout: layout, string: range.lowerBound + r,
                                                          w: w + r * s + z0, z0: z0, count: count,
                                                          pairSums: sums.base, v: v)
                        }
                        z0 += count
                    }
                }
            }
        }
    }

    /// M_u += W_a for every string a of `range` that holds U[u] (parallel over u).
    func gatherPass(_ step: Step, block k: Int, strings range: Range<Int>, w: UnsafeMutablePointer<Double>,
                    into m: UnsafeMutablePointer<Double>) {
        let s = step.spins.s, used = step.used
        let rows = SharedPointer(m), ws = SharedPointer(w)
        ComputeProfile.measure(.pairLoops) {
            used.holderOffsets[k].withUnsafeBufferPointer { off in used.holders[k].withUnsafeBufferPointer { list in
                parallelFor(used.count, minimumChunk: max(1, 16384 / max(1, s))) { us in
                    for u in us {
                        let mu = rows.base + u * s
                        for e in off[u]..<off[u + 1] {
                            let a = Int(list[e])
                            if a < range.lowerBound { continue }
                            if a >= range.upperBound { break }
                            let wa = ws.base + (a - range.lowerBound) * s
                            for z in 0..<s { mu[z] += wa[z] }
                        }
                    }
                }
            }}
        }
    }

    /// X = σ ⊙ M in place (rows U) and ∂L/∂h_i = 2 Σ_z X_{z,i} (zero off U).
    func spinWeightedFieldGradient(_ step: Step, m: UnsafeMutablePointer<Double>) -> [Double] {
        let s = step.spins.s, used = step.used
        var gh = [Double](repeating: 0, count: used.n)
        let rows = SharedPointer(m)
        ComputeProfile.measure(.pairLoops) {
            gh.withUnsafeMutableBufferPointer { g in
                let out = SharedPointer(g.baseAddress!)
                parallelFor(used.count, minimumChunk: max(1, 16384 / max(1, s))) { us in
                    for u in us {
                        let i = Int(used.used[u]), x = rows.base + u * s, sigma = step.spins.row(i)
                        for z in 0..<s { x[z] *= sigma[z] }
                        out.base[i] = 2 * PairwiseIsingKernels.sum(x, s)
                    }
                }
            }
        }
        return gh
    }

    /// C_ik −= 2 P_ik for every pair entry of the blocks (so 2(C_ik + C_ki) holds −4P_ik).
    func foldPairSums<T: BinaryFloatingPoint>(_ step: Step, pairSums: [[Double]], blocks: [Int], into c: UnsafeMutablePointer<T>) {
        let n = step.used.n
        for (f, k) in blocks.enumerated() {
            let l = step.layouts[k], p = pairSums[f]
            for t in 0..<l.qubits.count {
                let i = Int(l.qubits[t]), row = (step.used.isAll ? i : Int(step.used.index[i])) * n
                for e in l.pairOffsets[t]..<l.pairOffsets[t + 1] { c[row + Int(l.pairQubits[e])] -= T(2 * p[e]) }
            }
        }
    }
}
