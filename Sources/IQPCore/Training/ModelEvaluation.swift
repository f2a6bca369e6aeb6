/// Test-set MMD² of a model with a standard error, per bandwidth (`iqp eval`, and the end of
/// `iqp train`).
///
/// As the reference does, the data set is split into `batches` chunks (row i goes to chunk
/// i mod batches); batch b compares the model with chunk b using ops/batches Pauli strings per
/// bandwidth and `samples` Monte Carlo samples drawn from the streams of evaluation step
/// `evaluationStepBase + b` (never a training step). The batch estimates are independent and
/// unbiased; the estimate is their mean and the standard error std(batch estimates)/√batches,
/// which covers the finite data set as well as the random strings and samples.
public enum ModelEvaluation {
    /// Evaluation steps are keyed far above any training step.
    public static let evaluationStepBase: UInt64 = 1 << 62

    public struct Estimate: Equatable, Sendable {
        public var sigma: Double
        public var mmdSquared: Double
        public var standardError: Double
    }

    /// MMD² per bandwidth between `model` and `data`. Collective over `communicator`.
    public static func mmdSquared(model: IQPModel, data: BitMatrix, sigmas: [Double], ops: Int, samples: Int,
                                  seed: UInt64, batches: Int = 10, wires: [Int]? = nil,
                                  memoryBudget: Int = DenseEstimator.defaultMemoryBudget,
                                  communicator: Communicator = LocalCommunicator(),
                                  grid: ProcessGrid? = nil) throws -> [Estimate] {
        guard batches >= 2 else { throw IQPError("needs at least 2 batches for a standard error", field: "batches") }
        guard ops >= batches else { throw IQPError("needs at least \(batches) Pauli strings (one per batch), got \(ops)", field: "ops") }
        guard data.rows >= 2 * batches else {
            throw IQPError("needs at least \(2 * batches) data rows (2 per batch), got \(data.rows)", field: "data")
        }
        let settings = LossSettings(sigmas: sigmas, stringsPerSigma: ops / batches, samples: samples,
                                    wires: wires, memoryBudget: memoryBudget)
        var perBatch: [[Double]] = []
        for b in 0..<batches {
            let objective = try MMDObjective(model: model, train: batch(b, of: batches, data), settings: settings,
                                             seed: seed, communicator: communicator, grid: grid)
            perBatch.append(objective.evaluate(params: model.params, step: evaluationStepBase + UInt64(b),
                                               gradient: false).lossPerSigma)
        }
        return combine(perBatch, sigmas: sigmas)
    }

    /// Chunk b of `batches`: rows b, b + batches, b + 2·batches, … (the reference's split).
    public static func batch(_ b: Int, of batches: Int, _ rows: BitMatrix) -> BitMatrix {
        var chunk = BitMatrix(rows: (rows.rows - b + batches - 1) / batches, columns: rows.columns)
        for (i, r) in stride(from: b, to: rows.rows, by: batches).enumerated() { chunk.setRow(i, words: rows.row(r)) }
        return chunk
    }

    /// Per bandwidth k, the mean of `perBatch[b][k]` over the batches and its standard error
    /// std/√batches.
    public static func combine(_ perBatch: [[Double]], sigmas: [Double]) -> [Estimate] {
        let batches = perBatch.count
        return sigmas.enumerated().map { k, sigma in
            let values = perBatch.map { $0[k] }
            let mean = values.reduce(0, +) / Double(batches)
            let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(batches - 1)
            return Estimate(sigma: sigma, mmdSquared: mean, standardError: (variance / Double(batches)).squareRoot())
        }
    }

    /// The uniform distribution over n bits as a model: the bitflip model with one weight-1
    /// generator per qubit at θ = π/4 has <Z_a> = Π cos(π/2) = 0 for every a ≠ 0, exactly.
    public static func uniformModel(nQubits: Int) throws -> IQPModel {
        let circuit = try Circuit(nQubits: nQubits, gates: (0..<nQubits).map { [[$0]] })
        return try IQPModel(circuit: circuit, params: [Double](repeating: Double.pi / 4, count: nQubits),
                            kind: .bitflip)
    }
}
