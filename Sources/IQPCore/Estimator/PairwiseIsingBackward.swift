import CIQPKernels

/// The backward pass of the fast path (docs/math.md §5): per block and chunk of strings,
/// W = ∂L/∂φ, the pair sums P_ik and M_{z,i} = Σ_{a∋i} W_{a,z}; per sample group X = σ ⊙ M,
/// ∂L/∂h and the GEMM C_U = X_Uᵀ σ; then C_ik −= 2P_ik and one pass over the generators.
extension PairwiseIsingEstimator {
    /// ∂L/∂θ' summed over forwards of one step.
    func backwardStep<T: BLASScalar>(_: T.Type, _ forwards: [Forward], alphas: [[Double]], betas: [Double]) -> [Double] {
        let step = forwards[0].step, n = circuit.nQubits
        var gh = [Double](repeating: 0, count: n)
        let full = step.dense ? pool.take(T.self, count: n * n) : nil
        var pairGradient = step.dense ? nil : [Double](repeating: 0, count: circuit.generatorCount)
        var fullStarted = false
        for (g, group) in step.groups.enumerated() {
            let mine = forwards.indices.filter { step.groupOf[forwards[$0].blockIndex] == g }
            let used = group.used, s = group.spins.s, nu = used.count
            if mine.isEmpty || nu == 0 { continue }
            let m = pool.take(Double.self, count: nu * s)
            PairwiseIsingEstimator.clear(m.pointer, count: nu * s)
            var pairSums: [(block: Int, sums: [Double])] = []
            for f in mine {
                precondition(alphas[f].count == forwards[f].strings.rows)
                pairSums.append((forwards[f].blockIndex, accumulateBlock(forwards[f], alpha: alphas[f], beta: betas[f], into: m.pointer)))
            }
            addSpinWeightedFieldGradient(group, m: m.pointer, into: &gh)
            if let full {
                gradientProduct(T.self, x: m.pointer, group: group, beta: fullStarted ? 1 : 0, into: full.pointer)
                fullStarted = true
                for (k, p) in pairSums { foldPairSums(step.layouts[k], p, into: full.pointer, n: n) { $0 } }
            } else {
                let c = pool.take(T.self, count: nu * n)
                gradientProduct(T.self, x: m.pointer, group: group, beta: 0, into: c.pointer)
                for (k, p) in pairSums { foldPairSums(step.layouts[k], p, into: c.pointer, n: n) { Int(used.index[$0]) } }
                addPairGradient(c: c.pointer, used: used, into: &pairGradient!)
            }
        }
        if let full, !fullStarted { PairwiseIsingEstimator.clear(full.pointer, count: n * n) }
        return generatorGradient(fieldGradient: gh, fullC: full?.pointer, pairGradient: pairGradient)
    }

    /// C_U (|U|×n) = beta·C_U + X_U σ(Z) in the estimator's precision (X = M after the spin weighting).
    func gradientProduct<T: BLASScalar>(_: T.Type, x m: UnsafeMutablePointer<Double>, group: SampleGroup, beta: T,
                                        into c: UnsafeMutablePointer<T>) {
        let n = group.spins.n, s = group.spins.s, nu = group.used.count
        let x: UnsafeMutablePointer<T>
        var single: ScratchBuffer<T>?
        if T.self == Double.self {
            x = UnsafeMutableRawPointer(m).assumingMemoryBound(to: T.self)
        } else {
            single = pool.take(T.self, count: nu * s)
            for e in 0..<(nu * s) { single!.pointer[e] = T(m[e]) }
            x = single!.pointer
        }
        T.gemm(transposeA: false, transposeB: true, m: nu, n: n, k: s, alpha: 1, a: x, lda: s, b: group.spins.matrix(T.self),
               ldb: s, beta: beta, c: c, ldc: n)
        withExtendedLifetime(single) {}
    }

    /// Adds block `fwd`'s Σ_{a∋i} W_{a,z} into M (|U|×s) and returns its pair sums P (per pair entry).
    func accumulateBlock(_ fwd: Forward, alpha: [Double], beta: Double, into m: UnsafeMutablePointer<Double>) -> [Double] {
        let step = fwd.step, k = fwd.blockIndex, layout = step.layouts[k]
        let b = layout.b, s = step.groups[step.groupOf[k]].spins.s
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
                phasePass(step, block: k, localFields: step.groups[step.groupOf[k]].localFields!.pointer, strings: range, phi: cosPhi)
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
        let spins = step.groups[step.groupOf[k]].spins
        let s = spins.s, layout = step.layouts[k]
        let out = SharedPointer(w)
        ComputeProfile.measure(.pairLoops) {
            spins.parity.withUnsafeBufferPointer { pz in
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
        let group = step.groups[step.groupOf[k]]
        let s = group.spins.s, tile = group.tile, layout = step.layouts[k]
        let sums = SharedPointer(pairSums)
        ComputeProfile.measure(.pairLoops) {
            group.used.index.withUnsafeBufferPointer { ui in layout.withKernelLayout { kernelLayout in
                let views = PairwiseIsingKernels.Views(s: s, spins: group.spins.spins.pointer, fields: w,
                                                       localFields: w, usedIndex: ui.baseAddress!)
                parallelFor(range.count, minimumChunk: max(1, 4096 / max(1, s))) { sub in
                    let v = UnsafeMutablePointer<Double>.allocate(capacity: 2 * tile)
                    defer { v.deallocate() }
                    var z0 = 0
                    while z0 < s {
                        let count = min(tile, s - z0)
                        for r in sub {
                            PairwiseIsingKernels.pairSums(views, layout: kernelLayout, string: range.lowerBound + r,
                                                          w: w + r * s + z0, z0: z0, count: count,
                                                          pairSums: sums.base, v: v)
                        }
                        z0 += count
                    }
                }
            }}
        }
    }

    /// M_u += W_a for every string a of `range` that holds U[u] (parallel over u).
    func gatherPass(_ step: Step, block k: Int, strings range: Range<Int>, w: UnsafeMutablePointer<Double>,
                    into m: UnsafeMutablePointer<Double>) {
        let group = step.groups[step.groupOf[k]]
        let s = group.spins.s, used = group.used, position = group.blocks.firstIndex(of: k)!
        let rows = SharedPointer(m), ws = SharedPointer(w)
        ComputeProfile.measure(.pairLoops) {
            used.holderOffsets[position].withUnsafeBufferPointer { off in used.holders[position].withUnsafeBufferPointer { list in
                parallelFor(used.count, minimumChunk: max(1, 16384 / max(1, s))) { us in
                    for u in us {
                        let mu = rows.base + u * s
                        for e in off[u]..<off[u + 1] {
                            let a = Int(list[e])
                            if a < range.lowerBound { continue }
                            if a >= range.upperBound { break }
                            iqp_add(mu, ws.base + (a - range.lowerBound) * s, s)
                        }
                    }
                }
            }}
        }
    }

    /// X = σ ⊙ M in place (rows U) and ∂L/∂h_i += 2 Σ_z X_{z,i}.
    func addSpinWeightedFieldGradient(_ group: SampleGroup, m: UnsafeMutablePointer<Double>, into gh: inout [Double]) {
        let s = group.spins.s, used = group.used, spins = group.spins
        let rows = SharedPointer(m)
        ComputeProfile.measure(.pairLoops) {
            gh.withUnsafeMutableBufferPointer { g in
                let out = SharedPointer(g.baseAddress!)
                parallelFor(used.count, minimumChunk: max(1, 16384 / max(1, s))) { us in
                    for u in us {
                        let i = Int(used.used[u]), x = rows.base + u * s, sigma = spins.row(i)
                        out.base[i] += 2 * iqp_multiply_sum(x, sigma, s)
                    }
                }
            }
        }
    }

    /// C_ik −= 2 P_ik for every pair entry of a block (so 2(C_ik + C_ki) holds −4P_ik); row(i) is
    /// the row of qubit i in the n-wide C.
    func foldPairSums<T: BinaryFloatingPoint>(_ l: StringLayout, _ p: [Double], into c: UnsafeMutablePointer<T>, n: Int,
                                              row: (Int) -> Int) {
        for t in 0..<l.qubits.count {
            let base = row(Int(l.qubits[t])) * n
            for e in l.pairOffsets[t]..<l.pairOffsets[t + 1] { c[base + Int(l.pairQubits[e])] -= T(2 * p[e]) }
        }
    }
}
