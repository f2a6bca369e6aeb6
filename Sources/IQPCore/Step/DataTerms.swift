/// The data terms t_a of the step's strings (docs/math.md §3), for the training set and
/// optionally the validation set: one array [train σ₀ | … | train σ_{K−1} | validation σ₀ | …],
/// B strings per bandwidth. Until `normalize` it holds the unnormalised sums
/// Σ_x (−1)^{a·x} over this rank's shard of the rows; the allreduce of `values` over every
/// rank completes them. One contiguous array, so the collective that completes it is one call.
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
    public static func partialSums(strings: [BitMatrix], train: DataColumns,
                                   validation: DataColumns?) -> DataTerms {
        let b = strings.first?.rows ?? 0
        var terms = DataTerms(sigmaCount: strings.count, stringsPerSigma: b, hasValidation: validation != nil)
        for (k, block) in strings.enumerated() {
            terms.values.replaceSubrange(terms.trainRange(k), with: train.paritySums(strings: block))
            if let validation {
                terms.values.replaceSubrange(terms.validationRange(k),
                                             with: validation.paritySums(strings: block))
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
