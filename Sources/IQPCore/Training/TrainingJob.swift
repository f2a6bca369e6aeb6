import Foundation

/// A training run as plain values, and the two calls that do it: `prepare` reads and checks
/// every input (before any collective) and resolves the settings into `Inputs`; `run` builds
/// the model, initialises, trains, writes the model (root), evaluates on the test set and writes
/// phase timings. The same code runs on one rank and on many (MPI). Its callers are `iqp train`
/// (which makes a job from its options, and prints, reports progress and picks exit statuses),
/// `iqp tune` (`GridSearch`, one job per configuration), and any other user of the library.
///
/// The job knows no command line: its errors name its fields (`learningRate`,
/// `checkpointPath`, `IQPError.ref`), and a front end renames them for its users.
///
/// The embedded data set's policy lives here: with no `dataPath` the job trains on the
/// embedded 4×4 Ising set and evaluates on its test rows (or `testPath`), and the IQP model
/// starts spin-symmetric unless told otherwise (the data is symmetric under a global flip).
/// With `dataPath` and no `testPath` there is no test set and no test evaluation.
public struct TrainingJob: Sendable {
    /// Training data; nil: the embedded 4×4 Ising set.
    public var dataPath: String?
    public var testPath: String?
    public var validationPath: String?
    /// Where the gates come from; nil: `local:2`.
    public var gates: GateSource?
    /// Start from (|0…0⟩ + |1…1⟩)/√2 (docs/math.md §8); nil: `startsSpinSymmetric`'s default.
    public var spinSym: Bool?
    public var kind: ModelKind = .iqp
    public var initialization: Initialization = .data
    public var initScale: Double?
    public var paramNoise: Double = 0
    /// Start from the parameters in this file (`InitialParametersFile`) instead of `initialization`.
    public var initParamsPath: String?
    /// Ancilla qubits appended to the data's n (the study's `n_ancilla`, docs/math.md §12): the
    /// circuit has n + K qubits, the data (and so the data initialisation) get K zero columns,
    /// the loss's strings act on the n visible qubits only (`loss.wires`, default 0..<n), and
    /// `local:W` gates are capped at weight 2 as the study's `iqp_model_wrapped.py` does.
    public var ancillas = 0
    public var loss = LossSettings(sigmas: [1.0], stringsPerSigma: 1000, samples: 1000)
    /// The bandwidth list when it names a heuristic (`median`, `heuristic:K`): `prepare`
    /// computes it on the training data into `Inputs.loss.sigmas`. Nil: `loss.sigmas` as given.
    public var bandwidths: [Bandwidth]?
    public var options = TrainingOptions()
    public var seed: UInt64 = 0
    public var outPath: String = "model.json"
    public var resumePath: String?
    public var grid: String?
    public var timingsPath: String?
    /// `# ` lines at the top of the timings file: what its figures were measured with.
    public var timingsNotes: [String] = []
    /// Strings and samples per bandwidth for the final test MMD² (0 strings: skip it).
    public var evalOps = 1000
    public var evalSamples = 1000
    /// Outputs written after the job (a front end's own, e.g. the shots of a deploy stage),
    /// checked with the job's.
    public var otherOutputs: [NamedPath] = []

    public init() {}

    /// The gates without a gate source: all generators of weight ≤ 2.
    public static let defaultGates = "local:2"

    /// Where root writes the checkpoint when the run is asked to stop (`options.stop`):
    /// `options.checkpointPath`, else next to the model (`model.json` → `model.checkpoint.json`).
    public var stopCheckpointPath: String {
        if let path = options.checkpointPath { return path }
        let base = outPath.hasSuffix(".json") ? String(outPath.dropLast(".json".count)) : outPath
        return base + ".checkpoint.json"
    }

    /// The spin-symmetric start: as asked, else the embedded data set's default (no data file,
    /// IQP model: the data is symmetric under a global flip), whatever the gates.
    public var startsSpinSymmetric: Bool {
        Self.startsSpinSymmetric(spinSym: spinSym, embedded: dataPath == nil, kind: kind)
    }

    /// The spin-symmetric start of a job with these settings (`embedded`: no `dataPath`).
    public static func startsSpinSymmetric(spinSym: Bool?, embedded: Bool, kind: ModelKind) -> Bool {
        spinSym ?? (embedded && kind == .iqp)
    }

    /// The inputs, read and checked, and the settings resolved: what `run` runs. `prepare` leaves
    /// the job as it was; the settings in effect are these.
    public struct Inputs: Sendable {
        public var train: BitMatrix
        public var test: BitMatrix?
        public var validation: BitMatrix?
        /// The trainable gates followed by the fixed layer's (IQPopt's `init_gates`).
        public var circuit: Circuit
        /// The fixed layer (from a model file with `init_gates`), the circuit's last gates.
        public var fixed: GateSource.FixedLayer
        /// The job's `loss` resolved: σ computed from `bandwidths` on the training data, the wires
        /// the visible qubits when there are ancillas and none were given, and estimator `.auto`
        /// made `.exact` when the exact path runs (`ExactPathCost.resolve`, docs/math.md §10),
        /// else left to the Monte Carlo choice.
        public var loss: LossSettings
        /// How `loss.sigmas` was made from `bandwidths` (nil when every σ was given).
        public var sigmaRule: String? = nil
        public var grid: ProcessGrid
        public var resume: Checkpoint?
        /// True when the embedded default data set is used.
        public var embedded: Bool
        /// The parameters read from `initParamsPath`, checked against `circuit`.
        public var initialParams: [Double]? = nil
    }

    /// Checks the settings that need no file: values in range and settings that need another
    /// setting. The errors name the fields (`checkpointEvery`, `IQPError.ref`).
    public func validate() throws {
        try options.validate()
        if options.checkpointPath == AtomicFile.standardOutputPath {
            throw IQPError("a checkpoint is read back by \(ref("resumePath")): give a file, not standard output",
                           field: "checkpointPath")
        }
        if options.validationEvery > 0 && validationPath == nil {
            throw IQPError("needs a validation file (\(ref("validationPath")))", field: "validationEvery")
        }
        if validationPath != nil && options.validationEvery == 0 {
            throw IQPError("is read only for the validation loss: give \(ref("validationEvery")) K too", field: "validationPath")
        }
        if initialization != .data {
            let dataInit = "is for the data initialisation (\(ref("initialization")) data)"
            if initScale != nil { throw IQPError(dataInit, field: "initScale") }
            if paramNoise != 0 { throw IQPError(dataInit, field: "paramNoise") }
        }
        guard paramNoise >= 0 && paramNoise.isFinite else {
            throw IQPError("must be at least 0, got \(paramNoise)", field: "paramNoise")
        }
        guard ancillas >= 0 else { throw IQPError("must be at least 0, got \(ancillas)", field: "ancillas") }
        if let initScale, !(initScale > 0 && initScale.isFinite) {
            throw IQPError("must be positive, got \(initScale)", field: "initScale")
        }
        guard evalOps >= 0 else { throw IQPError("must be at least 0, got \(evalOps)", field: "evalOps") }
        let batches = ModelEvaluation.defaultBatches
        if evalOps > 0 {
            guard evalOps >= batches else {
                throw IQPError("must be 0 (no test MMD²) or at least \(batches) (one string per batch), got \(evalOps)",
                               field: "evalOps")
            }
            guard evalSamples >= 2 else { throw IQPError("must be at least 2, got \(evalSamples)", field: "evalSamples") }
        }
        if initParamsPath != nil, initScale != nil || paramNoise != 0 {
            throw IQPError("\(ref("initParamsPath")) gives the parameters; \(ref("initScale")) and \(ref("paramNoise")) do not apply")
        }
    }

    private func ref(_ field: String) -> String { IQPError.ref(field) }

    /// Reads and validates every input, and resolves the settings (σ from `bandwidths`, the
    /// wires with ancillas, the estimator) into `Inputs`; the job itself is not changed. Local
    /// to the rank: no collective.
    public func prepare(ranks: Int) throws -> Inputs {
        try validate()
        // Outputs are checked before hours of training, not after: writable, distinct, and
        // never one of the inputs (the checkpoint may be the file it resumes from).
        try AtomicFile.checkTargets(outputs: outputs, inputs: inputFiles,
                                    mayReplace: [(ref("checkpointPath"), ref("resumePath"))])
        // The embedded set brings its own test rows; a data file has a test set only with testPath.
        var train: BitMatrix, embeddedTest: BitMatrix?
        if let dataPath {
            train = try DataFile.read(path: dataPath)
            embeddedTest = nil
        } else {
            let data = EmbeddedDataset.isingLattice4x4(seed: 0)
            (train, embeddedTest) = (data.train, data.test)
        }
        var test = try testPath.map { try DataFile.read(path: $0, expectedWidth: train.columns) } ?? embeddedTest
        guard train.rows >= 2 else {
            throw IQPError("needs at least 2 training rows, got \(train.rows)", file: dataPath)
        }
        var loss = self.loss, sigmaRule: String? = nil
        if let bandwidths {
            loss.sigmas = try Bandwidth.resolve(bandwidths, data: train, admission: MemoryAdmission(budget: loss.memoryBudget))
            sigmaRule = Bandwidth.describe(bandwidths, rows: train.rows)
        }
        var validation = try validationPath.map { try DataFile.read(path: $0, expectedWidth: train.columns) }
        var gateSource = gates ?? .spec(Self.defaultGates)
        if ancillas > 0 {
            let visible = train.columns
            if let wires = loss.wires, let bad = wires.first(where: { $0 >= visible }) {
                throw IQPError("wire \(bad) is an ancilla (qubits \(visible)..<\(visible + ancillas)); the strings act on the \(visible) visible qubits",
                               field: "wires")
            }
            loss.wires = loss.wires ?? Array(0..<visible)
            train = train.appendingZeroColumns(ancillas)
            test = test?.appendingZeroColumns(ancillas)
            validation = validation?.appendingZeroColumns(ancillas)
            gateSource = GateSource.cappedForAncillas(gateSource)
        }
        let (trainable, fixed) = try gateSource.layers(nQubits: train.columns, data: train)
        let circuit = try Circuit(nQubits: train.columns, gates: trainable + fixed.gates)
        try loss.validate(nQubits: circuit.nQubits)
        let resolvedLoss = try ExactPathCost.resolve(loss, circuit: circuit, kind: kind,
                                                     dataSets: validation == nil ? 1 : 2)
        let processGrid = try grid.map { try ProcessGrid.parse($0, size: ranks) }
            ?? ProcessGrid.automatic(size: ranks, strings: loss.stringsPerSigma, samples: loss.samples)
        try admitMemory(circuit: circuit, loss: resolvedLoss, grid: processGrid, validation: validation != nil, test: test)
        let resume = try resumePath.map { try Checkpoint.read(path: $0) }
        if let resume, let resumePath {
            do {
                try resume.checkCompatible(circuit: circuit, spinSym: startsSpinSymmetric, kind: kind, settings: loss,
                                           seed: seed, dataFingerprint: train.fingerprint, file: resumePath,
                                           fixedGateCount: fixed.gates.count, learningRate: options.learningRate)
            } catch var error as IQPError where resume.run == nil {
                error.message += " (this checkpoint does not record its run's settings: give the settings of the run "
                    + "that wrote it, \(ref("dataPath")), \(ref("gates")), \(ref("sigmas")), \(ref("seed")) and the rest, "
                    + "with \(ref("resumePath")))"
                throw error
            }
            guard Array(resume.params.suffix(fixed.gates.count)) == fixed.params else {
                throw IQPError("the checkpoint was written with different init_coefs; resume with the same gates file",
                               file: resumePath, field: "model.init_coefs")
            }
        }
        let initialParams = try initParamsPath.map { try InitialParametersFile.read(path: $0, circuit: circuit) }
        return Inputs(train: train, test: test, validation: validation, circuit: circuit, fixed: fixed,
                      loss: resolvedLoss, sigmaRule: sigmaRule, grid: processGrid, resume: resume,
                      embedded: dataPath == nil, initialParams: initialParams)
    }

    /// The files the job writes, named by their fields (`IQPError.ref`).
    public var outputs: [NamedPath] {
        [("outPath", outPath), ("logPath", options.logPath), ("checkpointPath", options.checkpointPath),
         ("timingsPath", timingsPath)].compactMap { field, path in path.map { NamedPath(ref(field), $0) } } + otherOutputs
    }

    /// The files the job reads, named by their fields (the gates' by the source's: `gatesFile`,
    /// `graph`, or `gates` for a file a spec names).
    public var inputFiles: [NamedPath] {
        var files = [("dataPath", dataPath), ("testPath", testPath), ("validationPath", validationPath),
                     ("resumePath", resumePath), ("initParamsPath", initParamsPath)]
            .compactMap { field, path in path.map { NamedPath(ref(field), $0) } }
        switch gates {
        case .file(let path)?: files.append(NamedPath(ref("gatesFile"), path))
        case .graph(let path)?: files.append(NamedPath(ref("graph"), path))
        case .spec(let spec)?: files += GateBuilders.files(inSpec: spec).map { NamedPath(ref("gates"), $0) }
        case nil: break
        }
        return files
    }

    /// Admits a training step's buffers and the final test evaluation's against the memory
    /// budget (`StepMemory`), and checks the evaluation's sizes, before any training. The exact
    /// path (`loss.estimator == .exact`) draws no strings or samples: `ExactPathCost.resolve`
    /// has admitted its 2ⁿ-entry vectors.
    func admitMemory(circuit: Circuit, loss: LossSettings, grid: ProcessGrid, validation: Bool, test: BitMatrix?) throws {
        let admission = MemoryAdmission(budget: loss.memoryBudget)
        let model = (circuit: circuit, kind: kind)
        let exact = loss.estimator == .exact
        if !exact {
            try admission.admit(StepMemory.needs(
                model: model, settings: loss,
                sizes: .init(strings: loss.stringsPerSigma, stringsOption: ref("stringsPerSigma"), samples: loss.samples,
                             samplesOption: ref("samples")),
                gridColumns: grid.columns, dataSets: validation ? 2 : 1))
        }
        guard let test, evalOps > 0 else { return }
        let batches = ModelEvaluation.defaultBatches
        guard test.rows >= 2 * batches else {
            throw IQPError("the test MMD² needs at least \(2 * batches) test rows (2 per batch), got \(test.rows); "
                           + "give more rows or \(ref("evalOps")) 0", file: testPath, field: "testPath")
        }
        guard !exact else { return }
        try admission.admit(StepMemory.needs(
            model: model, settings: loss,
            sizes: .init(strings: evalOps / batches, stringsOption: ref("evalOps"), stringsValue: "\(evalOps)",
                         samples: evalSamples, samplesOption: ref("evalSamples")),
            gridColumns: grid.columns, dataSets: 1))
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
        let stopwatch = Stopwatch()
        var initial = try inputs.initialParams ?? initialization.parameters(for: inputs.circuit, data: inputs.train,
                                                                            seed: seed, scale: initScale,
                                                                            paramNoise: paramNoise)
        var model = try IQPModel(circuit: inputs.circuit, params: initial, spinSym: startsSpinSymmetric, kind: kind,
                                 fixedGateCount: inputs.fixed.gates.count)
        initial.replaceSubrange(model.fixedGates, with: inputs.fixed.params)
        model.params = initial
        model.nAncilla = ancillas
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
                           seconds: stopwatch.seconds)
        }
        var testTrained: [ModelEvaluation.Estimate] = [], testInitial = testTrained, testUniform = testTrained
        if let test = inputs.test, evalOps > 0 {
            let loss = inputs.loss
            func evaluate(_ m: IQPModel) throws -> [ModelEvaluation.Estimate] {
                if loss.estimator == .exact {
                    return try ModelEvaluation.exactMMDSquared(model: m, data: test, sigmas: loss.sigmas, wires: loss.wires,
                                                               memoryBudget: loss.memoryBudget, communicator: communicator)
                }
                return try ModelEvaluation.mmdSquared(model: m, data: test, sigmas: loss.sigmas, ops: evalOps,
                                               samples: evalSamples, seed: seed, wires: loss.wires,
                                               memoryBudget: loss.memoryBudget, estimator: loss.estimator,
                                               communicator: communicator,
                                               grid: inputs.grid)
            }
            testTrained = try evaluate(model)
            testInitial = try evaluate(initialModel)
            testUniform = try evaluate(try ModelEvaluation.uniformModel(nQubits: model.nQubits))
        }
        let seconds = stopwatch.seconds
        model.metadata = metadata(inputs, result: result, test: testTrained, seconds: seconds, ranks: communicator.size)
        if communicator.isRoot { try ModelFile.write(model, to: outPath) }
        if let timingsPath {
            let rows = result.timings.gathered(on: communicator)
            if communicator.isRoot {
                try AtomicFile.write(PhaseTimer.csv(gathered: rows, steps: result.stepsCompleted - (inputs.resume?.step ?? 0),
                                                    notes: timingsNotes),
                                     to: timingsPath)
            }
        }
        return Outcome(model: model, result: result, testTrained: testTrained, testInitial: testInitial,
                       testUniform: testUniform, seconds: seconds)
    }

    /// Training settings and results stored in the model file next to the IQPopt fields.
    func metadata(_ inputs: Inputs, result: Trainer.Result, test: [ModelEvaluation.Estimate], seconds: Double,
                  ranks: Int) -> [String: JSONValue] {
        let loss = inputs.loss
        func numbers(_ xs: [Double]) -> JSONValue { .array(xs.map { .number($0) }) }
        var training: [JSONMember] = [
            JSONMember("trainer", .string("iqp \(IQPVersion.string)")),
            JSONMember("data", .string(dataPath ?? "embedded:ising-4x4")),
            JSONMember("seed", .string(String(seed))),
            JSONMember("sigma", numbers(loss.sigmas)),
            JSONMember("ops", .number(Double(loss.stringsPerSigma))),
            JSONMember("samples", .number(Double(loss.samples))),
            JSONMember("estimator", .string(loss.estimator.rawValue)),
            JSONMember("learning_rate", .number(options.learningRate)),
            JSONMember("init", .string(initParamsPath.map { "file:\($0)" } ?? initialization.rawValue)),
            JSONMember("steps", .number(Double(result.stepsCompleted))),
            JSONMember("converged", .bool(result.converged)),
            JSONMember("final_loss", result.history.last.map { .number($0.loss) } ?? .null),
            JSONMember("ranks", .number(Double(ranks))),
            JSONMember("grid", .string(inputs.grid.description)),
            JSONMember("seconds", .number((seconds * 1000).rounded() / 1000)),
        ]
        if let sigmaRule = inputs.sigmaRule { training.append(JSONMember("sigma_rule", .string(sigmaRule))) }
        if let wires = loss.wires { training.append(JSONMember("wires", .array(wires.map { .number(Double($0)) }))) }
        if !test.isEmpty {
            training.append(JSONMember("test_mmd2", numbers(test.map(\.mmdSquared))))
            training.append(JSONMember("test_mmd2_stderr", numbers(test.map(\.standardError))))
        }
        return ["training": .object(training)]
    }
}
