/// The named buffers of one `MMDObjective` step. Each is one contiguous array, so the
/// collective that completes it is one call, with views by bandwidth k and string.

/// The data terms t_a of the step's strings (docs/math.md §3), for the training set and
/// optionally the validation set: one array [train σ₀ | … | train σ_{K−1} | validation σ₀ | …],
/// B strings per bandwidth. Until `normalize` it holds the unnormalised sums
/// Σ_x (−1)^{a·x} over this rank's shard of the rows; the allreduce of `values` over every
/// rank completes them.
public struct DataTerms: Sendable {
    /// The contiguous storage the allreduce runs over.
    public var values: [Double]
    public let sigmaCount: Int
    public let stringsPerSigma: Int
    public let hasValidation: Bool

    public init(sigmaCount: Int, stringsPerSigma: Int, hasValidation: Bool) {
        self.sigmaCount = sigmaCount
        self.stringsPerSigma = stringsPerSigma
        self.hasValidation = hasValidation
        values = [Double](repeating: 0, count: sigmaCount * stringsPerSigma * (hasValidation ? 2 : 1))
    }

    /// The partial sums of this rank's shards (docs/math.md §3): for every bandwidth, all B
    /// strings of `strings[k]` against the training columns and, when given, the validation
    /// columns. Local: no collective.
    public static func partialSums(strings: [BitMatrix], train: DataTerm.Columns,
                                   validation: DataTerm.Columns?) -> DataTerms {
        let b = strings.first?.rows ?? 0
        var terms = DataTerms(sigmaCount: strings.count, stringsPerSigma: b, hasValidation: validation != nil)
        for (k, block) in strings.enumerated() {
            terms.values.replaceSubrange(terms.trainRange(k), with: DataTerm.paritySums(strings: block, columns: train))
            if let validation {
                terms.values.replaceSubrange(terms.validationRange(k),
                                             with: DataTerm.paritySums(strings: block, columns: validation))
            }
        }
        return terms
    }

    /// Divides the completed sums by the number of rows: t_a = (1/N) Σ_x (−1)^{a·x}.
    public mutating func normalize(trainCount: Int, validationCount: Int) {
        let half = sigmaCount * stringsPerSigma
        for i in 0..<half { values[i] /= Double(trainCount) }
        if hasValidation { for i in half..<(2 * half) { values[i] /= Double(validationCount) } }
    }

    /// t_a of string `a` (global index) of bandwidth `k` on the training set.
    @inline(__always) public func train(_ k: Int, _ a: Int) -> Double { values[k * stringsPerSigma + a] }
    /// t_a of string `a` of bandwidth `k` on the validation set.
    @inline(__always) public func validation(_ k: Int, _ a: Int) -> Double {
        values[(sigmaCount + k) * stringsPerSigma + a]
    }

    func trainRange(_ k: Int) -> Range<Int> { (k * stringsPerSigma)..<((k + 1) * stringsPerSigma) }
    func validationRange(_ k: Int) -> Range<Int> {
        ((sigmaCount + k) * stringsPerSigma)..<((sigmaCount + k + 1) * stringsPerSigma)
    }
}

/// The model side of a block (docs/math.md §3): for each bandwidth k and each string i of
/// the rank's block, Σ_z f and Σ_z f² over the samples z, with f = cos φ(a, z). One array
/// [Σf σ₀ | Σf² σ₀ | Σf σ₁ | …]; the allreduce over the ranks of the same string group
/// (the sample direction) completes the sums over all s samples.
public struct StringSums: Sendable {
    public var values: [Double]
    public let sigmaCount: Int
    /// Strings in the rank's block.
    public let blockCount: Int

    public init(sigmaCount: Int, blockCount: Int) {
        self.sigmaCount = sigmaCount
        self.blockCount = blockCount
        values = [Double](repeating: 0, count: 2 * sigmaCount * blockCount)
    }

    @inline(__always) public func sum(_ k: Int, _ i: Int) -> Double { values[2 * k * blockCount + i] }
    @inline(__always) public func sumSquares(_ k: Int, _ i: Int) -> Double { values[(2 * k + 1) * blockCount + i] }

    /// Stores bandwidth k's per-string sums.
    public mutating func set(_ k: Int, sum: [Double], sumSquares: [Double]) {
        values.replaceSubrange((2 * k * blockCount)..<((2 * k + 1) * blockCount), with: sum)
        values.replaceSubrange(((2 * k + 1) * blockCount)..<((2 * k + 2) * blockCount), with: sumSquares)
    }
}

/// The loss per bandwidth that a rank contributes (already weighted 1/B per string), for the
/// training and the validation data terms.
public struct LossShare: Sendable {
    public var perSigma: [Double]
    public var validationPerSigma: [Double]

    public init(sigmaCount: Int) {
        perSigma = [Double](repeating: 0, count: sigmaCount)
        validationPerSigma = perSigma
    }
}

/// What is reduced to root at the end of a step: [∂L/∂θ | loss per σ | validation loss per σ |
/// stop requests] in one array — this rank's share before the reduction, the totals on root
/// after it. The last slot is 1 on a rank that was asked to stop (`StopRequest`), so root
/// learns of a signal on any rank from the reduction the step makes anyway.
public struct StepTotals: Sendable {
    public var values: [Double]
    public let parameterCount: Int
    public let sigmaCount: Int

    /// `gradient` (empty: zeros) and the loss shares packed for one reduction.
    public init(gradient: [Double], parameterCount: Int, loss: LossShare) {
        precondition(gradient.isEmpty || gradient.count == parameterCount)
        self.parameterCount = parameterCount
        self.sigmaCount = loss.perSigma.count
        values = (gradient.isEmpty ? [Double](repeating: 0, count: parameterCount) : gradient)
            + loss.perSigma + loss.validationPerSigma + [0]
    }

    public var gradient: [Double] { Array(values[0..<parameterCount]) }
    public var lossPerSigma: [Double] { Array(values[parameterCount..<(parameterCount + sigmaCount)]) }
    public var validationLossPerSigma: [Double] {
        Array(values[(parameterCount + sigmaCount)..<(parameterCount + 2 * sigmaCount)])
    }
    /// The number of ranks asked to stop (after the reduction; this rank's 0 or 1 before it).
    public var stopRequests: Double {
        get { values[parameterCount + 2 * sigmaCount] }
        set { values[parameterCount + 2 * sigmaCount] = newValue }
    }
    /// Sets the gradient of the gates `range` to zero (gates whose parameters are fixed).
    public mutating func clearGradient(of range: Range<Int>) {
        for i in range { values[i] = 0 }
    }
}
