import Foundation
import IQPCore

/// IQPopt's data-driven helpers (`iqp.utils`, `iqp.gen_qml.utils`) as `iqp train` computes them:
/// `gates_from_covariance` (`--gates covariance:K`), `initialize_from_data` (`--init data`,
/// docs/math.md §6), `median_heuristic` and `sigma_heuristic` (`--sigma median`,
/// `--sigma heuristic:K`).

/// The gates of the `pairCount` most covariant qubit pairs (weight-1 gates first when `local`
/// is non-zero), as JSON `[[[i, j]], …]` (free with `iqp_string_free`).
@_cdecl("iqp_gates_from_covariance")
public func iqp_gates_from_covariance(_ data: UnsafePointer<UInt8>?, _ rows: Int, _ columns: Int, _ pairCount: Int,
                                      _ local: Int32, _ error: UnsafeMutablePointer<CChar>?,
                                      _ capacity: Int) -> UnsafeMutablePointer<CChar>? {
    ABIResult.text(error, capacity) {
        let matrix = try ABIInputs.bits(data, rows: rows, columns: columns, name: "data")
        guard rows >= 2 else { throw IQPError("needs at least 2 rows, got \(rows)", field: "data") }
        let gates = try GateBuilders.covariance(data: matrix, pairCount: pairCount, local: local != 0)
        return "[" + gates.map { gate in
            "[" + gate.map { "[" + $0.map(String.init).joined(separator: ",") + "]" }.joined(separator: ",") + "]"
        }.joined(separator: ",") + "]"
    }
}

/// The data initialisation of the model's gates into `params` (`count` values): `scale` ≤ 0
/// or NaN for `--init-scale`'s default, `paramNoise` the N(0, σ²) of the other gates drawn with
/// `seed`.
@_cdecl("iqp_initialize_from_data")
public func iqp_initialize_from_data(_ modelHandle: UnsafeMutableRawPointer?, _ data: UnsafePointer<UInt8>?,
                                     _ rows: Int, _ columns: Int, _ scale: Double, _ paramNoise: Double, _ seed: UInt64,
                                     _ params: UnsafeMutablePointer<Double>?, _ count: Int,
                                     _ error: UnsafeMutablePointer<CChar>?, _ capacity: Int) -> Int32 {
    ABIResult.run(error, capacity) {
        let model = try ABIInputs.object(modelHandle, ModelHandle.self, name: "gates").model
        let matrix = try ABIInputs.bits(data, rows: rows, columns: columns, name: "data")
        guard columns == model.nQubits else {
            throw IQPError("has \(columns) columns but the gates act on \(model.nQubits) qubits", field: "data")
        }
        guard paramNoise >= 0 && paramNoise.isFinite else {
            throw IQPError("must be at least 0, got \(paramNoise)", field: "param_noise")
        }
        guard let params, count == model.circuit.parameterCount else {
            throw IQPError("needs \(model.circuit.parameterCount) values", field: "params")
        }
        let theta = try Initialization.data.parameters(for: model.circuit, data: matrix, seed: seed,
                                                       scale: scale > 0 && scale.isFinite ? scale : nil,
                                                       paramNoise: paramNoise)
        for (i, v) in theta.enumerated() { params[i] = v }
    }
}

/// IQPopt's median heuristic of the first 1000 rows (`Bandwidth.medianHeuristic`) into `out[0]`.
@_cdecl("iqp_median_heuristic")
public func iqp_median_heuristic(_ data: UnsafePointer<UInt8>?, _ rows: Int, _ columns: Int,
                                 _ out: UnsafeMutablePointer<Double>?,
                                 _ error: UnsafeMutablePointer<CChar>?, _ capacity: Int) -> Int32 {
    ABIResult.run(error, capacity) {
        let matrix = try ABIInputs.bits(data, rows: min(rows, Bandwidth.heuristicRows), columns: columns, name: "X")
        guard rows >= 1, let out else { throw IQPError("needs at least 1 row", field: "X") }
        out[0] = Bandwidth.medianHeuristic(matrix)
    }
}

/// IQPopt's `sigma_heuristic`: `count` bandwidths from the median heuristic into `out`.
@_cdecl("iqp_sigma_heuristic")
public func iqp_sigma_heuristic(_ data: UnsafePointer<UInt8>?, _ rows: Int, _ columns: Int, _ count: Int,
                                _ out: UnsafeMutablePointer<Double>?,
                                _ error: UnsafeMutablePointer<CChar>?, _ capacity: Int) -> Int32 {
    ABIResult.run(error, capacity) {
        let matrix = try ABIInputs.bits(data, rows: min(rows, Bandwidth.heuristicRows), columns: columns, name: "X")
        try ABIInputs.positive(count, name: "n_sigmas")
        guard rows >= 1, let out else { throw IQPError("needs at least 1 row", field: "X") }
        let sigmas = Bandwidth.sigmaHeuristic(nQubits: columns, median: Bandwidth.medianHeuristic(matrix), count: count)
        for (i, v) in sigmas.enumerated() { out[i] = v }
    }
}
