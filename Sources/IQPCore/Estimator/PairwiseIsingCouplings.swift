/// Between the generator list and the fast path's matrices (docs/math.md §5): h and J from θ',
/// and ∂L/∂θ' from ∂L/∂h and C (∂L/∂J_ik = 2(C_ik + C_ki) − 4P_ik, the −4P folded into C).
///
/// Two layouts: when a step's strings touch at least half of the qubits (`dense`), J and C are
/// full n×n matrices — J gathered once per step (upper triangle in generator order, mirrored
/// in cache-sized tiles), C summed over the sample groups, and one pass over the generators;
/// otherwise each group gathers only its rows J_U and maps its own C_U (memory ∝ |U|·n).
extension PairwiseIsingEstimator {
    /// Whether J and C are full n×n matrices for groups with these U.
    static func usesDenseCouplings(_ used: [UsedQubits], n: Int) -> Bool {
        2 * used.reduce(0) { $0 + $1.count } >= n
    }

    /// h (returned) and the full symmetric J (n×n, zero diagonal) written into `j`.
    func gatherCouplings<T: BLASScalar>(thetaPrime: [Double], into j: UnsafeMutablePointer<T>) -> [Double] {
        let n = circuit.nQubits, table = circuit.table
        var h = [Double](repeating: 0, count: n)
        PairwiseIsingEstimator.clear(j, count: n * n)
        table.offsets.withUnsafeBufferPointer { off in table.qubits.withUnsafeBufferPointer { q in
            for g in 0..<table.count {
                let o = Int(off[g]), t = thetaPrime[g]
                if off[g + 1] - off[g] == 1 { h[Int(q[o])] += t; continue }
                j[Int(min(q[o], q[o + 1])) * n + Int(max(q[o], q[o + 1]))] += T(t)
            }
        }}
        PairwiseIsingEstimator.mirrorUpperTriangle(j, n: n, add: false)
        return h
    }

    /// h (returned) and the rows J_U (|U|×n, row u = row U[u] of J) written into `ju`.
    func gatherCouplingRows<T: BLASScalar>(thetaPrime: [Double], used: UsedQubits, into ju: UnsafeMutablePointer<T>) -> [Double] {
        let n = used.n, table = circuit.table
        var h = [Double](repeating: 0, count: n)
        PairwiseIsingEstimator.clear(ju, count: used.count * n)
        table.offsets.withUnsafeBufferPointer { off in table.qubits.withUnsafeBufferPointer { q in
        used.index.withUnsafeBufferPointer { ui in
            for g in 0..<table.count {
                let o = Int(off[g]), t = thetaPrime[g]
                if off[g + 1] - off[g] == 1 { h[Int(q[o])] += t; continue }
                let i = Int(q[o]), k = Int(q[o + 1]), ri = Int(ui[i]), rk = Int(ui[k])
                if ri >= 0 { ju[ri * n + k] += T(t) }
                if rk >= 0 { ju[rk * n + i] += T(t) }
            }
        }}}
        return h
    }

    /// 2J_ik for every pair entry of a layout; row(i) is the row of qubit i in `couplings` (n wide).
    func pairCoefficients<T: BLASScalar>(_ l: StringLayout, couplings j: UnsafeMutablePointer<T>, n: Int,
                                         row: (Int) -> Int) -> [Double] {
        var out = [Double](repeating: 0, count: l.pairCount)
        for t in 0..<l.qubits.count {
            let base = row(Int(l.qubits[t])) * n
            for e in l.pairOffsets[t]..<l.pairOffsets[t + 1] { out[e] = 2 * Double(j[base + Int(l.pairQubits[e])]) }
        }
        return out
    }

    /// Lower triangle of an n×n matrix := upper (add: false), or upper := upper + lower (add: true),
    /// in 64×64 tiles; task r owns the tile row r, i.e. entries (i, k ≥ i) with i in it and their mirrors.
    static func mirrorUpperTriangle<T: BinaryFloatingPoint>(_ m: UnsafeMutablePointer<T>, n: Int, add: Bool) {
        let tile = 64, tiles = (n + tile - 1) / tile
        let shared = SharedPointer(m)
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

    /// Zeroes `count` elements, in parallel for large buffers.
    static func clear<T: BinaryFloatingPoint>(_ p: UnsafeMutablePointer<T>, count: Int) {
        let shared = SharedPointer(p)
        parallelFor(count, minimumChunk: 1 << 20) { r in (shared.base + r.lowerBound).update(repeating: 0, count: r.count) }
    }

    /// ∂L/∂θ' for every generator: weight 1 from ∂L/∂h, weight 2 from the full C (mirrored here:
    /// C_ik + C_ki) when `dense`, otherwise from `pairGradient` (the groups' own sums).
    func generatorGradient<T: BLASScalar>(fieldGradient gh: [Double], fullC: UnsafeMutablePointer<T>?,
                                          pairGradient: [Double]?) -> [Double] {
        let n = circuit.nQubits, table = circuit.table
        if let fullC { PairwiseIsingEstimator.mirrorUpperTriangle(fullC, n: n, add: true) }
        var grad = pairGradient ?? [Double](repeating: 0, count: table.count)
        let cs = fullC.map { SharedPointer($0) }
        table.offsets.withUnsafeBufferPointer { off in table.qubits.withUnsafeBufferPointer { q in
        grad.withUnsafeMutableBufferPointer { gp in
            parallelFor(table.count, minimumChunk: 1 << 16) { range in
                for j in range {
                    let o = Int(off[j])
                    if off[j + 1] - off[j] == 1 { gp[j] = gh[Int(q[o])]; continue }
                    if let c = cs?.base { gp[j] = 2 * Double(c[Int(min(q[o], q[o + 1])) * n + Int(max(q[o], q[o + 1]))]) }
                }
            }
        }}}
        return grad
    }

    /// Adds 2(C_ik [i ∈ U] + C_ki [k ∈ U]) of one group's rows C_U to every weight-2 generator.
    func addPairGradient<T: BLASScalar>(c: UnsafeMutablePointer<T>, used: UsedQubits, into grad: inout [Double]) {
        let n = used.n, table = circuit.table, cs = SharedPointer(c)
        table.offsets.withUnsafeBufferPointer { off in table.qubits.withUnsafeBufferPointer { q in
        used.index.withUnsafeBufferPointer { ui in grad.withUnsafeMutableBufferPointer { gp in
            parallelFor(table.count, minimumChunk: 1 << 16) { range in
                for j in range where off[j + 1] - off[j] == 2 {
                    let i = Int(q[Int(off[j])]), k = Int(q[Int(off[j]) + 1]), ri = Int(ui[i]), rk = Int(ui[k])
                    var g = 0.0
                    if ri >= 0 { g += Double(cs.base[ri * n + k]) }
                    if rk >= 0 { g += Double(cs.base[rk * n + i]) }
                    gp[j] += 2 * g
                }
            }
        }}}}
    }
}
