#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The inputs of `KernelGEL.solve` (docs/math.md §11): the ground truth's kernel vectors, and the
/// model's mean kernel at the witnesses, from samples, exactly from all 2ⁿ Pauli strings, or by
/// Monte Carlo over random strings as IQPopt's `kgel_opt_iqp` estimates it.
extension KernelGEL {
    /// k(x, y) = exp(−d_H(x, y)/(2σ²)) for bit rows (|x − y|² is the Hamming distance).
    @inlinable
    static func kernel(_ x: BitMatrix, _ i: Int, _ y: BitMatrix, _ j: Int, sigma: Double) -> Double {
        var distance = 0
        for w in 0..<x.wordsPerRow {
            distance += (x.words[i * x.wordsPerRow + w] ^ y.words[j * y.wordsPerRow + w]).nonzeroBitCount
        }
        return exp(-Double(distance) / (2 * sigma * sigma))
    }

    /// The rows × witnesses matrix k(rows_i, witnesses_j), row-major.
    public static func kernels(rows: BitMatrix, witnesses: BitMatrix, sigma: Double) -> [Double] {
        precondition(rows.columns == witnesses.columns)
        var out = [Double](repeating: 0, count: rows.rows * witnesses.rows)
        for i in 0..<rows.rows {
            for j in 0..<witnesses.rows { out[i * witnesses.rows + j] = kernel(rows, i, witnesses, j, sigma: sigma) }
        }
        return out
    }

    /// μ_j = (1/M) Σ_m k(y_m, w_j): the model's kernel means from M samples (`kgel_opt_samples`).
    public static func means(samples: BitMatrix, witnesses: BitMatrix, sigma: Double) -> [Double] {
        precondition(samples.rows > 0)
        let k = kernels(rows: samples, witnesses: witnesses, sigma: sigma)
        let w = witnesses.rows
        return (0..<w).map { j in (0..<samples.rows).reduce(0) { $0 + k[$1 * w + j] } / Double(samples.rows) }
    }

    /// μ_j = E_{x∼q} k(x, w_j) = Σ_a w_σ(a) <Z_a> (−1)^{a·w_j}, the kernel's Pauli expansion
    /// (docs/math.md §3) with the exact <Z_a> of every string (`AllStringExpectations`, n ≤ 26):
    /// no estimator noise. With ancillas (docs/math.md §12) the strings act on the visible
    /// qubits only, so μ is the visible marginal's. Collective over the layout's communicator.
    public static func exactMeans(model: IQPModel, witnesses: BitMatrix, sigma: Double, memoryBudget: Int,
                                  communicator: Communicator = LocalCommunicator()) throws -> [Double] {
        let n = model.nQubits
        guard witnesses.columns == model.nVisible else {
            throw IQPError("the witnesses have \(witnesses.columns) columns but the model has \(model.nVisible) visible qubits",
                           field: "data")
        }
        try ExactPathCost.admit(nQubits: n, kind: model.kind, dataSets: 0, memoryBudget: memoryBudget)
        let layout = ExactVectorLayout(nQubits: n, communicator: communicator)
        let expectations = ExactPathCost.expectations(for: model, layout: layout)
        expectations.forward(thetaPrime: model.circuit.generatorParameters(model.params))
        let weights = PauliStringWeights(nQubits: n, sigma: sigma, wires: Array(0..<model.nVisible))
        let masks = (0..<witnesses.rows).map { Int(truncatingIfNeeded: witnesses.words[$0 * witnesses.wordsPerRow]) }
        var means = [Double](repeating: 0, count: masks.count)
        for range in layout.ownRanges {
            for a in range {
                let term = weights.weight(a) * expectations.values[a]
                for (j, mask) in masks.enumerated() { means[j] += (a & mask).nonzeroBitCount & 1 == 0 ? term : -term }
            }
        }
        communicator.allreduceSum(&means)
        return means
    }

    /// μ_j estimated as IQPopt's `kgel_opt_iqp` does: `ops` strings a drawn with w_σ
    /// (`PauliStringSampler`), <Z_a> by Monte Carlo over `samples` bitstrings
    /// (`ExpectationEstimate`), μ_j ≈ mean over the strings of <Z_a>(−1)^{a·w_j}. Unbiased; its
    /// noise makes the KGEL biased (the study says so too), so large sizes are needed.
    public static func monteCarloMeans(model: IQPModel, witnesses: BitMatrix, sigma: Double, ops: Int, samples: Int,
                                       seed: UInt64, memoryBudget: Int) throws -> [Double] {
        let n = model.nQubits
        guard witnesses.columns == model.nVisible else {
            throw IQPError("the witnesses have \(witnesses.columns) columns but the model has \(model.nVisible) visible qubits",
                           field: "data")
        }
        guard ops >= 1 else { throw IQPError("needs at least 1 Pauli string, got \(ops)", field: "ops") }
        let strings = PauliStringSampler(nQubits: n, sigma: sigma, wires: Array(0..<model.nVisible))
            .strings(seed: seed, step: ModelEvaluation.evaluationStepBase, sigmaIndex: 0, range: 0..<ops)
        let values = try ExpectationEstimate.estimate(model: model, strings: strings, samples: samples, seed: seed,
                                                      memoryBudget: memoryBudget)
        return (0..<witnesses.rows).map { j in
            var sum = 0.0
            for a in 0..<ops {
                var parity = 0
                // Strings touch the visible qubits only, the witnesses' width: their words line up.
                for w in 0..<witnesses.wordsPerRow {
                    parity += (strings.words[a * strings.wordsPerRow + w]
                        & witnesses.words[j * witnesses.wordsPerRow + w]).nonzeroBitCount
                }
                sum += parity & 1 == 0 ? values[a].mean : -values[a].mean
            }
            return sum / Double(ops)
        }
    }
}

extension KernelGEL {
    /// The study's split of a test set (`paper/plots/calc_kgel.py`): the first `groundTruth`
    /// rows are the ground truth (all rows when there are fewer), the last `witnesses` rows the
    /// witnesses (as in the study, the two may overlap on a small set).
    public static func split(_ data: BitMatrix, groundTruth: Int, witnesses: Int) throws -> (truth: BitMatrix, witnesses: BitMatrix) {
        guard witnesses >= 1 else { throw IQPError("needs at least 1 witness, got \(witnesses)", field: "witnesses") }
        guard groundTruth >= 2 else { throw IQPError("needs at least 2 ground-truth rows, got \(groundTruth)", field: "ground-truth") }
        guard data.rows > witnesses else {
            throw IQPError("needs more than \(witnesses) data rows (the witnesses are the last \(witnesses)), got \(data.rows)",
                           field: "data")
        }
        return (data.rows(0..<min(groundTruth, data.rows)), data.rows((data.rows - witnesses)..<data.rows))
    }
}
