/// The per-string loops of the fast path (docs/math.md §5), each over one string and one tile of
/// samples z0 ..< z0 + T, so that the rows of σ(Z)ᵀ and Lᵀ_U they read stay in the core's cache
/// while a worker runs all its strings over that tile. Reductions over samples use explicit
/// SIMD accumulators (the compiler does not reorder floating-point sums by itself).
enum PairwiseIsingKernels {
    /// Pointers into one step's matrices (valid for the duration of one pass).
    struct Views: @unchecked Sendable {
        // Safe: read-only views of buffers that outlive the pass; passes write disjoint rows.
        let s: Int
        let spins: UnsafePointer<Double>        // σ(Z)ᵀ, n×s
        let fields: UnsafePointer<Double>       // h, n
        let localFields: UnsafePointer<Double>  // Lᵀ_U, |U|×s
        let usedIndex: UnsafePointer<Int32>     // qubit → row of U
    }

    /// φ(a, z) for z in the tile, into phi[0 ..< count]:
    /// φ = Σ_{i∈A} 2σ_i (h_i + L_i − Σ_{k∈A, k>i} 2J_ik σ_k); `coefficients[e]` = 2J_ik of pair
    /// entry e. Sixteen samples at a time are kept in registers while the pairs of qubit i are
    /// subtracted; where two neighbouring qubits of the string both pair with every later one
    /// (all weight-2 generators present), they run together, so each σ_k is loaded once for both.
    @inline(__always)
    static func phases(_ p: Views, layout l: PairwiseIsingEstimator.StringLayout, string a: Int,
                       coefficients: UnsafePointer<Double>, z0: Int, count: Int, phi: UnsafeMutablePointer<Double>) {
        phi.update(repeating: 0, count: count)
        l.pairQubits.withUnsafeBufferPointer { pq in
            let end = l.stringOffsets[a + 1]
            var t = l.stringOffsets[a]
            while t < end {
                if pairsWithAllLater(l, t, end) && pairsWithAllLater(l, t + 1, end) {
                    phasesOfTwo(p, l, pq.baseAddress!, t: t, coefficients: coefficients, z0: z0, count: count, phi: phi)
                    t += 2
                } else {
                    phasesOfOne(p, l, pq.baseAddress!, t: t, coefficients: coefficients, z0: z0, count: count, phi: phi)
                    t += 1
                }
            }
        }
    }

    /// Whether the qubit at position t < end of a string has a generator with every later qubit of it.
    @inline(__always)
    static func pairsWithAllLater(_ l: PairwiseIsingEstimator.StringLayout, _ t: Int, _ end: Int) -> Bool {
        t < end && l.pairOffsets[t + 1] - l.pairOffsets[t] == end - t - 1
    }

    /// φ += 2σ_i (h_i + L_i − Σ_e c_e σ_k(e)) for the qubit i at position t.
    @inline(__always)
    static func phasesOfOne(_ p: Views, _ l: PairwiseIsingEstimator.StringLayout, _ pq: UnsafePointer<Int32>, t: Int,
                            coefficients: UnsafePointer<Double>, z0: Int, count: Int, phi: UnsafeMutablePointer<Double>) {
        let s = p.s
        let i = Int(l.qubits[t]), lo = l.pairOffsets[t], hi = l.pairOffsets[t + 1]
        let sigI = p.spins + i * s + z0, lf = p.localFields + Int(p.usedIndex[i]) * s + z0
        let h = SIMD4<Double>(repeating: p.fields[i]), two = SIMD4<Double>(repeating: 2)
        let spinsAtTile = p.spins + z0
        var z = 0
        while z + 16 <= count {
            var v0 = h + load(lf, z), v1 = h + load(lf, z + 4), v2 = h + load(lf, z + 8), v3 = h + load(lf, z + 12)
            for e in lo..<hi {
                let c = SIMD4<Double>(repeating: -coefficients[e]), sigK = spinsAtTile + Int(pq[e]) * s + z
                v0 = v0.addingProduct(c, load(sigK, 0)); v1 = v1.addingProduct(c, load(sigK, 4))
                v2 = v2.addingProduct(c, load(sigK, 8)); v3 = v3.addingProduct(c, load(sigK, 12))
            }
            store(load(phi, z) + two * load(sigI, z) * v0, phi, z)
            store(load(phi, z + 4) + two * load(sigI, z + 4) * v1, phi, z + 4)
            store(load(phi, z + 8) + two * load(sigI, z + 8) * v2, phi, z + 8)
            store(load(phi, z + 12) + two * load(sigI, z + 12) * v3, phi, z + 12)
            z += 16
        }
        while z < count {
            var v = p.fields[i] + lf[z]
            for e in lo..<hi { v -= coefficients[e] * spinsAtTile[Int(pq[e]) * s + z] }
            phi[z] += 2 * sigI[z] * v
            z += 1
        }
    }

    /// `phasesOfOne` for the qubits i, i' at positions t, t + 1 when both pair with every later
    /// qubit k of the string: i's first pair is i' itself, then both lists run over the same k.
    @inline(__always)
    static func phasesOfTwo(_ p: Views, _ l: PairwiseIsingEstimator.StringLayout, _ pq: UnsafePointer<Int32>, t: Int,
                            coefficients: UnsafePointer<Double>, z0: Int, count: Int, phi: UnsafeMutablePointer<Double>) {
        let s = p.s
        let i = Int(l.qubits[t]), j = Int(l.qubits[t + 1])
        let first = l.pairOffsets[t], second = l.pairOffsets[t + 1], later = l.pairOffsets[t + 2] - second
        let ci = coefficients + first + 1, cj = coefficients + second, ks = pq + second
        let sigI = p.spins + i * s + z0, sigJ = p.spins + j * s + z0
        let lfI = p.localFields + Int(p.usedIndex[i]) * s + z0, lfJ = p.localFields + Int(p.usedIndex[j]) * s + z0
        let hI = SIMD4<Double>(repeating: p.fields[i]), hJ = SIMD4<Double>(repeating: p.fields[j])
        let cIJ = SIMD4<Double>(repeating: -coefficients[first]), two = SIMD4<Double>(repeating: 2)
        let spinsAtTile = p.spins + z0
        var z = 0
        while z + 16 <= count {
            var u0 = (hI + load(lfI, z)).addingProduct(cIJ, load(sigJ, z))
            var u1 = (hI + load(lfI, z + 4)).addingProduct(cIJ, load(sigJ, z + 4))
            var u2 = (hI + load(lfI, z + 8)).addingProduct(cIJ, load(sigJ, z + 8))
            var u3 = (hI + load(lfI, z + 12)).addingProduct(cIJ, load(sigJ, z + 12))
            var v0 = hJ + load(lfJ, z), v1 = hJ + load(lfJ, z + 4), v2 = hJ + load(lfJ, z + 8), v3 = hJ + load(lfJ, z + 12)
            for e in 0..<later {
                let a = SIMD4<Double>(repeating: -ci[e]), b = SIMD4<Double>(repeating: -cj[e])
                let sigK = spinsAtTile + Int(ks[e]) * s + z
                let x0 = load(sigK, 0), x1 = load(sigK, 4), x2 = load(sigK, 8), x3 = load(sigK, 12)
                u0 = u0.addingProduct(a, x0); u1 = u1.addingProduct(a, x1); u2 = u2.addingProduct(a, x2); u3 = u3.addingProduct(a, x3)
                v0 = v0.addingProduct(b, x0); v1 = v1.addingProduct(b, x1); v2 = v2.addingProduct(b, x2); v3 = v3.addingProduct(b, x3)
            }
            store(load(phi, z) + two * (load(sigI, z) * u0 + load(sigJ, z) * v0), phi, z)
            store(load(phi, z + 4) + two * (load(sigI, z + 4) * u1 + load(sigJ, z + 4) * v1), phi, z + 4)
            store(load(phi, z + 8) + two * (load(sigI, z + 8) * u2 + load(sigJ, z + 8) * v2), phi, z + 8)
            store(load(phi, z + 12) + two * (load(sigI, z + 12) * u3 + load(sigJ, z + 12) * v3), phi, z + 12)
            z += 16
        }
        while z < count {
            var u = p.fields[i] + lfI[z] - coefficients[first] * sigJ[z], v = p.fields[j] + lfJ[z]
            for e in 0..<later {
                let x = spinsAtTile[Int(ks[e]) * s + z]
                u -= ci[e] * x; v -= cj[e] * x
            }
            phi[z] += 2 * (sigI[z] * u + sigJ[z] * v)
            z += 1
        }
    }

    /// P_ik += Σ_{z in tile} W_{a,z} σ_{z,i} σ_{z,k} for the generator pairs of string a, into
    /// `pairSums` at the pair entries; `w` is W_a at the tile, `v` work space (2 × tile). Two
    /// neighbouring qubits that pair with every later one share the loads of σ_k, as in `phases`.
    @inline(__always)
    static func pairSums(_ p: Views, layout l: PairwiseIsingEstimator.StringLayout, string a: Int,
                         w: UnsafePointer<Double>, z0: Int, count: Int,
                         pairSums: UnsafeMutablePointer<Double>, v: UnsafeMutablePointer<Double>) {
        let s = p.s, end = l.stringOffsets[a + 1]
        var t = l.stringOffsets[a]
        while t < end {
            let lo = l.pairOffsets[t], hi = l.pairOffsets[t + 1]
            if lo == hi { t += 1; continue }
            let sigI = p.spins + Int(l.qubits[t]) * s + z0
            for z in 0..<count { v[z] = w[z] * sigI[z] }
            if pairsWithAllLater(l, t, end) && pairsWithAllLater(l, t + 1, end) {
                let second = l.pairOffsets[t + 1], vj = v + count
                let sigJ = p.spins + Int(l.qubits[t + 1]) * s + z0
                for z in 0..<count { vj[z] = w[z] * sigJ[z] }
                pairSums[lo] += dot(v, sigJ, count)
                for e in 0..<(l.pairOffsets[t + 2] - second) {
                    let (x, y) = dots(v, vj, p.spins + Int(l.pairQubits[second + e]) * s + z0, count)
                    pairSums[lo + 1 + e] += x; pairSums[second + e] += y
                }
                t += 2
            } else {
                for e in lo..<hi {
                    pairSums[e] += dot(v, p.spins + Int(l.pairQubits[e]) * s + z0, count)
                }
                t += 1
            }
        }
    }

    /// W_{a,z} = ∂L/∂φ = −(α + β f) sin φ · m with f = cos φ · m (m = 2 − |a| mod 2 − 2(|z| mod 2)
    /// for the spin-symmetric start, else 1), written over `sinPhi`.
    @inline(__always)
    static func weights(cosPhi: UnsafePointer<Double>, sinPhi: UnsafeMutablePointer<Double>, count s: Int,
                        alpha: Double, beta: Double, stringParity: Double?, sampleParity: UnsafePointer<Double>?) {
        if let pa = stringParity, let pz = sampleParity {
            for z in 0..<s {
                let m = 2 - pa - 2 * pz[z]
                sinPhi[z] = -(alpha + beta * cosPhi[z] * m) * sinPhi[z] * m
            }
        } else {
            for z in 0..<s { sinPhi[z] = -(alpha + beta * cosPhi[z]) * sinPhi[z] }
        }
    }

    /// cos φ and sin φ of a row in place (φ in `phiThenCos`), and Σ f, Σ f² with f = cos φ · m.
    @inline(__always)
    static func trigonometry(phiThenCos c: UnsafeMutablePointer<Double>, sin sn: UnsafeMutablePointer<Double>, count s: Int,
                             stringParity: Double?, sampleParity: UnsafePointer<Double>?) -> (sum: Double, squares: Double) {
        // Through a small copy of φ, so the vector loop never reads what it writes.
        withUnsafeTemporaryAllocation(of: Double.self, capacity: 256) { phi in
            var z0 = 0
            while z0 < s {
                let k = min(256, s - z0)
                phi.baseAddress!.update(from: c + z0, count: k)
                VectorSinCos.evaluate(phi.baseAddress!, count: k, sin: sn + z0, cos: c + z0)
                z0 += k
            }
        }
        if let pa = stringParity, let pz = sampleParity {
            var sum = 0.0, sq = 0.0
            for z in 0..<s { let f = c[z] * (2 - pa - 2 * pz[z]); sum += f; sq += f * f }
            return (sum, sq)
        }
        return sumAndSquares(c, s)
    }

    @inline(__always)
    static func load(_ p: UnsafePointer<Double>, _ i: Int) -> SIMD4<Double> {
        UnsafeRawPointer(p + i).loadUnaligned(as: SIMD4<Double>.self)
    }

    @inline(__always)
    static func load(_ p: UnsafeMutablePointer<Double>, _ i: Int) -> SIMD4<Double> { load(UnsafePointer(p), i) }

    @inline(__always)
    static func store(_ v: SIMD4<Double>, _ p: UnsafeMutablePointer<Double>, _ i: Int) {
        UnsafeMutableRawPointer(p + i).storeBytes(of: v, as: SIMD4<Double>.self)
    }

    /// Σ x_z y_z with four SIMD accumulators.
    @inline(__always)
    static func dot(_ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>, _ count: Int) -> Double {
        var a0 = SIMD4<Double>(), a1 = a0, a2 = a0, a3 = a0
        var z = 0
        while z + 16 <= count {
            a0 = a0.addingProduct(load(x, z), load(y, z)); a1 = a1.addingProduct(load(x, z + 4), load(y, z + 4))
            a2 = a2.addingProduct(load(x, z + 8), load(y, z + 8)); a3 = a3.addingProduct(load(x, z + 12), load(y, z + 12))
            z += 16
        }
        while z + 4 <= count { a0 += load(x, z) * load(y, z); z += 4 }
        var r = ((a0 + a1) + (a2 + a3)).sum()
        while z < count { r += x[z] * y[z]; z += 1 }
        return r
    }

    /// (Σ x_z y_z, Σ x'_z y_z): two dot products sharing the loads of y.
    @inline(__always)
    static func dots(_ x: UnsafePointer<Double>, _ x2: UnsafePointer<Double>, _ y: UnsafePointer<Double>,
                     _ count: Int) -> (Double, Double) {
        var a0 = SIMD4<Double>(), a1 = a0, b0 = a0, b1 = a0
        var z = 0
        while z + 8 <= count {
            let y0 = load(y, z), y1 = load(y, z + 4)
            a0 = a0.addingProduct(load(x, z), y0); a1 = a1.addingProduct(load(x, z + 4), y1)
            b0 = b0.addingProduct(load(x2, z), y0); b1 = b1.addingProduct(load(x2, z + 4), y1)
            z += 8
        }
        var r = (a0 + a1).sum(), r2 = (b0 + b1).sum()
        while z < count { r += x[z] * y[z]; r2 += x2[z] * y[z]; z += 1 }
        return (r, r2)
    }

    /// Σ x_z and Σ x_z² with SIMD accumulators.
    @inline(__always)
    static func sumAndSquares(_ x: UnsafePointer<Double>, _ count: Int) -> (sum: Double, squares: Double) {
        var s0 = SIMD4<Double>(), s1 = s0, q0 = s0, q1 = s0
        var z = 0
        while z + 8 <= count {
            let u = load(x, z), w = load(x, z + 4)
            s0 += u; s1 += w; q0 += u * u; q1 += w * w
            z += 8
        }
        var sum = (s0 + s1).sum(), sq = (q0 + q1).sum()
        while z < count { sum += x[z]; sq += x[z] * x[z]; z += 1 }
        return (sum, sq)
    }

    /// Σ x_z with SIMD accumulators.
    @inline(__always)
    static func sum(_ x: UnsafePointer<Double>, _ count: Int) -> Double { sumAndSquares(x, count).sum }

    /// Samples per tile: the tile's rows of σ(Z)ᵀ and Lᵀ_U (n + |U| rows) within about 1 MiB
    /// (half of this machine's per-core L2), a multiple of 8, at least 32.
    static func tileLength(samples s: Int, qubits n: Int, used u: Int) -> Int {
        let fit = (1 << 20) / (8 * max(1, n + u))
        return min(s, max(32, fit & ~7))
    }
}
