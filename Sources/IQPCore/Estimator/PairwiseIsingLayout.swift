import CIQPKernels

/// The index structures of the fast path (docs/math.md §5) for one step: which qubits each
/// string holds, which of their pairs carry a generator, which qubits U any string touches,
/// and the spin matrix σ(Z)ᵀ of the samples. Built once per step, shared by forward and backward.
extension PairwiseIsingEstimator {
    /// The strings of one block (one bandwidth): qubits per string and the generator pairs among them.
    struct StringLayout: Sendable {
        let b: Int
        /// Qubits of string a, ascending: qubits[stringOffsets[a] ..< stringOffsets[a + 1]].
        let stringOffsets: [Int]
        let qubits: [Int32]
        /// For the qubit at position t of `qubits` (qubit i of some string a): the later qubits k
        /// of a with a generator on {i, k} are pairQubits[pairOffsets[t] ..< pairOffsets[t + 1]].
        /// Entry e of `pairQubits` is also the slot of pair e's coefficient 2J_ik and sum P_ik.
        let pairOffsets: [Int]
        let pairQubits: [Int32]
        /// |a| mod 2 per string (spin-symmetric start, docs/math.md §8); empty otherwise.
        let parity: [Double]

        init(strings: BitMatrix, pairMask: [UInt64], spinSym: Bool) {
            let n = strings.columns, wpr = strings.wordsPerRow
            b = strings.rows
            var offsets = [0], qubits = [Int32]()
            for a in 0..<b {
                for w in 0..<wpr {
                    var x = strings.words[a * wpr + w]
                    while x != 0 {
                        qubits.append(Int32(w * 64 + x.trailingZeroBitCount))
                        x &= x - 1
                    }
                }
                offsets.append(qubits.count)
            }
            var pairOffsets = [0], pairQubits = [Int32]()
            for a in 0..<b {
                for t in offsets[a]..<offsets[a + 1] {
                    let i = Int(qubits[t])
                    for t2 in (t + 1)..<max(t + 1, offsets[a + 1]) {
                        let bit = i * n + Int(qubits[t2])
                        if pairMask[bit >> 6] & (1 << UInt64(bit & 63)) != 0 { pairQubits.append(qubits[t2]) }
                    }
                    pairOffsets.append(pairQubits.count)
                }
            }
            stringOffsets = offsets
            self.qubits = qubits
            self.pairOffsets = pairOffsets
            self.pairQubits = pairQubits
            parity = spinSym ? (0..<b).map { Double((offsets[$0 + 1] - offsets[$0]) & 1) } : []
        }

        var pairCount: Int { pairQubits.count }

        /// This layout as the C pair kernels read it (pointers valid inside `body` only).
        func withKernelLayout<R>(_ body: (PairwiseIsingKernels.KernelLayout) -> R) -> R {
            stringOffsets.withUnsafeBufferPointer { so in qubits.withUnsafeBufferPointer { q in
            pairOffsets.withUnsafeBufferPointer { po in pairQubits.withUnsafeBufferPointer { pq in
                body(PairwiseIsingKernels.KernelLayout(c: iqp_string_layout(
                    string_offsets: so.baseAddress, qubits: q.baseAddress, pair_offsets: po.baseAddress,
                    pair_qubits: pq.baseAddress)))
            }}}}
        }
    }

    /// U: the qubits touched by some string of any of the blocks, and for each block the strings
    /// that hold each of them (for M_{z,i} = Σ_{a ∋ i} W_{a,z}).
    struct UsedQubits: Sendable {
        let n: Int
        /// U ascending; index[i] = position of qubit i in U, or −1.
        let used: [Int32]
        let index: [Int32]
        /// Per block: the strings holding U[u] are holders[k][holderOffsets[k][u] ..< holderOffsets[k][u + 1]], ascending.
        let holderOffsets: [[Int]]
        let holders: [[Int32]]

        /// `all`: U is every qubit (rows of qubits no string holds are then zero in M).
        init(n: Int, layouts: [StringLayout], all: Bool = false) {
            self.n = n
            var present = [Bool](repeating: all, count: n)
            for l in layouts { for q in l.qubits { present[Int(q)] = true } }
            var used = [Int32](), index = [Int32](repeating: -1, count: n)
            for q in 0..<n where present[q] { index[q] = Int32(used.count); used.append(Int32(q)) }
            var holderOffsets: [[Int]] = [], holders: [[Int32]] = []
            for l in layouts {
                var count = [Int](repeating: 0, count: used.count + 1)
                for q in l.qubits { count[Int(index[Int(q)]) + 1] += 1 }
                for u in 0..<used.count { count[u + 1] += count[u] }
                var fill = count, list = [Int32](repeating: 0, count: l.qubits.count)
                for a in 0..<l.b {
                    for t in l.stringOffsets[a]..<l.stringOffsets[a + 1] {
                        let u = Int(index[Int(l.qubits[t])])
                        list[fill[u]] = Int32(a); fill[u] += 1
                    }
                }
                holderOffsets.append(count); holders.append(list)
            }
            self.used = used; self.index = index
            self.holderOffsets = holderOffsets; self.holders = holders
        }

        var count: Int { used.count }
        /// Whether every qubit is in U (then J_U and C are the full symmetric n×n matrices).
        var isAll: Bool { used.count == n }
    }

    /// The samples of a step as spins: σ(Z)ᵀ (n×s, row i = (−1)^{z_i} over the samples), in f64
    /// for the per-string loops and, for single-precision GEMMs, in f32 as well; |z| mod 2 per
    /// sample for the spin-symmetric start.
    final class SampleSpins: Sendable {
        let n: Int, s: Int
        let spins: ScratchBuffer<Double>
        let spinsSingle: ScratchBuffer<Float>?
        let parity: [Double]

        init(samples: BitMatrix, spinSym: Bool, precision: GEMMPrecision, pool: ScratchPool) {
            n = samples.columns; s = samples.rows
            spins = pool.take(Double.self, count: n * s)
            spinsSingle = precision == .float32 ? pool.take(Float.self, count: n * s) : nil
            parity = spinSym ? (0..<s).map { Double(samples.popcount(row: $0) & 1) } : []
            let wpr = samples.wordsPerRow, n = n, s = s, out = spins.pointer, single = spinsSingle?.pointer
            samples.words.withUnsafeBufferPointer { words in
                parallelFor(wpr, minimumChunk: 1) { wordRange in
                    for w in wordRange {
                        let bits = min(64, n - w * 64)
                        for z in 0..<s {
                            let x = words[z * wpr + w]
                            for bit in 0..<bits {
                                out[(w * 64 + bit) * s + z] = 1 - 2 * Double((x >> UInt64(bit)) & 1)
                            }
                        }
                        if let single {
                            for i in (w * 64)..<(w * 64 + bits) {
                                for z in 0..<s { single[i * s + z] = Float(out[i * s + z]) }
                            }
                        }
                    }
                }
            }
        }

        /// Row i of σ(Z)ᵀ.
        func row(_ i: Int) -> UnsafeMutablePointer<Double> { spins.pointer + i * s }

        /// σ(Z)ᵀ in the precision of a GEMM (Float only when built for single precision).
        func matrix<T: BLASScalar>(_: T.Type) -> UnsafeMutablePointer<T> {
            if T.self == Double.self { return UnsafeMutableRawPointer(spins.pointer).assumingMemoryBound(to: T.self) }
            precondition(T.self == Float.self && spinsSingle != nil, "single-precision spins were not built")
            return UnsafeMutableRawPointer(spinsSingle!.pointer).assumingMemoryBound(to: T.self)
        }
    }
}

/// The precision of the fast path's two large matrix products (L = J_U σ(Z)ᵀ forward and
/// C = X_Uᵀ σ(Z) backward, docs/math.md §5). `float32` runs them as sgemm (about twice the rate)
/// and keeps everything else in f64; docs/performance.md gives the loss and gradient error.
public enum GEMMPrecision: String, Sendable, CaseIterable, CustomStringConvertible {
    case float64
    case float32

    public var description: String { rawValue }
}
