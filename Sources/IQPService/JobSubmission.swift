import IQPCore
import IQPSampler

/// The body of `POST /v1/jobs`, read strictly:
///
///     {"model": {…model file JSON…}, "shots": 1000, "seed": 42,
///      "noise": {"p01": 0.01, "p10": [0.02, …]}, "precision": "complex64"}
///
/// `model` and `shots` are required. `seed` (an integer 0…2^64−1, or the same as a decimal
/// string) defaults to a random seed that the status and result report. `noise` gives readout
/// flip probabilities, one number for every qubit or one per qubit. `precision` defaults to the
/// service's. Unknown members are refused, so that a misspelt option is never ignored.
struct JobSubmission: Sendable {
    var request: SamplingRequest
    /// Whether the seed was given (else it was drawn by the service).
    var seedGiven: Bool

    static let members = ["model", "shots", "seed", "noise", "precision"]

    static func decode(_ body: [UInt8], defaultPrecision: Precision,
                       randomSeed: () -> UInt64) throws(ServiceError) -> JobSubmission {
        let document: WireJSON
        do {
            document = try WireJSONParser.parse(body)
        } catch let error as WireJSONError {
            throw .malformedJSON(error)
        } catch {
            throw .invalidField("\(error)")
        }
        guard case .object(let members) = document.value else {
            throw .invalidField("the body must be a JSON object with members model and shots, got \(document.kindName)")
        }
        for member in members where !JobSubmission.members.contains(member.key) {
            throw .invalidField("unknown field '\(member.key)'; the fields are \(JobSubmission.members.joined(separator: ", "))")
        }

        guard let modelValue = document["model"] else { throw .invalidField("field 'model' is required (the model JSON object)") }
        guard case .object = modelValue.value else {
            throw .invalidField("field 'model': expected an object (the model JSON), got \(modelValue.kindName)")
        }
        let modelText = String(decoding: body[modelValue.range], as: UTF8.self)
        let model: IQPModel
        do {
            model = try ModelFile.decode(text: modelText, file: "model")
        } catch let error as IQPError {
            throw .invalidModel(error)
        } catch {
            throw .invalidModel(IQPError("\(error)", file: "model"))
        }

        guard let shotsValue = document["shots"] else { throw .invalidField("field 'shots' is required (a positive integer)") }
        guard let shots = shotsValue.integer else {
            throw .invalidField("field 'shots': expected a positive integer, got \(describe(shotsValue))")
        }
        guard shots >= 1 else { throw .invalidField("field 'shots': must be at least 1, got \(shots)") }
        guard shots <= Int64(Int32.max) else {
            throw .invalidField("field 'shots': \(shots) is not a plausible number of shots")
        }

        var seed = randomSeed()
        var seedGiven = false
        if let seedValue = document["seed"], !isNull(seedValue) {
            switch seedValue.value {
            case .number(let text), .string(let text):
                guard let s = UInt64(text) else {
                    throw .invalidField("field 'seed': expected an integer 0…18446744073709551615, got \(describe(seedValue))")
                }
                seed = s
                seedGiven = true
            default:
                throw .invalidField("field 'seed': expected an integer, got \(seedValue.kindName)")
            }
        }

        var noise = ReadoutNoise.none
        if let noiseValue = document["noise"], !isNull(noiseValue) {
            guard case .object(let noiseMembers) = noiseValue.value else {
                throw .invalidField("field 'noise': expected an object {\"p01\": …, \"p10\": …}, got \(noiseValue.kindName)")
            }
            for member in noiseMembers where member.key != "p01" && member.key != "p10" {
                throw .invalidField("unknown field 'noise.\(member.key)'; the fields are p01, p10")
            }
            let p01 = try probabilities(noiseValue["p01"], name: "noise.p01")
            let p10 = try probabilities(noiseValue["p10"], name: "noise.p10")
            do {
                noise = try ReadoutNoise(p01: p01, p10: p10)
                try noise.validate(nQubits: model.nQubits)
            } catch let error as IQPError {
                throw .invalidField(error.description)
            } catch {
                throw .invalidField("\(error)")
            }
        }

        var precision = defaultPrecision
        if let precisionValue = document["precision"], !isNull(precisionValue) {
            guard let name = precisionValue.string, let p = Precision(rawValue: name) else {
                throw .invalidField("field 'precision': expected \"complex64\" or \"complex128\", got \(describe(precisionValue))")
            }
            precision = p
        }

        let request = SamplingRequest(model: model, shots: Int(shots), seed: seed, noise: noise, precision: precision)
        return JobSubmission(request: request, seedGiven: seedGiven)
    }

    /// A probability list: a number (every qubit), an array of numbers, or absent (0).
    static func probabilities(_ value: WireJSON?, name: String) throws(ServiceError) -> [Double] {
        guard let value, !isNull(value) else { return [0] }
        switch value.value {
        case .number:
            return [value.double!]
        case .array(let elements):
            var out: [Double] = []
            for (i, e) in elements.enumerated() {
                guard let d = e.double else { throw .invalidField("field '\(name)[\(i)]': expected a number, got \(e.kindName)") }
                out.append(d)
            }
            return out
        default:
            throw .invalidField("field '\(name)': expected a number or an array of numbers, got \(value.kindName)")
        }
    }

    static func isNull(_ value: WireJSON) -> Bool {
        if case .null = value.value { return true }
        return false
    }

    /// The value for an error message: the literal for numbers and strings, else its kind.
    static func describe(_ value: WireJSON) -> String {
        switch value.value {
        case .number(let text): return text
        case .string(let s): return "the string \(JSONText.quote(String(s.prefix(40))))"
        default: return value.kindName
        }
    }
}
