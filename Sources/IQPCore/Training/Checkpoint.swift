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
    /// The run's settings and input files (`iqp train`); nil in checkpoints written without them.
    public var run: RunRecord?

    public init(step: Int, seed: UInt64, model: IQPModel, params: [Double], adam: Adam.State,
                history: [TrainingRecord], settings: LossSettings, learningRate: Double, dataFingerprint: String,
                run: RunRecord? = nil) {
        self.step = step; self.seed = seed; self.model = model; self.params = params; self.adam = adam
        self.history = history; self.settings = settings; self.learningRate = learningRate
        self.dataFingerprint = dataFingerprint
        self.run = run
    }

    static func numbers(_ xs: [Double]) -> JSONValue { .array(xs.map { .number($0) }) }

    /// The checkpoint's JSON text. Its `model` member is the model file's object
    /// (`ModelFile.value`) with this checkpoint's `params`.
    public func encode() throws -> String {
        var modelNow = model
        modelNow.params = params
        guard params.allSatisfy(\.isFinite), adam.m.allSatisfy(\.isFinite), adam.v.allSatisfy(\.isFinite) else {
            throw IQPError("cannot checkpoint step \(step): the parameters or the Adam moments are not finite")
        }
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
            JSONMember("model", ModelFile.value(modelNow)),
            JSONMember("run", run?.json ?? .null),
        ])
        return JSONWriter.encode(value)
    }

    /// Writes `encode()` atomically (temporary file + rename).
    public func write(to path: String) throws {
        let text: String
        do { text = try encode() } catch let error as IQPError { throw error.inFile(path) }
        try AtomicFile.write(text, to: path)
    }

    /// Checks that this checkpoint continues the run described by the arguments; the error
    /// names the file and the first setting that differs.
    public func checkCompatible(model other: IQPModel, settings s: LossSettings, seed otherSeed: UInt64,
                                dataFingerprint fp: String, file: String) throws {
        try checkCompatible(circuit: other.circuit, spinSym: other.spinSym, kind: other.kind, settings: s,
                            seed: otherSeed, dataFingerprint: fp, file: file, fixedGateCount: other.fixedGateCount)
    }

    /// Same, before the run's model exists (its parameter count may not match this checkpoint's).
    public func checkCompatible(circuit: Circuit, spinSym: Bool, kind: ModelKind, settings s: LossSettings,
                                seed otherSeed: UInt64, dataFingerprint fp: String, file: String,
                                fixedGateCount: Int? = nil, learningRate otherRate: Double? = nil) throws {
        func mismatch(_ what: String, _ field: String, _ detail: String = "") -> IQPError {
            IQPError("the checkpoint was written with a different \(what)\(detail); resume with the same settings",
                     file: file, field: field)
        }
        func describe(_ c: Circuit) -> String { "\(c.nQubits) qubits, \(c.parameterCount) parameters" }
        guard circuit == model.circuit else {
            throw mismatch("circuit", "model.gates",
                           " (\(describe(model.circuit)); this run: \(describe(circuit)))")
        }
        guard spinSym == model.spinSym else { throw mismatch("start state", "model.spin_sym") }
        guard kind == model.kind else { throw mismatch("model kind", "model.model") }
        if let fixedGateCount, fixedGateCount != model.fixedGateCount { throw mismatch("fixed layer", "model.init_gates") }
        guard s.sigmas == settings.sigmas else { throw mismatch("bandwidth list", "sigma") }
        guard s.stringsPerSigma == settings.stringsPerSigma else { throw mismatch("number of Pauli strings", "ops") }
        guard s.samples == settings.samples else { throw mismatch("number of samples", "samples") }
        guard s.wires == settings.wires else { throw mismatch("wire list", "wires") }
        guard otherSeed == seed else { throw mismatch("seed", "seed") }
        guard fp == dataFingerprint else { throw mismatch("training data", "data_fingerprint") }
        // Adam's moments were built with this rate: another would not continue the run exactly.
        if let otherRate, otherRate != learningRate {
            throw mismatch("learning rate", "learning_rate", " (\(learningRate); this run: \(IQPError.ref("learningRate")) \(otherRate))")
        }
    }
}
