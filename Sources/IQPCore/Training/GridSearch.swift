import Foundation

/// `iqp tune`: a grid search over `iqp train` options, scored as the study's
/// `GridSearchCV(IqpSimulator, cv=ShuffleSplit(1, test_size=0.2, random_state=42))` did
/// (docs/reproduction.md): one split of the data into a training part and a held-out 20 %,
/// every configuration trained on the training part and scored by minus the MMD² of the
/// held-out rows (the mean over `scoreSigmas`).
///
/// The split is a permutation keyed by `seed` (`KeyedStream`, purpose `gridSplit`; not numpy's
/// permutation): the first ⌈fraction·rows⌉ rows of the permutation are held out, the rest (in
/// permutation order) are the training part, as ShuffleSplit does. The score is exact (all 2ⁿ
/// Pauli strings, docs/math.md §10) where the exact path fits the memory budget, so its
/// `repeats` all give the same value and one is computed; elsewhere it is the study's Monte
/// Carlo estimate (`scoreOps` strings × `scoreSamples` samples per σ), the mean of `repeats`
/// estimates with independent strings and samples.
///
/// Ranks are split into groups of `groupSize` (`Communicator.split`): group g runs the pending
/// configurations g, g + G, g + 2G, … (G groups), each trained with the group's communicator.
/// After each round of G configurations the world gathers their records on rank 0, which
/// writes the results and the best configuration (atomically). The schedule depends only on
/// the grid and the finished configurations, so with `groupSize` 1 every configuration is
/// trained on one rank exactly as `iqp train` would, and the table is the same for any number of
/// ranks.
public struct GridSearch: Sendable {
    public var grid: TuneGrid
    public var dataPath: String
    /// The folder of the results (`results.csv`, `best.yaml`, `split/`, `models/`).
    public var outDirectory: String
    public var seed: UInt64 = 0
    public var testFraction = 0.2
    public var scoreSigmas: [Double] = [0.6, 1.3]
    public var repeats = 5
    public var scoreOps = 1000
    public var scoreSamples = 1000
    public var groupSize = 1
    public var memoryBudget = DenseEstimator.defaultMemoryBudget
    /// Lines for the top of `best.yaml` that say how a front end uses it (`iqp tune`: train it with
    /// `iqp train --config`), written as comments.
    public var bestFileUse: [String] = []
    /// How a failed configuration's error reads in the results (a front end names the fields
    /// its way, `IQPError.renamingFields`).
    public var describeError: @Sendable (Error) -> String = { ($0 as? IQPError)?.description ?? "\($0)" }

    public init(grid: TuneGrid, dataPath: String, outDirectory: String) {
        self.grid = grid
        self.dataPath = dataPath
        self.outDirectory = outDirectory
    }

    public var resultsPath: String { outDirectory + "/results.csv" }
    public var bestPath: String { outDirectory + "/best.yaml" }
    public var trainSplitPath: String { outDirectory + "/split/train.csv" }
    public var heldOutPath: String { outDirectory + "/split/heldout.csv" }
    public func modelPath(_ index: Int) -> String { outDirectory + "/models/config-\(String(format: "%04d", index)).json" }

    /// What the job of a configuration is built from besides its settings.
    public struct JobBase: Sendable {
        public var trainPath: String
        public var modelPath: String
        public var seed: UInt64
    }

    /// Builds the training job of a configuration (`iqp tune` parses `iqp train`'s arguments).
    public typealias JobMaker = @Sendable (_ settings: [TuneSetting], _ base: JobBase) throws -> TrainingJob

    /// Checks the settings against a world of `ranks` ranks; the errors name the fields (`groupSize`, …).
    public func validate(ranks: Int) throws {
        guard groupSize >= 1, ranks % groupSize == 0 else {
            throw IQPError("must divide the number of ranks (\(ranks)), got \(groupSize)", field: "groupSize")
        }
        guard testFraction > 0 && testFraction < 1 else {
            throw IQPError("must be in (0, 1), got \(testFraction)", field: "testFraction")
        }
        guard repeats >= 1 else { throw IQPError("must be at least 1, got \(repeats)", field: "repeats") }
        guard !scoreSigmas.isEmpty, scoreSigmas.allSatisfy({ $0 > 0 && $0.isFinite }) else {
            throw IQPError("must be positive bandwidths", field: "scoreSigmas")
        }
    }

    /// The held-out rows and the training rows of `data` (ShuffleSplit's shapes, our permutation).
    public static func split(_ data: BitMatrix, fraction: Double, seed: UInt64) -> (train: BitMatrix, heldOut: BitMatrix) {
        var order = Array(0..<data.rows)
        var stream = KeyedStream(seed: seed, step: 0, sigmaIndex: 0, purpose: .gridSplit, index: 0)
        for i in stride(from: order.count - 1, to: 0, by: -1) {
            let j = Int(stream.next() % UInt64(i + 1))
            order.swapAt(i, j)
        }
        let nHeldOut = Int((fraction * Double(data.rows)).rounded(.up))
        func rows(_ indices: ArraySlice<Int>) -> BitMatrix {
            var m = BitMatrix(rows: indices.count, columns: data.columns)
            for (i, r) in indices.enumerated() { m.setRow(i, words: data.row(r)) }
            return m
        }
        return (rows(order[nHeldOut...]), rows(order[..<nHeldOut]))
    }

    /// Runs every configuration not yet in the results file. Collective over `world`. Returns
    /// the table (complete on rank 0). `report` is called on rank 0 for every finished record.
    public func run(communicator world: Communicator, makeJob: JobMaker,
                    report: (TuneRecord, _ table: TuneTable) -> Void = { _, _ in }) throws -> TuneTable {
        try validate(ranks: world.size)
        let data = try DataFile.read(path: dataPath)
        guard data.rows >= 4 else { throw IQPError("needs at least 4 rows to split, got \(data.rows)", file: dataPath) }
        let (train, heldOut) = Self.split(data, fraction: testFraction, seed: seed)
        guard train.rows >= 2, heldOut.rows >= 2 else {
            throw IQPError("the split leaves \(train.rows) training and \(heldOut.rows) held-out rows; both need 2", file: dataPath)
        }

        // Root prepares the folder and reads what is finished; every rank learns it by broadcast.
        var table = TuneTable(grid: grid)
        var status = [Int64](repeating: 0, count: grid.count + 1)
        var rootError: Error? = nil
        if world.isRoot {
            do {
                for folder in [outDirectory, outDirectory + "/split", outDirectory + "/models"] {
                    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                }
                try DataFile.write(train, to: trainSplitPath)
                try DataFile.write(heldOut, to: heldOutPath)
                if FileManager.default.fileExists(atPath: resultsPath) {
                    table = try TuneTable.read(path: resultsPath, grid: grid)
                }
                for index in table.records.keys { status[index] = 1 }
            } catch {
                rootError = error
                status[grid.count] = 1
            }
        }
        world.broadcast(&status)
        if let rootError { throw rootError }
        guard status[grid.count] == 0 else { throw IQPError("rank 0 could not prepare \(outDirectory)") }
        let pending = (0..<grid.count).filter { status[$0] == 0 }

        let groups = world.size / groupSize
        let group = world.rank / groupSize
        let communicator = world.split(color: group, key: world.rank)
        let rounds = (pending.count + groups - 1) / groups
        for round in 0..<rounds {
            let slot = round * groups + group
            var record: TuneRecord? = nil
            if slot < pending.count {
                record = runOne(pending[slot], heldOut: heldOut, communicator: communicator, makeJob: makeJob)
            }
            let mine = communicator.isRoot ? Self.encode(record) : Self.encode(nil)
            let all = world.gather(mine, root: 0)
            guard world.isRoot else { continue }
            var finished: [TuneRecord] = []
            for r in 0..<world.size {
                if let rec = Self.decode(Array(all[(r * Self.recordLength)..<((r + 1) * Self.recordLength)])) { finished.append(rec) }
            }
            for rec in finished.sorted(by: { $0.index < $1.index }) { table.records[rec.index] = rec }
            try AtomicFile.write(table.csv(), to: resultsPath)
            if let yaml = table.bestYAML(data: dataPath, seed: seed, source: resultsPath, use: bestFileUse) {
                try AtomicFile.write(yaml, to: bestPath)
            }
            for rec in finished.sorted(by: { $0.index < $1.index }) { report(rec, table) }
        }
        return table
    }

    /// Trains and scores one configuration on `communicator` (its group); any error becomes a
    /// failed record with its message. The group agrees after each phase (prepare, train, score)
    /// whether a rank failed, so an error on one rank (its group root's model write) ends the
    /// configuration on every rank of the group instead of leaving the others in a collective.
    func runOne(_ index: Int, heldOut: BitMatrix, communicator: Communicator, makeJob: JobMaker) -> TuneRecord {
        let clock = Stopwatch()
        var message: String? = nil
        func attempt<T>(_ body: () throws -> T) -> T? {
            var value: T? = nil
            if message == nil {
                do { value = try body() } catch { message = describeError(error) }
            }
            var failed = [message == nil ? 0.0 : 1.0]
            communicator.allreduceMax(&failed)
            if failed[0] != 0 && message == nil { message = "another rank of the configuration's group failed" }
            return failed[0] != 0 ? nil : value
        }
        func failed() -> TuneRecord {
            TuneRecord(index: index, status: .failed, score: .nan, fitSeconds: clock.seconds, scoreSeconds: 0, message: message ?? "")
        }
        guard let prepared = attempt({ () throws -> (TrainingJob, TrainingJob.Inputs) in
            let job = try makeJob(grid.configuration(index), JobBase(trainPath: trainSplitPath, modelPath: modelPath(index), seed: seed))
            let inputs = try job.prepare(ranks: communicator.size)
            return (job, inputs)
        }) else { return failed() }
        let (job, inputs) = prepared
        guard let outcome = attempt({ try job.run(inputs, communicator: communicator) }) else { return failed() }
        let fitSeconds = clock.seconds
        let scoreClock = Stopwatch()
        guard let scored = attempt({ () throws -> ([Double], Bool) in
            let data = heldOut.appendingZeroColumns(job.ancillas)
            var settings = LossSettings(sigmas: scoreSigmas, stringsPerSigma: scoreOps, samples: scoreSamples,
                                        wires: inputs.loss.wires, memoryBudget: memoryBudget, estimator: .exact)
            let exact = (try? ExactPathCost.resolve(settings, circuit: inputs.circuit, kind: job.kind, dataSets: 1)) != nil
            if !exact { settings.estimator = .auto }
            let objective = try MMDObjective(model: outcome.model, train: data, settings: settings, seed: seed,
                                             communicator: communicator)
            let scores = (0..<(exact ? 1 : repeats)).map { r in
                -objective.evaluate(params: outcome.model.params, step: Self.scoreStep + UInt64(r), gradient: false).loss
            }
            return (scores, exact)
        }) else { return failed() }
        let (scores, exact) = scored
        let mean = scores.reduce(0, +) / Double(scores.count)
        let std = (scores.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(scores.count)).squareRoot()
        return TuneRecord(index: index, status: .ok, score: mean, scoreStd: std, fitSeconds: fitSeconds,
                          scoreSeconds: scoreClock.seconds, estimator: exact ? .exact : .mc)
    }

    /// The step key of the score's strings and samples: far from any training step.
    static let scoreStep: UInt64 = 1 << 61

    // MARK: - Records as fixed-size vectors for the gather

    static let messageBytes = 600
    static let recordLength = 8 + messageBytes

    static func encode(_ record: TuneRecord?) -> [Double] {
        var v = [Double](repeating: 0, count: recordLength)
        guard let r = record else { return v }
        v[0] = 1
        v[1] = Double(r.index)
        v[2] = r.status == .ok ? 1 : 2
        v[3] = r.score
        v[4] = r.scoreStd
        v[5] = r.fitSeconds
        v[6] = r.scoreSeconds
        v[7] = r.estimator == .exact ? 0 : 1
        var bytes = Array(r.message.utf8.prefix(messageBytes))
        while !bytes.isEmpty, String(bytes: bytes, encoding: .utf8) == nil { bytes.removeLast() }  // a cut character
        for (i, b) in bytes.enumerated() { v[8 + i] = Double(b) }
        return v
    }

    static func decode(_ v: [Double]) -> TuneRecord? {
        guard v[0] == 1 else { return nil }
        let bytes = v[8...].prefix { $0 != 0 }.map { UInt8($0) }
        return TuneRecord(index: Int(v[1]), status: v[2] == 1 ? .ok : .failed, score: v[3], scoreStd: v[4],
                          fitSeconds: v[5], scoreSeconds: v[6], estimator: v[7] == 0 ? .exact : .mc,
                          message: String(decoding: bytes, as: UTF8.self))
    }
}
