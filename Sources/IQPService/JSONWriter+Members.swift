import IQPCore

extension JSONWriter {
    /// A one-line JSON object, `{"model": {…}, "seed": 18446744073709551615}`, from members
    /// whose values are already JSON text (`quote`, `encodeCompact`, an integer's digits, or
    /// the model file's own text), in the given order. The client writes job bodies this way:
    /// the model is embedded as its file's text, and `JSONValue` holds numbers as Double,
    /// which would round a 64-bit seed.
    static func object(_ members: [(String, String)]) -> String {
        "{" + members.map { quote($0.0) + ": " + $0.1 }.joined(separator: ", ") + "}"
    }
}
