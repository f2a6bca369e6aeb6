import Foundation

/// Everything `iqp train` does between parsing its arguments and dispatching the trained model:
/// read and validate every input (before any collective), build the circuit, initialise,
/// train, write the model (root), evaluate on the test set, write phase timings.
/// The same code runs on one rank (dry run) and on many (MPI).
///
/// The embedded data set's policy lives here: with no `dataPath` the job trains on the
/// embedded 4×4 Ising set and evaluates on its test rows (or `testPath`); with no gate source
/// either, the IQP model starts spin-symmetric (the data is symmetric under a global flip).
/// With `dataPath` and no `testPath` there is no test set and no test evaluation.
public struct TrainingJob: Sendable {
    /// Training data; nil: the embedded 4×4 Ising set.
    public var dataPath: String?
    public var testPath: String?
    public var validationPath: String?
    /// Where the gates come from; nil: `local:2`.
    public var gates: GateSource?
    /// Start from (|0…0⟩ + |1…1⟩)/√2 (docs/math.md §8); see `startsSpinSymmetric` for the default.
    public var spinSym = false
    public var kind: ModelKind = .iqp
    public var initialization: Initialization = .data
    public var initScale: Double?
    public var paramNoise: Double = 0
    public var loss = LossSettings(sigmas: [1.0], stringsPerSigma: 1000, samples: 1000)
    public var options = TrainingOptions()
    public var seed: UInt64 = 0
    public var outPath: String = "model.json"
    public var resumePath: String?
    public var grid: String?
    public var timingsPath: String?
    /// Strings and samples per bandwidth for the final test MMD² (0 strings: skip it).
    public var evalOps = 1000
    public var evalSamples = 1000

    public init() {}

    /// Where root writes the checkpoint when the run is asked to stop (`options.stop`):
    /// `options.checkpointPath`, else next to the model (`model.json` → `model.checkpoint.json`).
    public var stopCheckpointPath: String {
        if let path = options.checkpointPath { return path }
        let base = outPath.hasSuffix(".json") ? String(outPath.dropLast(".json".count)) : outPath
        return base + ".checkpoint.json"
    }

    /// The spin-symmetric start: asked for, or the embedded data set's default (no data and
    /// no gate source, IQP model).
    public var startsSpinSymmetric: Bool {
        spinSym || (dataPath == nil && gates == nil && kind == .iqp)
    }

    /// The inputs, read and checked.
    public struct Inputs: Sendable {
        public var train: BitMatrix
        public var test: BitMatrix?
        public var validation: BitMatrix?
        /// The trainable gates followed by the fixed layer's (IQPopt's `init_gates`).
        public var circuit: Circuit
        /// The fixed layer (from a model file with `init_gates`), the circuit's last gates.
        public var fixed: GateSource.FixedLayer
        /// `loss` with `--estimator auto` resolved: `.exact` when the exact path runs
        /// (`ExactPathCost.resolve`, docs/math.md §10), else the Monte Carlo choice.
        public var loss: LossSettings
        public var grid: ProcessGrid
        public var resume: Checkpoint?
        /// True when the embedded default data set is used.
        public var embedded: Bool
    }

    /// Reads and validates every input. Local to the rank: no collective.
    public func prepare(ranks: Int) throws -> Inputs {
        try options.validate()
        // Outputs are checked before hours of training, not after.
        for (path, field) in [(outPath, "out"), (options.logPath, "log"), (stopCheckpointPath, "checkpoint"),
                              (timingsPath, "timings")] {
            if let path { try TrainingJob.checkWritable(path, field: field) }
        }
        // The embedded set brings its own test rows; a data file has a test set only with testPath.
        let train: BitMatrix, embeddedTest: BitMatrix?
        if let dataPath {
            train = try DataFile.read(path: dataPath)
            embeddedTest = nil
        } else {
            let data = EmbeddedDataset.isingLattice4x4(seed: 0)
            (train, embeddedTest) = (data.train, data.test)
        }
        let test = try testPath.map { try DataFile.read(path: $0, expectedWidth: train.columns) } ?? embeddedTest
        guard train.rows >= 2 else {
            throw IQPError("needs at least 2 training rows, got \(train.rows)", file: dataPath)
        }
        let validation = try validationPath.map { try DataFile.read(path: $0, expectedWidth: train.columns) }
        let gateSource = gates ?? .spec("local:2")
        let (trainable, fixed) = try gateSource.layers(nQubits: train.columns)
        let circuit = try Circuit(nQubits: train.columns, gates: trainable + fixed.gates)
        try loss.validate(nQubits: circuit.nQubits)
        if options.validationEvery > 0 && validation == nil {
            throw IQPError("--val-every needs a validation file (--val)", field: "val")
        }
        let resolvedLoss = try ExactPathCost.resolve(loss, circuit: circuit, kind: kind,
                                                     dataSets: validation == nil ? 1 : 2)
        let processGrid = try grid.map { try ProcessGrid.parse($0, size: ranks) }
            ?? ProcessGrid.automatic(size: ranks, strings: loss.stringsPerSigma, samples: loss.samples)
        let resume = try resumePath.map { try Checkpoint.read(path: $0) }
        if let resume, let resumePath {
            let model = try IQPModel(circuit: circuit, params: resume.params, spinSym: startsSpinSymmetric, kind: kind,
                                     fixedGateCount: fixed.gates.count)
            try resume.checkCompatible(model: model, settings: loss, seed: seed,
                                       dataFingerprint: train.fingerprint, file: resumePath)
            guard Array(resume.params[model.fixedGates]) == fixed.params else {
                throw IQPError("the checkpoint was written with different init_coefs; resume with the same gates file",
                               file: resumePath, field: "model.init_coefs")
            }
        }
        return Inputs(train: train, test: test, validation: validation, circuit: circuit, fixed: fixed,
                      loss: resolvedLoss, grid: processGrid, resume: resume, embedded: dataPath == nil)
    }

    /// Throws unless a file can be created at `path` (its folder exists and is writable).
    public static func checkWritable(_ path: String, field: String) throws {
        let folder = (path as NSString).deletingLastPathComponent
        let dir = folder.isEmpty ? "." : folder
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw IQPError("folder '\(dir)' does not exist", file: path, field: field)
        }
        guard FileManager.default.isWritableFile(atPath: dir) else {
            throw IQPError("folder '\(dir)' is not writable", file: path, field: field)
        }
    }

    /// What a finished job reports (meaningful on root).
    public struct Outcome: Sendable {
        public var model: IQPModel
        public var result: Trainer.Result
        /// Test MMD² per σ of the trained model, the initial model and the uniform distribution.
        public var testTrained: [ModelEvaluation.Estimate]
        public var testInitial: [ModelEvaluation.Estimate]
        public var testUniform: [ModelEvaluation.Estimate]
        public var seconds: Double
        /// The run was asked to stop (`options.stop`): root wrote `stopCheckpointPath`; there is
        /// no model file and no test evaluation.
        public var stopRequested: Bool { result.stopRequested }
    }

    /// Trains. Collective over `communicator`; `report` is called on root after every step.
    /// Asked to stop (`options.stop`), every rank returns after the same step, with root's
    /// checkpoint at `stopCheckpointPath` and nothing else written.
    public func run(_ inputs: Inputs, communicator: Communicator,
                    report: (TrainingRecord) -> Void = { _ in }) throws -> Outcome {
        let start = DispatchTime.now().uptimeNanoseconds
        var initial = try initialization.parameters(for: inputs.circuit, data: inputs.train, seed: seed,
                                                    scale: initScale, paramNoise: paramNoise)
        var model = try IQPModel(circuit: inputs.circuit, params: initial, spinSym: startsSpinSymmetric, kind: kind,
                                 fixedGateCount: inputs.fixed.gates.count)
        initial.replaceSubrange(model.fixedGates, with: inputs.fixed.params)
        model.params = initial
        let initialModel = model
        let objective = try MMDObjective(model: model, train: inputs.train, validation: inputs.validation,
                                         settings: inputs.loss, seed: seed, communicator: communicator, grid: inputs.grid)
        var trainerOptions = options
        trainerOptions.stopCheckpointPath = stopCheckpointPath
        let trainer = try Trainer(objective: objective, options: trainerOptions)
        let result = try trainer.run(initialParams: initial, resume: inputs.resume,
                                     dataFingerprint: inputs.train.fingerprint, report: report)
        model.params = result.params
        if result.stopRequested {
            return Outcome(model: model, result: result, testTrained: [], testInitial: [], testUniform: [],
                           seconds: Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9)
        }
        var testTrained: [ModelEvaluation.Estimate] = [], testInitial = testTrained, testUniform = testTrained
        if let test = inputs.test, evalOps > 0 {
            func evaluate(_ m: IQPModel) throws -> [ModelEvaluation.Estimate] {
                if inputs.loss.estimator == .exact {
                    return try ModelEvaluation.exactMMDSquared(model: m, data: test, sigmas: loss.sigmas, wires: loss.wires,
                                                               memoryBudget: loss.memoryBudget, communicator: communicator)
                }
                return try ModelEvaluation.mmdSquared(model: m, data: test, sigmas: loss.sigmas, ops: evalOps,
                                               samples: evalSamples, seed: seed, wires: loss.wires,
                                               memoryBudget: loss.memoryBudget, communicator: communicator,
                                               grid: inputs.grid)
            }
            testTrained = try evaluate(model)
            testInitial = try evaluate(initialModel)
            testUniform = try evaluate(try ModelEvaluation.uniformModel(nQubits: model.nQubits))
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
        model.metadata = metadata(result: result, test: testTrained, seconds: seconds, ranks: communicator.size,
                                  grid: inputs.grid, embedded: inputs.embedded, estimator: inputs.loss.estimator)
        if communicator.isRoot { try ModelFile.write(model, to: outPath) }
        if let timingsPath {
            let rows = result.timings.gathered(on: communicator)
            if communicator.isRoot {
                try AtomicFile.write(PhaseTimer.csv(gathered: rows, steps: result.stepsCompleted - (inputs.resume?.step ?? 0)),
                                     to: timingsPath)
            }
        }
        return Outcome(model: model, result: result, testTrained: testTrained, testInitial: testInitial,
                       testUniform: testUniform, seconds: seconds)
    }

    /// Training settings and results stored in the model file next to the IQPopt fields.
    func metadata(result: Trainer.Result, test: [ModelEvaluation.Estimate], seconds: Double, ranks: Int,
                  grid: ProcessGrid, embedded: Bool, estimator: EstimatorPath) -> [String: JSONValue] {
        func numbers(_ xs: [Double]) -> JSONValue { .array(xs.map { .number($0) }) }
        var training: [JSONMember] = [
            JSONMember("trainer", .string("iqp \(IQPVersion.string)")),
            JSONMember("data", .string(dataPath ?? "embedded:ising-4x4")),
            JSONMember("seed", .string(String(seed))),
            JSONMember("sigma", numbers(loss.sigmas)),
            JSONMember("ops", .number(Double(loss.stringsPerSigma))),
            JSONMember("samples", .number(Double(loss.samples))),
            JSONMember("estimator", .string(estimator.rawValue)),
            JSONMember("learning_rate", .number(options.learningRate)),
            JSONMember("init", .string(initialization.rawValue)),
            JSONMember("steps", .number(Double(result.stepsCompleted))),
            JSONMember("converged", .bool(result.converged)),
            JSONMember("final_loss", result.history.last.map { .number($0.loss) } ?? .null),
            JSONMember("ranks", .number(Double(ranks))),
            JSONMember("grid", .string(grid.description)),
            JSONMember("seconds", .number((seconds * 1000).rounded() / 1000)),
        ]
        if let wires = loss.wires { training.append(JSONMember("wires", .array(wires.map { .number(Double($0)) }))) }
        if !test.isEmpty {
            training.append(JSONMember("test_mmd2", numbers(test.map(\.mmdSquared))))
            training.append(JSONMember("test_mmd2_stderr", numbers(test.map(\.standardError))))
        }
        return ["training": .object(training)]
    }
}
