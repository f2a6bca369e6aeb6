/// The IQP circuit's share of the loss and gradient on one rank's block of strings × samples
/// (docs/math.md §2–§5): pure local functions, no collectives. `MMDObjective` runs them in
/// order with the collectives between them:
///
///     forward → (allreduce of the sums along the sample direction) → lossAndDerivative → backward
public enum MonteCarloTerms {
    /// (b) The forward pass of every bandwidth over the block: f_{a,z} = cos φ(a, z) for the
    /// block's strings (`block`, global indices into `draw.strings[k]`) and the rank's samples
    /// (one block per bandwidth, or one for all), reduced to per-string Σ_z f and Σ_z f²; the
    /// forward states are kept for `backward`. One call for all bandwidths, so the fast path
    /// gathers J once and shares its GEMMs between bandwidths that share samples.
    public static func forward(estimator: PathSelectingEstimator, thetaPrime: [Double], draw: StepDraw,
                               block: Range<Int>, spinSym: Bool) -> (forwards: [PathSelectingEstimator.Forward],
                                                                     sums: StringSums) {
        var sums = StringSums(sigmaCount: draw.strings.count, blockCount: block.count)
        let forwards = estimator.forward(thetaPrime: thetaPrime, stringBlocks: draw.strings.map { $0.rows(block) },
                                         sampleBlocks: draw.samples, spinSym: spinSym)
        for (k, forward) in forwards.enumerated() { sums.set(k, sum: forward.rowSum, sumSquares: forward.rowSumSquares) }
        return (forwards, sums)
    }

    /// ∂L/∂f_{a,z} = α_a + β·f_{a,z} (docs/math.md §4): α per bandwidth and block string.
    public struct Derivative: Sendable {
        public var alpha: [[Double]]
        public var beta: Double
    }

    /// (c) From the completed sums (over all s samples) and data terms: the block's share of
    /// the loss, res_a/B summed over its strings per bandwidth (`MMDLoss.perString`), and
    /// ∂L/∂f with loss weight w = 1/(B·K). Only where `addsLoss` does the block add its loss:
    /// on one rank per string group (sample group 0), since the allreduce left the same sums
    /// on every rank of the group and the step's reduction sums over all ranks.
    public static func lossAndDerivative(sums: StringSums, dataTerms t: DataTerms, block: Range<Int>,
                                         samples s: Int, trainCount: Int, validationCount: Int,
                                         addsLoss: Bool) -> (loss: LossPerSigma, derivative: Derivative) {
        let kCount = t.sigmaCount, b = t.stringsPerSigma
        let weight = 1 / Double(b * kCount)
        var loss = LossPerSigma(sigmaCount: kCount, validation: t.hasValidation)
        var alphas: [[Double]] = []
        for k in 0..<kCount {
            var alpha = [Double](repeating: 0, count: block.count)
            for i in 0..<block.count {
                let a = block.lowerBound + i
                let sum = sums.sum(k, i), sq = sums.sumSquares(k, i)
                if addsLoss {
                    loss.train[k] += MMDLoss.perString(sum: sum, sumSquares: sq, samples: s,
                                                          dataTerm: t.train(k, a), dataCount: trainCount) / Double(b)
                    if t.hasValidation {
                        loss.validation![k] += MMDLoss.perString(
                            sum: sum, sumSquares: sq, samples: s,
                            dataTerm: t.validation(k, a), dataCount: validationCount) / Double(b)
                    }
                }
                alpha[i] = MMDLoss.alpha(sum: sum, samples: s, dataTerm: t.train(k, a), weight: weight)
            }
            alphas.append(alpha)
        }
        return (loss, Derivative(alpha: alphas, beta: MMDLoss.beta(samples: s, weight: weight)))
    }

    /// (d) The backward pass: ∂L/∂θ'_j = Σ_k Σ_{a,z} (α_a + β f_{a,z}) ∂f_{a,z}/∂θ'_j over the
    /// block (docs/math.md §4), then ∂L/∂θ = Tᵀ ∂L/∂θ' for the circuit's parameter sharing.
    public static func backward(estimator: PathSelectingEstimator, forwards: [PathSelectingEstimator.Forward],
                                derivative: Derivative, thetaPrime: [Double], circuit: Circuit) -> [Double] {
        let gradPrime = estimator.backward(forwards, thetaPrime: thetaPrime, alphas: derivative.alpha,
                                           betas: [Double](repeating: derivative.beta, count: forwards.count))
        return circuit.gateGradient(gradPrime)
    }
}
