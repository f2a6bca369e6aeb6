import IQPCore

/// The `model` member: the model file's JSON object (docs/file-formats.md). The client
/// encodes `ModelFile.value`; the service checks here only that it is an object, and reads it
/// with `ModelFile` from the scanned body, so that a model error names its line as it does in
/// a model file (`request:3: field 'model.gates[1][0][1]': …`).
public struct ModelDocument: Codable, Sendable {
    /// The model file's JSON; `.null` when decoded (the service reads the model itself from
    /// the scanned body).
    public var value: JSONValue

    public init(_ model: IQPModel) { value = ModelFile.value(model) }

    public init(from decoder: any Decoder) throws {
        _ = try decoder.container(keyedBy: WireKey.self)
        value = .null
    }

    public func encode(to encoder: any Encoder) throws { try Self.encode(value, to: encoder) }

    /// JSON numbers that are integers within ±2⁵³ are written as integers (qubit indices),
    /// the rest (and −0) as the shortest text that reads back to the same `Double`.
    static func encode(_ value: JSONValue, to encoder: any Encoder) throws {
        switch value {
        case .object(let members):
            var c = encoder.container(keyedBy: WireKey.self)
            for member in members { try encode(member.value, to: c.superEncoder(forKey: WireKey(member.key))) }
        case .array(let items):
            var c = encoder.unkeyedContainer()
            for item in items { try encode(item, to: c.superEncoder()) }
        case .number(let x):
            var c = encoder.singleValueContainer()
            if x == x.rounded(), abs(x) <= 9_007_199_254_740_992, x.sign == .plus || x != 0 {
                try c.encode(Int64(x))
            } else {
                try c.encode(x)
            }
        case .string(let s):
            var c = encoder.singleValueContainer()
            try c.encode(s)
        case .bool(let b):
            var c = encoder.singleValueContainer()
            try c.encode(b)
        case .null:
            var c = encoder.singleValueContainer()
            try c.encodeNil()
        }
    }
}
