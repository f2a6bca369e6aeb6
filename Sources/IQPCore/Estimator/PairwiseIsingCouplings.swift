/// Between the generator list and the fast path's matrices (docs/math.md §5): h and the rows J_U
/// of the coupling matrix from θ', and ∂L/∂θ' from ∂L/∂h and C (∂L/∂J_ik = 2(C_ik + C_ki) − 4P_ik,
/// the −4P already folded into C). When U holds every qubit both matrices are n×n and only
/// their upper triangles are visited per generator, then mirrored in cache-sized tiles.
extension PairwiseIsingEstimator {
    /// h (length n, returned) and J_U (|U|×n, row u = row U[u] of J) written into `ju`.
    func gatherCouplings<T: BinaryFloatingPoint>(thetaPrime: [Double], used: UsedQubits,
                                                 into ju: UnsafeMutablePointer<T>) -> [Double] {
        let n = used.n, table = circuit.table
        var h = [Double](repeating: 0, count: n)
        ju.update(repeating: 0, count: used.count * n)
        table.offsets.withUnsafeBufferPointer { off in table.qubits.withUnsafeBufferPointer { q in
        used.index.withUnsafeBufferPointer { ui in
            for j in 0..<table.count {
                let o = Int(off[j]), t = thetaPrime[j]
                if off[j + 1] - off[j] == 1 { h[Int(q[o])] += t; continue }
                let i = Int(min(q[o], q[o + 1])), k = Int(max(q[o], q[o + 1]))
                if used.isAll { ju[i * n + k] += T(t); continue }
                let ri = Int(ui[i]), rk = Int(ui[k])
                if ri >= 0 { ju[ri * n + k] += T(t) }
                if rk >= 0 { ju[rk * n + i] += T(t) }
            }
        }}}
        if used.isAll { PairwiseIsingEstimator.mirrorUpperTriangle(ju, n: n, add: false) }
        return h
    }

    /// Lower triangle of an n×n matrix := upper (add: false), or upper := upper + lower (add: true).
    static func mirrorUpperTriangle<T: BinaryFloatingPoint>(_ m: UnsafeMutablePointer<T>, n: Int, add: Bool) {
        let tile = 64, tiles = (n + tile - 1) / tile
        let shared = SharedPointer(m)
        // Task r owns the tile row r: entries (i, k) with i in tile r, k ≥ i, and their mirrors.
        parallelFor(tiles, minimumChunk: 1) { rows in
            let m = shared.base
            for r in rows {
                for kt in r..<tiles {
                    for i in (r * tile)..<min(n, r * tile + tile) {
                        for k in max(i + 1, kt * tile)..<max(i + 1, min(n, kt * tile + tile)) {
                            if add { m[i * n + k] += m[k * n + i] } else { m[k * n + i] = m[i * n + k] }
                        }
                    }
                }
            }
        }
    }

    /// ∂L/∂θ' per generator from ∂L/∂h (`fieldGradient`) and C (|U|×n, pair sums folded in).
    func generatorGradient<T: BinaryFloatingPoint>(fieldGradient gh: [Double], c: UnsafeMutablePointer<T>,
                                                   used: UsedQubits) -> [Double] {
        let n = used.n, table = circuit.table
        if used.isAll { PairwiseIsingEstimator.mirrorUpperTriangle(c, n: n, add: true) }
        var grad = [Double](repeating: 0, count: table.count)
        let cs = SharedPointer(c)
        table.offsets.withUnsafeBufferPointer { off in table.qubits.withUnsafeBufferPointer { q in
        used.index.withUnsafeBufferPointer { ui in grad.withUnsafeMutableBufferPointer { gp in
            parallelFor(table.count, minimumChunk: 1 << 16) { range in
                let c = cs.base
                for j in range {
                    let o = Int(off[j])
                    if off[j + 1] - off[j] == 1 { gp[j] = gh[Int(q[o])]; continue }
                    let i = Int(min(q[o], q[o + 1])), k = Int(max(q[o], q[o + 1]))
                    if used.isAll { gp[j] = 2 * Double(c[i * n + k]); continue }
                    let ri = Int(ui[i]), rk = Int(ui[k])
                    var g = 0.0
                    if ri >= 0 { g += Double(c[ri * n + k]) }
                    if rk >= 0 { g += Double(c[rk * n + i]) }
                    gp[j] = 2 * g
                }
            }
        }}}}
        return grad
    }
}
