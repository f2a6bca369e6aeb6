import IQPCore
import IQPSampler

/// The body of `POST /v1/jobs` on the wire (docs/service.md, docs/openapi.yaml), one
/// definition for both sides: `SamplerClient` encodes it with JSONEncoder and the service
/// decodes it with JSONDecoder (`JobSubmission`, which adds the line of the field to every
/// error). Decoding is strict: unknown members are refused, so that a misspelt option is never
/// ignored; `shots` must be 1…2³¹−1; `seed` is a `UInt64` (JSON digits, or a decimal string).
///
///     {"model": {…model file JSON…}, "shots": 1000, "seed": 18446744073709551615,
///      "noise": {"p01": 0.01, "p10": [0.02, …]}, "precision": "complex64"}
public struct JobRequestBody: Codable, Sendable {
    public var model: ModelDocument
    public var shots: Int
    /// nil: the service draws one and reports it.
    public var seed: UInt64?
    public var noise: Noise?
    /// nil: the service's default.
    public var precision: Precision?

    /// The body's members, in the order errors list them.
    static let members = ["model", "shots", "seed", "noise", "precision"]

    public init(model: ModelDocument, shots: Int, seed: UInt64?, noise: Noise?, precision: Precision?) {
        self.model = model; self.shots = shots; self.seed = seed; self.noise = noise; self.precision = precision
    }

    /// The body of `request` as `SamplerClient` sends it (noise only when there is some).
    public init(_ request: SamplingRequest) {
        self.init(model: ModelDocument(request.model), shots: request.shots, seed: request.seed,
                  noise: request.noise.isNone ? nil : Noise(p01: request.noise.p01, p10: request.noise.p10),
                  precision: request.precision)
    }

    enum CodingKeys: String, CodingKey { case model, shots, seed, noise, precision }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: WireKey.self)
        try WireKey.refuseUnknown(in: c, allowed: Self.members)
        let known = try decoder.container(keyedBy: CodingKeys.self)
        guard known.contains(.model) else { throw RequestFieldError(path: "model", reason: .missing) }
        model = try known.decode(ModelDocument.self, forKey: .model)
        guard known.contains(.shots) else { throw RequestFieldError(path: "shots", reason: .missing) }
        // JSONDecoder reports a number that is not an Int without the field's path: name it here.
        guard let shots = try? known.decode(Int.self, forKey: .shots) else { throw RequestFieldError(path: "shots", reason: .mismatch) }
        self.shots = shots
        guard shots >= 1 else { throw RequestFieldError(path: "shots", reason: .invalid("must be at least 1, got \(shots)")) }
        guard shots <= Int(Int32.max) else {
            throw RequestFieldError(path: "shots", reason: .invalid("\(shots) is not a plausible number of shots"))
        }
        seed = try known.decodeIfPresent(Seed.self, forKey: .seed)?.value
        noise = try known.decodeIfPresent(Noise.self, forKey: .noise)
        precision = try known.decodeIfPresent(Precision.self, forKey: .precision)
    }

    /// A seed as JSON digits or as a decimal string ("18446744073709551615").
    struct Seed: Decodable {
        var value: UInt64
        init(from decoder: any Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let number = try? c.decode(UInt64.self) { value = number; return }
            guard let text = try? c.decode(String.self), let number = UInt64(text) else {
                throw RequestFieldError(path: "seed", reason: .mismatch)
            }
            value = number
        }
    }

    /// Readout flip probabilities: one number for every qubit or one per qubit, each list
    /// absent meaning 0 (`IQPSampler.ReadoutNoise`).
    public struct Noise: Codable, Sendable {
        public var p01: [Double]
        public var p10: [Double]

        public init(p01: [Double], p10: [Double]) { self.p01 = p01; self.p10 = p10 }

        enum CodingKeys: String, CodingKey { case p01, p10 }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: WireKey.self)
            try WireKey.refuseUnknown(in: c, allowed: ["p01", "p10"], prefix: "noise.")
            let known = try decoder.container(keyedBy: CodingKeys.self)
            p01 = try known.decodeIfPresent(Probabilities.self, forKey: .p01)?.values ?? [0]
            p10 = try known.decodeIfPresent(Probabilities.self, forKey: .p10)?.values ?? [0]
        }

        /// One value is written as a number, several as a list.
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            for (key, values) in [(CodingKeys.p01, p01), (.p10, p10)] {
                if values.count == 1 { try c.encode(values[0], forKey: key) } else { try c.encode(values, forKey: key) }
            }
        }
    }

    /// A number or a list of numbers.
    struct Probabilities: Decodable {
        var values: [Double]
        init(from decoder: any Decoder) throws {
            if var list = try? decoder.unkeyedContainer() {
                values = []
                while !list.isAtEnd { values.append(try list.decode(Double.self)) }
            } else {
                values = [try decoder.singleValueContainer().decode(Double.self)]
            }
        }
    }
}
