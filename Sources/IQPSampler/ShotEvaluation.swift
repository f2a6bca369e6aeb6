import IQPCore

/// The sample-based MMD² of shots — from the simulator, or from quantum hardware
/// (`iqp eval --samples-file`) — against a data set, per bandwidth, with the standard error
/// of `ModelEvaluation`: shots and data are both split into `batches` chunks (row i into chunk
/// i mod batches), batch b is the unbiased U-statistic `SampleMMD` of shot chunk b against data
/// chunk b (docs/math.md §3), and the estimate is the batch mean with standard error
/// std(batch values)/√batches. The batches are independent, so the standard error covers both
/// the finite shots and the finite data set.
public enum ShotEvaluation {
    public static func mmdSquared(samples: BitMatrix, data: BitMatrix, sigmas: [Double],
                                  batches: Int = 10) throws -> [ModelEvaluation.Estimate] {
        guard batches >= 2 else { throw IQPError("needs at least 2 batches for a standard error", field: "batches") }
        guard samples.columns == data.columns else {
            throw IQPError("the shots have \(samples.columns) bits, the data \(data.columns)", field: "samples-file")
        }
        guard samples.rows >= 2 * batches else {
            throw IQPError("needs at least \(2 * batches) shots (2 per batch), got \(samples.rows)", field: "samples-file")
        }
        guard data.rows >= 2 * batches else {
            throw IQPError("needs at least \(2 * batches) data rows (2 per batch), got \(data.rows)", field: "data")
        }
        let perBatch = (0..<batches).map { b in
            SampleMMD.unbiased(samples: ModelEvaluation.batch(b, of: batches, samples),
                               data: ModelEvaluation.batch(b, of: batches, data), sigmas: sigmas)
        }
        return ModelEvaluation.combine(perBatch, sigmas: sigmas)
    }
}
