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
///
/// Errors name the body `request` with the line and field, as errors about files do:
/// `request:1: field 'shots': expected a positive integer, got 2.5`.
struct JobSubmission: Sendable {
    var request: SamplingRequest
    /// Whether the seed was given (else it was drawn by the service).
    var seedGiven: Bool

    static let members = ["model", "shots", "seed", "noise", "precision"]
    /// What errors call the body.
    static let file = "request"

    static func decode(_ body: [UInt8], defaultPrecision: Precision,
                       randomSeed: () -> UInt64) throws(ServiceError) -> JobSubmission {
        let root: JSONNode
        do {
            root = try body.withUnsafeBytes { try JSONParser.parse(bytes: $0, file: file) }
        } catch let error as IQPError {
            throw .malformedJSON(error)
        } catch {
            throw .malformedJSON(IQPError("\(error)", file: file))
        }
        do {
            return try decode(root, defaultPrecision: defaultPrecision, randomSeed: randomSeed)
        } catch let error as ServiceError {
            throw error
        } catch let error as IQPError {
            throw .invalidField(error.description)
        } catch {
            throw .invalidField("\(error)")
        }
    }

    /// Reads the parsed body; a field error is an `IQPError`, a model error a `ServiceError`.
    static func decode(_ root: JSONNode, defaultPrecision: Precision,
                       randomSeed: () -> UInt64) throws -> JobSubmission {
        let document = JSONField(node: root, file: file)
        guard case .object(let members) = root.content else {
            throw document.error("the body must be a JSON object with members model and shots, got \(root.typeDescription)")
        }
        for member in members where !JobSubmission.members.contains(member.key) {
            throw IQPError("unknown field '\(member.key)'; the fields are \(JobSubmission.members.joined(separator: ", "))",
                           file: file, line: member.node.line)
        }
        let fields = try document.object()

        guard let modelField = fields.optional("model") else {
            throw document.error("field 'model' is required (the model JSON object)")
        }
        _ = try modelField.object("an object (the model JSON)")
        let model: IQPModel
        do {
            model = try ModelFile.decode(root: modelField.node, file: file)
        } catch var error as IQPError {
            // The model's field paths are relative to the model; name them in the body.
            error.field = error.field.map { "model." + $0 } ?? "model"
            throw ServiceError.invalidModel(error)
        } catch {
            throw ServiceError.invalidModel(modelField.error("\(error)"))
        }

        guard let shotsField = fields.optional("shots") else {
            throw document.error("field 'shots' is required (a positive integer)")
        }
        guard let shots = try? shotsField.int() else { throw mismatch(shotsField, expected: "a positive integer") }
        guard shots >= 1 else { throw shotsField.error("must be at least 1, got \(shots)") }
        guard shots <= Int(Int32.max) else { throw shotsField.error("\(shots) is not a plausible number of shots") }

        var seed = randomSeed()
        var seedGiven = false
        if let seedField = fields.optional("seed"), !seedField.node.isNull {
            let given: UInt64?
            switch seedField.node.content {
            case .number: given = seedField.node.uint64
            case .string(let text): given = UInt64(text)
            default: throw seedField.error("expected an integer, got \(seedField.node.typeDescription)")
            }
            guard let given else { throw mismatch(seedField, expected: "an integer 0…18446744073709551615") }
            seed = given
            seedGiven = true
        }

        var noise = ReadoutNoise.none
        if let noiseField = fields.optional("noise"), !noiseField.node.isNull {
            let noiseFields = try noiseField.object("an object {\"p01\": …, \"p10\": …}")
            for member in noiseFields.members where member.key != "p01" && member.key != "p10" {
                throw IQPError("unknown field 'noise.\(member.key)'; the fields are p01, p10",
                               file: file, line: member.node.line)
            }
            let p01 = try probabilities(noiseFields.optional("p01"))
            let p10 = try probabilities(noiseFields.optional("p10"))
            do {
                noise = try ReadoutNoise(p01: p01, p10: p10)
                try noise.validate(nQubits: model.nQubits)
            } catch var error as IQPError {
                error.file = error.file ?? file
                error.line = error.line ?? error.field.flatMap { root.node(atPath: $0)?.line } ?? noiseField.line
                throw error
            }
        }

        var precision = defaultPrecision
        if let precisionField = fields.optional("precision"), !precisionField.node.isNull {
            guard let name = precisionField.node.string, let p = Precision(rawValue: name) else {
                throw mismatch(precisionField, expected: "\"complex64\" or \"complex128\"")
            }
            precision = p
        }

        let request = SamplingRequest(model: model, shots: shots, seed: seed, noise: noise, precision: precision)
        return JobSubmission(request: request, seedGiven: seedGiven)
    }

    /// A probability list: a number (every qubit), a list of numbers, or absent (0).
    static func probabilities(_ field: JSONField?) throws -> [Double] {
        guard let field, !field.node.isNull else { return [0] }
        if case .array = field.node.content { return try field.array().map { try $0.double() } }
        return [try field.double("a number or a list of numbers")]
    }

    /// "expected …, got …" at `field`, naming a number or string by its value.
    static func mismatch(_ field: JSONField, expected: String) -> IQPError {
        let got: String
        switch field.node.content {
        case .number(let x, let integer):
            got = integer.map { String($0) } ?? field.node.unsignedInteger.map { String($0) } ?? JSONWriter.format(x)
        case .string(let s):
            got = "the string \(JSONWriter.quote(String(s.prefix(40))))"
        default:
            got = field.node.typeDescription
        }
        return field.error("expected \(expected), got \(got)")
    }
}
