import IQPCore
import IQPSampler

/// The exact distribution and exact shots of a circuit (`IqpSimulator.probs`, `.sample`), as
/// `iqp sample` draws them: the state vector by two fast Walsh–Hadamard transforms
/// (docs/math.md §7–§8; `ExactIQPSimulator`), the bitflip model classically (docs/math.md §9).

/// The 2ⁿ probabilities into `probabilities` (`length` must be 2ⁿ; index x has qubit i in bit i).
@_cdecl("iqp_probs")
public func iqp_probs(_ modelHandle: UnsafeMutableRawPointer?, _ params: UnsafePointer<Double>?, _ count: Int,
                      _ probabilities: UnsafeMutablePointer<Double>?, _ length: Int,
                      _ error: UnsafeMutablePointer<CChar>?, _ capacity: Int) -> Int32 {
    ABIResult.run(error, capacity) {
        let model = try ABIInputs.object(modelHandle, ModelHandle.self, name: "circuit").with(params: params, count: count)
        guard model.kind == .iqp else { throw IQPError("probs is exact for IQP circuits only, not the bitflip model", field: "bitflip") }
        guard model.nQubits <= 30 else {
            throw IQPError("probs lists all 2^\(model.nQubits) outcomes; at most 30 qubits", field: "n_qubits")
        }
        guard let probabilities, length == 1 << model.nQubits else {
            throw IQPError("needs a buffer of 2^\(model.nQubits) values", field: "probs")
        }
        try SamplerLimits.automatic().admit(model: model, precision: .complex128, shots: 1, budgetName: "the memory budget")
        let p = try ExactIQPSimulator(model: model).probabilities()
        for (i, v) in p.enumerated() { probabilities[i] = v }
    }
}

/// `shots` exact shots into `out` (`shots × n` bytes 0/1, row-major), with the stream of `seed`
/// (`iqp sample --seed`: the same shots). With `out` nil: only the checks (the shot count and the
/// memory limit of `SamplerLimits.automatic`), so the caller allocates `out` only when they pass.
@_cdecl("iqp_sample")
public func iqp_sample(_ modelHandle: UnsafeMutableRawPointer?, _ params: UnsafePointer<Double>?, _ count: Int,
                       _ shots: Int, _ seed: UInt64, _ out: UnsafeMutablePointer<UInt8>?,
                       _ error: UnsafeMutablePointer<CChar>?, _ capacity: Int) -> Int32 {
    ABIResult.run(error, capacity) {
        let model = try ABIInputs.object(modelHandle, ModelHandle.self, name: "circuit").with(params: params, count: count)
        try ABIInputs.positive(shots, name: "shots")
        let limits = SamplerLimits.automatic()
        try limits.admit(model: model, precision: .complex128, shots: shots)
        guard let out else { return }
        let outcome = try ShotSampler.run(SamplingRequest(model: model, shots: shots, seed: seed), limits: limits)
        let n = model.nQubits
        for r in 0..<shots {
            for c in 0..<n { out[r * n + c] = outcome.shots[r, c] ? 1 : 0 }
        }
    }
}
