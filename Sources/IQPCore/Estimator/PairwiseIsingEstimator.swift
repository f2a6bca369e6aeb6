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
/// Every generator's ∂L/∂θ' is the derivative by its h_i or J_ik.
///
/// Several blocks (one per bandwidth) may share one sample block (`forward(stringBlocks:…)`):
/// then U is their union, and the two GEMMs run once for all of them — M sums the blocks' W
/// before C is formed, since σ(Z) is the same. Memory per step: σ(Z)ᵀ (n×s), J_U and C
/// (|U|×n, transient), Lᵀ_U and M (|U|×s), and per block cos φ, sin φ (B×s) when they fit in
/// half of `memoryBudget` (otherwise the backward pass recomputes φ in chunks of strings) —
/// never B×m or s×m. The large buffers come from a `ScratchPool` and are reused across steps.
public struct PairwiseIsingEstimator: BlockEstimator {
    public let circuit: Circuit
    public let memoryBudget: Int
    /// Precision of the two large GEMMs (the per-string loops are always f64).
    public let precision: GEMMPrecision
    /// Bit i·n + k (i < k) is set when some generator is {i, k}: other pairs of a string cost nothing.
    let pairMask: [UInt64]
    /// Weight-2 generators over all n(n−1)/2 pairs (the share of string pairs that cost work).
    public let pairDensity: Double
    let pool: ScratchPool

    /// Whether every generator of `circuit` has weight ≤ 2.
    public static func applies(to circuit: Circuit) -> Bool { circuit.maxWeight <= 2 }

    public init(circuit: Circuit, memoryBudget: Int = DenseEstimator.defaultMemoryBudget,
                precision: GEMMPrecision = .float64) throws {
        guard PairwiseIsingEstimator.applies(to: circuit) else {
            throw IQPError("the fast estimator needs generators of weight ≤ 2, but this circuit has weight \(circuit.maxWeight)",
                           field: "estimator")
        }
        self.circuit = circuit
        self.memoryBudget = max(1 << 16, memoryBudget)
        self.precision = precision
        let n = circuit.nQubits, table = circuit.table
        var mask = [UInt64](repeating: 0, count: (n * n + 63) / 64)
        var distinct = 0
        for j in 0..<table.count where table.offsets[j + 1] - table.offsets[j] == 2 {
            let q0 = Int(table.qubits[Int(table.offsets[j])]), q1 = Int(table.qubits[Int(table.offsets[j]) + 1])
            let bit = min(q0, q1) * n + max(q0, q1)
            if mask[bit >> 6] & (1 << UInt64(bit & 63)) == 0 { distinct += 1 }
            mask[bit >> 6] |= 1 << UInt64(bit & 63)
        }
        self.pairMask = mask
        self.pairDensity = n > 1 ? Double(distinct) / Double(n * (n - 1) / 2) : 0
        self.pool = ScratchPool()
    }

    /// The samples of one forward call that several string blocks share: spins, U (the union of
    /// those blocks' qubits), and Lᵀ_U when some of its blocks must recompute φ.
    final class SampleGroup: Sendable {
        let spins: SampleSpins
        let used: UsedQubits
        /// The string blocks (indices into the step's layouts) that use these samples.
        let blocks: [Int]
        let localFields: ScratchBuffer<Double>?
        let tile: Int

        init(spins: SampleSpins, used: UsedQubits, blocks: [Int], localFields: ScratchBuffer<Double>?) {
            self.spins = spins; self.used = used; self.blocks = blocks; self.localFields = localFields
            tile = PairwiseIsingKernels.tileLength(samples: spins.s, qubits: spins.n, used: used.count)
        }
    }

    /// What the blocks of one forward call share: h, the layouts and pair coefficients 2J_ik of
    /// every block, the sample groups, and whether J and C are handled as full n×n matrices
    /// (`dense`: the blocks touch at least half of the qubits) or row by row per group.
    final class Step: Sendable {
        let fields: [Double]
        let layouts: [StringLayout]
        let coefficients: [[Double]]
        let groups: [SampleGroup]
        /// groupOf[k] = the sample group of string block k.
        let groupOf: [Int]
        let dense: Bool

        init(fields: [Double], layouts: [StringLayout], coefficients: [[Double]], groups: [SampleGroup], dense: Bool) {
            self.fields = fields; self.layouts = layouts; self.coefficients = coefficients
            self.groups = groups; self.dense = dense
            var groupOf = [Int](repeating: 0, count: layouts.count)
            for (g, group) in groups.enumerated() { for k in group.blocks { groupOf[k] = g } }
            self.groupOf = groupOf
        }
    }

    /// The result of a forward pass over one block.
    public struct Forward: BlockForward {
        public let strings: BitMatrix
        public let samples: BitMatrix
        public let spinSym: Bool
        public var rowSum: [Double]
        public var rowSumSquares: [Double]
        let step: Step
        let blockIndex: Int
        /// cos φ and sin φ (B×s), when they fit in the memory budget.
        let cosPhi: ScratchBuffer<Double>?
        let sinPhi: ScratchBuffer<Double>?
    }

    /// Whether cos φ and sin φ of a B×s block are kept for the backward pass.
    func keepsTrigonometry(strings b: Int, samples s: Int) -> Bool { 16 * b * s <= memoryBudget / 2 }

    /// Strings per chunk when φ is recomputed: cos, sin and W of a chunk within a quarter of the budget.
    func stringChunk(strings b: Int, samples s: Int) -> Int {
        keepsTrigonometry(strings: b, samples: s) ? max(1, b) : max(1, min(b, memoryBudget / 4 / (24 * max(1, s))))
    }

    public func forward(thetaPrime: [Double], strings: BitMatrix, samples: BitMatrix, spinSym: Bool) -> Forward {
        forward(thetaPrime: thetaPrime, stringBlocks: [strings], sampleBlocks: [samples], spinSym: spinSym)[0]
    }

    /// Forward passes of several blocks of strings (e.g. one per bandwidth) over one shared block
    /// of samples: the spin matrix, U and the local-field GEMM are formed once for all of them.
    public func forward(thetaPrime: [Double], stringBlocks: [BitMatrix], samples: BitMatrix, spinSym: Bool) -> [Forward] {
        forward(thetaPrime: thetaPrime, stringBlocks: stringBlocks, sampleBlocks: [samples], spinSym: spinSym)
    }

    /// Forward passes of several blocks of strings, with one sample block for all of them or one
    /// each (`sampleBlocks.count` 1 or `stringBlocks.count`). J is gathered from θ' once for all.
    public func forward(thetaPrime: [Double], stringBlocks: [BitMatrix], sampleBlocks: [BitMatrix], spinSym: Bool) -> [Forward] {
        precondition(thetaPrime.count == circuit.generatorCount)
        precondition(sampleBlocks.count == 1 || sampleBlocks.count == stringBlocks.count)
        let n = circuit.nQubits
        precondition(stringBlocks.allSatisfy { $0.columns == n } && sampleBlocks.allSatisfy { $0.columns == n && $0.rows >= 1 },
                     "every sample block needs at least one sample")
        let step = precision == .float64
            ? prepareStep(Double.self, thetaPrime: thetaPrime, stringBlocks: stringBlocks, sampleBlocks: sampleBlocks, spinSym: spinSym)
            : prepareStep(Float.self, thetaPrime: thetaPrime, stringBlocks: stringBlocks, sampleBlocks: sampleBlocks, spinSym: spinSym)
        return stringBlocks.indices.map { k in
            let g = step.step.groupOf[k]
            return forwardBlock(step.step, block: k, localFields: step.localFields[g], strings: stringBlocks[k],
                                samples: sampleBlocks[sampleBlocks.count == 1 ? 0 : k], spinSym: spinSym)
        }
    }

    public func backward(_ fwd: Forward, thetaPrime: [Double], alpha: [Double], beta: Double) -> [Double] {
        backward([fwd], thetaPrime: thetaPrime, alphas: [alpha], betas: [beta])
    }

    /// Σ over the blocks of their ∂L/∂θ'. Forwards from one `forward(stringBlocks:…)` call share
    /// M and the gradient GEMM per sample group, and one pass over the generators.
    public func backward(_ forwards: [Forward], thetaPrime: [Double], alphas: [[Double]], betas: [Double]) -> [Double] {
        precondition(forwards.count == alphas.count && forwards.count == betas.count)
        var grad: [Double]?
        var remaining = Array(forwards.indices)
        while let first = remaining.first {
            let group = remaining.filter { forwards[$0].step === forwards[first].step }
            remaining.removeAll { forwards[$0].step === forwards[first].step }
            let fs = group.map { forwards[$0] }, a = group.map { alphas[$0] }, b = group.map { betas[$0] }
            let g = precision == .float64 ? backwardStep(Double.self, fs, alphas: a, betas: b)
                                          : backwardStep(Float.self, fs, alphas: a, betas: b)
            if grad == nil { grad = g } else { for j in 0..<g.count { grad![j] += g[j] } }
        }
        return grad ?? [Double](repeating: 0, count: circuit.generatorCount)
    }
}
