extension ModelEvaluation {
    /// Test-set MMD² per bandwidth computed over all 2ⁿ Pauli strings (`iqp eval --exact`, and
    /// the end of `iqp train` on the exact path; docs/math.md §10). The data set is split into
    /// `batches` chunks exactly as `mmdSquared` splits it (row i into chunk i mod batches); each
    /// chunk's loss is exact (U-statistic data term), so the estimate is the mean over chunks and
    /// its standard error covers only the finite data set: there is no estimator noise.
    /// One forward pass of the model, then one data spectrum per chunk. Collective over
    /// `communicator` (the strings are split over the ranks by `ExactVectorLayout`).
    public static func exactMMDSquared(model: IQPModel, data: BitMatrix, sigmas: [Double], batches: Int = 10,
                                       wires: [Int]? = nil, memoryBudget: Int = DenseEstimator.defaultMemoryBudget,
                                       communicator: Communicator = LocalCommunicator()) throws -> [Estimate] {
        guard batches >= 2 else { throw IQPError("needs at least 2 batches for a standard error", field: "batches") }
        guard data.rows >= 2 * batches else {
            throw IQPError("needs at least \(2 * batches) data rows (2 per batch), got \(data.rows)", field: "data")
        }
        let n = model.nQubits
        guard data.columns == n else {
            throw IQPError("the data has \(data.columns) columns but the model has \(n) qubits", field: "data")
        }
        try LossSettings(sigmas: sigmas, wires: wires).validate(nQubits: n)
        try ExactPathCost.admit(nQubits: n, kind: model.kind, dataSets: 1, memoryBudget: memoryBudget)
        let layout = ExactVectorLayout(nQubits: n, communicator: communicator)
        let expectations = ExactPathCost.expectations(for: model, layout: layout)
        expectations.forward(thetaPrime: model.circuit.generatorParameters(model.params))
        let weights = sigmas.map { PauliStringWeights(nQubits: n, sigma: $0, wires: wires) }
        let p = communicator.size, r = communicator.rank
        var perBatch: [[Double]] = []
        for b in 0..<batches {
            let chunk = batch(b, of: batches, data)
            let shard = chunk.rows(ProcessGrid.block(of: chunk.rows, parts: p, index: r))
            let spectrum = try DataParitySpectrum(shard: shard, nQubits: n, communicator: communicator)
            var share = ExactLossTerms.lossPerSigma(expectations: expectations.values, data: spectrum,
                                                    weights: weights, layout: layout)
            communicator.allreduceSum(&share)
            perBatch.append(share)
        }
        return combine(perBatch, sigmas: sigmas)
    }
}
