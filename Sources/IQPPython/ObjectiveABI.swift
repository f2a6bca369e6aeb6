import Foundation
import IQPCore

/// The MMD² loss of one circuit against one data set (`iqp.gen_qml.mmd_loss_iqp`): an
/// `MMDObjective` over a `LocalCommunicator`, made once per (circuit, data, σ, n_ops,
/// n_samples, wires, estimator, key) and evaluated at any θ and step (docs/math.md §2–§5, §10).
/// The settings are resolved as `iqp train` resolves them: `auto` takes the exact path where
/// `ExactPathCost` does, and a step's buffers are admitted against the memory budget first.
final class ObjectiveHandle: @unchecked Sendable {
    let objective: MMDObjective
    init(objective: MMDObjective) { self.objective = objective }

    var parameterCount: Int { objective.model.circuit.parameterCount }
}

/// Makes the loss of `model` on the `rows × columns` 0/1 rows of `data` (and the validation rows,
/// when given). `sigmas`, `ops`, `samples`, `wires` (nil: all), `estimator` (dense, fast, auto,
/// exact) and `memoryBudget` (bytes; 0: the default) are `iqp train`'s `--sigma`, `--ops`,
/// `--samples`, `--wires`, `--estimator`, `--memory-budget`; `seed` is `--seed`.
@_cdecl("iqp_objective_new")
public func iqp_objective_new(_ modelHandle: UnsafeMutableRawPointer?,
                              _ data: UnsafePointer<UInt8>?, _ rows: Int, _ columns: Int,
                              _ validation: UnsafePointer<UInt8>?, _ validationRows: Int,
                              _ sigmas: UnsafePointer<Double>?, _ sigmaCount: Int, _ ops: Int, _ samples: Int,
                              _ wires: UnsafePointer<Int>?, _ wireCount: Int,
                              _ estimator: UnsafePointer<CChar>?, _ memoryBudget: Int, _ seed: UInt64,
                              _ error: UnsafeMutablePointer<CChar>?, _ capacity: Int) -> UnsafeMutableRawPointer? {
    ABIResult.make(error, capacity) {
        let model = try ABIInputs.object(modelHandle, ModelHandle.self, name: "circuit").model
        let train = try ABIInputs.bits(data, rows: rows, columns: columns, name: "ground_truth")
        let held = validationRows > 0
            ? try ABIInputs.bits(validation, rows: validationRows, columns: columns, name: "val_kwargs['ground_truth']")
            : nil
        var settings = LossSettings(sigmas: try ABIInputs.doubles(sigmas, count: sigmaCount, name: "sigma"),
                                    stringsPerSigma: ops, samples: samples)
        if let wires, wireCount > 0 { settings.wires = Array(UnsafeBufferPointer(start: wires, count: wireCount)) }
        if memoryBudget > 0 { settings.memoryBudget = memoryBudget }
        let name = ABIInputs.string(estimator) ?? "auto"
        guard let path = EstimatorPath(rawValue: name) else {
            let names = EstimatorPath.allCases.map(\.rawValue).joined(separator: ", ")
            throw IQPError("must be one of \(names), got '\(name)'", field: "estimator")
        }
        settings.estimator = path
        guard train.columns == model.nQubits else {
            throw IQPError("has \(train.columns) columns but the circuit has \(model.nQubits) qubits", field: "ground_truth")
        }
        try settings.validate(nQubits: model.nQubits)
        let dataSets = held == nil ? 1 : 2
        let resolved = try ExactPathCost.resolve(settings, circuit: model.circuit, kind: model.kind, dataSets: dataSets)
        if resolved.estimator != .exact {
            try MemoryAdmission(budget: resolved.memoryBudget).admit(StepMemory.needs(
                model: (model.circuit, model.kind), settings: resolved,
                sizes: .init(strings: ops, stringsOption: "n_ops", samples: samples, samplesOption: "n_samples"),
                gridColumns: 1, dataSets: dataSets))
        }
        let objective = try MMDObjective(model: model, train: train, validation: held, settings: resolved, seed: seed,
                                         communicator: LocalCommunicator())
        return ABIInputs.handle(ObjectiveHandle(objective: objective))
    }
}

@_cdecl("iqp_objective_free")
public func iqp_objective_free(_ handle: UnsafeMutableRawPointer?) {
    ABIInputs.release(handle)
}

/// The estimator path the loss runs (`exact`, `dense`, `fast` or `auto`: chosen per block), a
/// static C string.
@_cdecl("iqp_objective_estimator")
public func iqp_objective_estimator(_ handle: UnsafeMutableRawPointer?) -> UnsafePointer<CChar>? {
    guard let handle else { return nil }
    let objective = Unmanaged<ObjectiveHandle>.fromOpaque(handle).takeUnretainedValue().objective
    return UnsafePointer(estimatorNames[objective.settings.estimator])
}

nonisolated(unsafe) private let estimatorNames: [EstimatorPath: UnsafeMutablePointer<CChar>] =
    Dictionary(uniqueKeysWithValues: EstimatorPath.allCases.map { ($0, strdup($0.rawValue)!) })

/// One evaluation at θ (`count` values) with the random streams of `step`: the loss (mean over
/// σ) into `loss[0]`, the validation loss into `loss[1]` when `validation` is non-zero (NaN
/// without validation rows), and ∂L/∂θ into `gradient` (`count` values; nil: no gradient).
@_cdecl("iqp_objective_evaluate")
public func iqp_objective_evaluate(_ handle: UnsafeMutableRawPointer?, _ params: UnsafePointer<Double>?, _ count: Int,
                                   _ step: UInt64, _ validation: Int32, _ loss: UnsafeMutablePointer<Double>?,
                                   _ gradient: UnsafeMutablePointer<Double>?,
                                   _ error: UnsafeMutablePointer<CChar>?, _ capacity: Int) -> Int32 {
    ABIResult.run(error, capacity) {
        let h = try ABIInputs.object(handle, ObjectiveHandle.self, name: "loss")
        let theta = try ABIInputs.doubles(params, count: count, expected: h.parameterCount, name: "params")
        guard let loss else { throw IQPError("is missing", field: "loss") }
        let result = h.objective.evaluate(params: theta, step: step, validation: validation != 0,
                                          gradient: gradient != nil)
        loss[0] = result.loss
        loss[1] = result.validationLoss ?? .nan
        if let gradient, count > 0 { result.gradient.withUnsafeBufferPointer { gradient.update(from: $0.baseAddress!, count: count) } }
    }
}
