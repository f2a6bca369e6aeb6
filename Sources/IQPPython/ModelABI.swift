import IQPCore

/// A circuit made once from Python (`iqp.IqpSimulator`) and used by every call after: the model
/// file's JSON (`n_qubits`, `gates`, `init_gates`, `spin_sym`, `model`, docs/file-formats.md)
/// read by `ModelFile`, so a bad gate list fails with the file reader's message.
final class ModelHandle: @unchecked Sendable {
    let model: IQPModel

    init(model: IQPModel) { self.model = model }

    /// The model with θ from the caller: all `circuit.parameterCount` values, the trainable gates'
    /// then the fixed layer's (IQPopt's `params` followed by its `init_coefs`).
    func with(params pointer: UnsafePointer<Double>?, count: Int) throws -> IQPModel {
        var m = model
        m.params = try ABIInputs.doubles(pointer, count: count, expected: model.circuit.parameterCount, name: "params")
        return m
    }
}

/// Reads a model from its JSON text; a handle for the calls below, or nil and the reader's error.
@_cdecl("iqp_model_new")
public func iqp_model_new(_ json: UnsafePointer<CChar>?, _ error: UnsafeMutablePointer<CChar>?,
                          _ capacity: Int) -> UnsafeMutableRawPointer? {
    ABIResult.make(error, capacity) {
        guard let text = ABIInputs.string(json) else { throw IQPError("is missing", field: "model") }
        return ABIInputs.handle(ModelHandle(model: try ModelFile.decode(text: text, file: nil)))
    }
}

@_cdecl("iqp_model_free")
public func iqp_model_free(_ handle: UnsafeMutableRawPointer?) {
    ABIInputs.release(handle)
}

/// The model's sizes: qubits, parameters (gates, fixed layer included), fixed gates, generators.
@_cdecl("iqp_model_sizes")
public func iqp_model_sizes(_ handle: UnsafeMutableRawPointer?, _ sizes: UnsafeMutablePointer<Int>?,
                            _ error: UnsafeMutablePointer<CChar>?, _ capacity: Int) -> Int32 {
    ABIResult.run(error, capacity) {
        let m = try ABIInputs.object(handle, ModelHandle.self, name: "circuit").model
        guard let sizes else { throw IQPError("is missing", field: "sizes") }
        sizes[0] = m.nQubits
        sizes[1] = m.circuit.parameterCount
        sizes[2] = m.fixedGateCount
        sizes[3] = m.circuit.generatorCount
    }
}

/// Reads a model file as every `iqp` command reads it (`ModelFile.read`: the same errors, with
/// the file's name and line) and returns its JSON (free with `iqp_string_free`), or nil.
@_cdecl("iqp_model_read")
public func iqp_model_read(_ path: UnsafePointer<CChar>?, _ error: UnsafeMutablePointer<CChar>?,
                           _ capacity: Int) -> UnsafeMutablePointer<CChar>? {
    ABIResult.text(error, capacity) {
        guard let path = ABIInputs.string(path) else { throw IQPError("is missing", field: "path") }
        return ModelFile.encode(try ModelFile.read(path: path))
    }
}
