import IQPCore

/// The circuit at θ as OpenQASM (`iqp export`, docs/hardware.md; `QASMExport`, docs/math.md §1):
/// `dialect` "qasm3" or "qasm2". Returns the text (free it with `iqp_string_free`), or nil.
@_cdecl("iqp_export_qasm")
public func iqp_export_qasm(_ modelHandle: UnsafeMutableRawPointer?, _ params: UnsafePointer<Double>?, _ count: Int,
                            _ dialect: UnsafePointer<CChar>?,
                            _ error: UnsafeMutablePointer<CChar>?, _ capacity: Int) -> UnsafeMutablePointer<CChar>? {
    ABIResult.text(error, capacity) {
        let model = try ABIInputs.object(modelHandle, ModelHandle.self, name: "circuit").with(params: params, count: count)
        let name = ABIInputs.string(dialect) ?? "qasm3"
        guard let version = QASMDialect(rawValue: name) else {
            throw IQPError("must be qasm3 or qasm2, got '\(name)'", field: "dialect")
        }
        return try QASMExport(model: model, dialect: version, source: "Python").text
    }
}

/// The model file's JSON of the circuit at θ (`ModelFile`, docs/file-formats.md): what
/// `iqp train --out` writes and every `iqp` command reads.
@_cdecl("iqp_model_json")
public func iqp_model_json(_ modelHandle: UnsafeMutableRawPointer?, _ params: UnsafePointer<Double>?, _ count: Int,
                           _ error: UnsafeMutablePointer<CChar>?, _ capacity: Int) -> UnsafeMutablePointer<CChar>? {
    ABIResult.text(error, capacity) {
        ModelFile.encode(try ABIInputs.object(modelHandle, ModelHandle.self, name: "circuit").with(params: params, count: count))
    }
}
