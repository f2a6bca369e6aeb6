import Foundation

/// Everything root needs to continue a run exactly (docs/file-formats.md, "Checkpoint"):
/// steps completed, parameters, Adam moments, loss history, seed, loss settings, learning rate,
/// circuit, and a fingerprint of the training data. Written atomically (temporary file +
/// rename), so a crash during a write leaves the previous checkpoint valid. Because every
/// random number of step t is keyed by (seed, t, …), a resumed run — on any number of ranks —
/// continues exactly as the uninterrupted one would have.
public struct Checkpoint: Sendable {
    public static let formatName = "iqp-checkpoint-1"

    public var step: Int
    public var seed: UInt64
    public var model: IQPModel
    public var params: [Double]
    public var adam: Adam.State
    public var history: [TrainingRecord]
    public var settings: LossSettings
    public var learningRate: Double
    public var dataFingerprint: String

    public init(step: Int, seed: UInt64, model: IQPModel, params: [Double], adam: Adam.State,
                history: [TrainingRecord], settings: LossSettings, learningRate: Double, dataFingerprint: String) {
        self.step = step; self.seed = seed; self.model = model; self.params = params; self.adam = adam
        self.history = history; self.settings = settings; self.learningRate = learningRate
        self.dataFingerprint = dataFingerprint
    }

    static func numbers(_ xs: [Double]) -> JSONValue { .array(xs.map { .number($0) }) }

    public func encode() -> String {
        var modelNow = model
        modelNow.params = params
        let modelValue: JSONValue
        do { modelValue = try JSONParser.parse(ModelFile.encode(modelNow)).value } catch { modelValue = .null }
        let value: JSONValue = .object([
            JSONMember("format", .string(Checkpoint.formatName)),
            JSONMember("step", .number(Double(step))),
            JSONMember("seed", .string(String(seed))),
            JSONMember("learning_rate", .number(learningRate)),
            JSONMember("sigma", Checkpoint.numbers(settings.sigmas)),
            JSONMember("ops", .number(Double(settings.stringsPerSigma))),
            JSONMember("samples", .number(Double(settings.samples))),
            JSONMember("wires", settings.wires.map { .array($0.map { .number(Double($0)) }) } ?? .null),
            JSONMember("data_fingerprint", .string(dataFingerprint)),
            JSONMember("adam_count", .number(Double(adam.count))),
            JSONMember("adam_m", Checkpoint.numbers(adam.m)),
            JSONMember("adam_v", Checkpoint.numbers(adam.v)),
            JSONMember("history", .object([
                JSONMember("step", .array(history.map { .number(Double($0.step)) })),
                JSONMember("loss", Checkpoint.numbers(history.map(\.loss))),
                JSONMember("validation_loss", .array(history.map { $0.validationLoss.map(JSONValue.number) ?? .null })),
                JSONMember("seconds", Checkpoint.numbers(history.map(\.seconds))),
            ])),
            JSONMember("model", modelValue),
        ])
        return JSONWriter.encode(value)
    }

    public func write(to path: String) throws {
        try AtomicFile.write(encode(), to: path)
    }

    public static func read(path: String) throws -> Checkpoint {
        let root = try JSONParser.read(path: path)
        let top = try JSONField(node: root, file: path).object()
        let format = try top.required("format").string()
        guard format == formatName else {
            throw try top.required("format").error("is '\(format)', expected '\(formatName)'")
        }
        let seedField = try top.required("seed")
        guard let seed = UInt64(try seedField.string()) else { throw seedField.error("is not an unsigned 64-bit integer") }
        let modelField = try top.required("model")
        var model = try ModelFile.decode(root: modelField.node, file: path)
        let params = model.params
        model.metadata = [:]
        let wiresField = top.optional("wires")
        var wires: [Int]? = nil
        if let wiresField, case .array = wiresField.node.content { wires = try wiresField.array().map { try $0.int() } }
        let settings = LossSettings(sigmas: try top.required("sigma").array().map { try $0.double() },
                                    stringsPerSigma: try top.required("ops").int(),
                                    samples: try top.required("samples").int(), wires: wires)
        let m = try top.required("adam_m").array().map { try $0.double() }
        let v = try top.required("adam_v").array().map { try $0.double() }
        guard m.count == params.count, v.count == params.count else {
            throw try top.required("adam_m").error("has \(m.count) values, expected \(params.count)")
        }
        let h = try top.required("history").object()
        let steps = try h.required("step").array().map { try $0.int() }
        let losses = try h.required("loss").array().map { try $0.double() }
        let vals = try h.required("validation_loss").array().map { f -> Double? in
            if case .null = f.node.content { return nil }
            return try f.double()
        }
        let seconds = try h.required("seconds").array().map { try $0.double() }
        guard losses.count == steps.count, vals.count == steps.count, seconds.count == steps.count else {
            throw try top.required("history").error("its lists have different lengths")
        }
        let history = (0..<steps.count).map {
            TrainingRecord(step: steps[$0], loss: losses[$0], validationLoss: vals[$0], seconds: seconds[$0])
        }
        return Checkpoint(step: try top.required("step").int(), seed: seed, model: model, params: params,
                          adam: Adam.State(m: m, v: v, count: try top.required("adam_count").int()),
                          history: history, settings: settings,
                          learningRate: try top.required("learning_rate").double(),
                          dataFingerprint: try top.required("data_fingerprint").string())
    }

    /// Checks that this checkpoint continues the run described by the arguments; the error
    /// names the first setting that differs.
    public func checkCompatible(model other: IQPModel, settings s: LossSettings, seed otherSeed: UInt64,
                                dataFingerprint fp: String, file: String) throws {
        func mismatch(_ what: String, _ field: String) -> IQPError {
            IQPError("the checkpoint was written with a different \(what); resume with the same settings", file: file, field: field)
        }
        guard other.circuit == model.circuit else { throw mismatch("circuit", "model.gates") }
        guard other.spinSym == model.spinSym, other.kind == model.kind else { throw mismatch("model", "model") }
        guard other.fixedGateCount == model.fixedGateCount else { throw mismatch("fixed layer", "model.init_gates") }
        guard s.sigmas == settings.sigmas else { throw mismatch("bandwidth list", "sigma") }
        guard s.stringsPerSigma == settings.stringsPerSigma else { throw mismatch("number of Pauli strings", "ops") }
        guard s.samples == settings.samples else { throw mismatch("number of samples", "samples") }
        guard s.wires == settings.wires else { throw mismatch("wire list", "wires") }
        guard otherSeed == seed else { throw mismatch("seed", "seed") }
        guard fp == dataFingerprint else { throw mismatch("training data", "data_fingerprint") }
    }
}
