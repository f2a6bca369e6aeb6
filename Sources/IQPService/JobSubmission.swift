import Foundation
import IQPCore
import IQPSampler

/// A job body read and checked: `JobRequestBody` decoded with JSONDecoder, and the model read
/// with `ModelFile` (docs/service.md, "Submitting a job").
///
/// The body is scanned once by the project's JSON parser first: it refuses what JSON forbids
/// but JSONDecoder lets pass (duplicate keys), keeps the line of every value, and is the
/// model's reader, so that every error names the body `request` with the line and field, as
/// errors about files do: `request:1: field 'shots': expected a positive integer, got 2.5`.
struct JobSubmission: Sendable {
    var request: SamplingRequest
    /// Whether the seed was given (else it was drawn by the service).
    var seedGiven: Bool

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
        let wire: JobRequestBody
        do {
            wire = try JSONDecoder().decode(JobRequestBody.self, from: Data(body))
        } catch {
            throw RequestErrors(root: root).serviceError(error)
        }
        // A seed is an integer literal (or a string of digits): JSONDecoder would also take 7.0.
        if let node = root["seed"], case .number = node.content, node.uint64 == nil {
            throw .invalidField(RequestErrors(root: root).mismatch(at: "seed").description)
        }
        let model: IQPModel
        do {
            model = try ModelFile.decode(root: root["model"]!, file: file)
        } catch var error as IQPError {
            // The model's field paths are relative to the model; name them in the body.
            error.field = error.field.map { "model." + $0 } ?? "model"
            throw .invalidModel(error)
        } catch {
            throw .invalidModel(IQPError("\(error)", file: file, line: root["model"]!.line, field: "model"))
        }
        var noise = ReadoutNoise.none
        if let given = wire.noise {
            do {
                noise = try ReadoutNoise(p01: given.p01, p10: given.p10)
                try noise.validate(nQubits: model.nQubits)
            } catch var error as IQPError {
                error.file = error.file ?? file
                error.line = error.line ?? error.field.flatMap { root.node(atPath: $0)?.line } ?? root["noise"]?.line
                throw .invalidField(error.description)
            } catch {
                throw .invalidField("\(error)")
            }
        }
        let request = SamplingRequest(model: model, shots: wire.shots, seed: wire.seed ?? randomSeed(), noise: noise,
                                      precision: wire.precision ?? defaultPrecision)
        return JobSubmission(request: request, seedGiven: wire.seed != nil)
    }
}
