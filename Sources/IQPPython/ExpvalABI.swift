import IQPCore
import IQPSampler

/// ⟨Z_a⟩ of Pauli-Z strings (`IqpSimulator.op_expval`), as `iqp expval` computes them: the Monte
/// Carlo estimate over `samples` samples z with its standard error (docs/math.md §2;
/// `ExpectationEstimate`, seed = `--seed`), or with `exact` non-zero the exact values from all 2ⁿ
/// strings (docs/math.md §10; `ExactExpectation`, `--exact`, standard error 0). The bitflip model
/// is always exact (docs/math.md §9).
///
/// `ops` holds `opCount` rows of `columns` 0/1 bytes; `means` and `standardErrors` receive
/// `opCount` values each.
@_cdecl("iqp_op_expval")
public func iqp_op_expval(_ modelHandle: UnsafeMutableRawPointer?, _ params: UnsafePointer<Double>?, _ count: Int,
                          _ ops: UnsafePointer<UInt8>?, _ opCount: Int, _ columns: Int,
                          _ samples: Int, _ seed: UInt64, _ exact: Int32, _ memoryBudget: Int,
                          _ means: UnsafeMutablePointer<Double>?, _ standardErrors: UnsafeMutablePointer<Double>?,
                          _ error: UnsafeMutablePointer<CChar>?, _ capacity: Int) -> Int32 {
    ABIResult.run(error, capacity) {
        let model = try ABIInputs.object(modelHandle, ModelHandle.self, name: "circuit").with(params: params, count: count)
        let strings = try ABIInputs.bits(ops, rows: opCount, columns: columns, name: "ops")
        guard strings.columns == model.nQubits else {
            throw IQPError("has \(strings.columns) columns but the circuit has \(model.nQubits) qubits", field: "ops")
        }
        guard let means, let standardErrors else { throw IQPError("an output buffer is missing", field: "op_expval") }
        let budget = memoryBudget > 0 ? memoryBudget : DenseEstimator.defaultMemoryBudget
        if exact != 0 {
            let values = try ExactExpectation.values(model: model, strings: strings, memoryBudget: budget)
            for (i, v) in values.enumerated() { means[i] = v; standardErrors[i] = 0 }
            return
        }
        try ABIInputs.positive(samples, minimum: 2, name: "n_samples")
        let settings = LossSettings(sigmas: [1], stringsPerSigma: max(1, opCount), samples: samples, memoryBudget: budget)
        try MemoryAdmission(budget: budget).admit(StepMemory.needs(
            model: (model.circuit, model.kind), settings: settings,
            sizes: .init(strings: opCount, stringsOption: "ops", samples: samples, samplesOption: "n_samples"),
            gridColumns: 1, dataSets: 1))
        let values = try ExpectationEstimate.estimate(model: model, strings: strings, samples: samples, seed: seed,
                                                      memoryBudget: budget)
        for (i, v) in values.enumerated() { means[i] = v.mean; standardErrors[i] = v.standardError }
    }
}
