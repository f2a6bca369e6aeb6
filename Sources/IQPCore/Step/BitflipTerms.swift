/// The bitflip model's share of the loss and gradient on one rank (docs/math.md §9): <Z_a> is
/// exact, so there are no samples and no per-string sums to complete; the strings of the
/// rank's string block are shared out among its sample groups instead. A pure local function;
/// `MMDObjective` reduces its result to root.
public enum BitflipTerms {
    /// The share of the block's strings a rank of sample group `column` (of `columns`) takes:
    /// every `columns`-th string from offset `column`.
    public static func strings(of block: Range<Int>, column: Int, columns: Int) -> [Int] {
        block.filter { ($0 - block.lowerBound) % columns == column }
    }

    /// Loss share res_a/B per bandwidth (`MMDLoss.perStringExact`) over `rankStrings` (the
    /// global indices, into `strings[k]`, of the strings this rank evaluates: `strings(of:column:columns:)`) and, when `wantGradient`, ∂L/∂θ = Tᵀ ∂L/∂θ' with
    /// ∂L/∂θ'_j = Σ_{k,a} w·(2<Z_a> − 2t_a)·∂<Z_a>/∂θ'_j and w = 1/(B·K) (empty when not wanted).
    public static func lossAndGradient(bitflip: BitflipExpectation, thetaPrime: [Double], strings: [BitMatrix],
                                       rankStrings: [Int], dataTerms t: DataTerms, spinSym: Bool,
                                       trainCount: Int, validationCount: Int, wantGradient: Bool,
                                       circuit: Circuit) -> (loss: LossPerSigma, gradient: [Double]) {
        let kCount = t.sigmaCount, b = t.stringsPerSigma
        let weight = 1 / Double(b * kCount)
        var loss = LossPerSigma(sigmaCount: kCount, validation: t.hasValidation)
        var gradPrime = [Double](repeating: 0, count: circuit.generatorCount)
        for k in 0..<kCount {
            var block = BitMatrix(rows: rankStrings.count, columns: circuit.nQubits)
            for (i, a) in rankStrings.enumerated() { block.setRow(i, words: strings[k].row(a)) }
            let values = bitflip.expectationsAndGradient(
                thetaPrime: thetaPrime, strings: block, spinSym: spinSym,
                weight: { i, e in wantGradient ? weight * (2 * e - 2 * t.train(k, rankStrings[i])) : 0 },
                gradient: &gradPrime)
            for (i, a) in rankStrings.enumerated() {
                loss.train[k] += MMDLoss.perStringExact(expectation: values[i], dataTerm: t.train(k, a),
                                                           dataCount: trainCount) / Double(b)
                if t.hasValidation {
                    loss.validation![k] += MMDLoss.perStringExact(
                        expectation: values[i], dataTerm: t.validation(k, a), dataCount: validationCount) / Double(b)
                }
            }
        }
        return (loss, wantGradient ? circuit.gateGradient(gradPrime) : [])
    }
}
