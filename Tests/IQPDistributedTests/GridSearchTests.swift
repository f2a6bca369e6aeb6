import Foundation
import XCTest
@testable import IQPCore
import IQPTestSupport

/// `iqp tune`'s grid search (`GridSearch`, docs/distributed.md "Rank groups"): the grid files,
/// the same table for 1, 2 and 3 ranks (threads), resuming from a partial results file without
/// redoing its rows, a failing configuration recorded with its message, the best run file.
final class GridSearchTests: XCTestCase {
    /// 12 configurations; lr −1 fails (4 of them); ancillas 1 makes 5-qubit circuits.
    let gridText = """
        # a test grid
        lr: [0.02, 0.2, -1]
        init-scale: [null, 0.5]   # null: the default rule
        ancillas:
          - 0
          - 1
        """

    final class Counter: @unchecked Sendable {
        let lock = NSLock()
        var value = 0
        func add() { lock.lock(); value += 1; lock.unlock() }
    }

    static func makeJob(counter: Counter?) -> GridSearch.JobMaker {
        { settings, base in
            counter?.add()
            var job = TrainingJob()
            job.dataPath = base.trainPath
            job.outPath = base.modelPath
            job.seed = base.seed
            job.gates = .spec("local:2")
            job.loss = LossSettings(sigmas: [1.0], stringsPerSigma: 10, samples: 10, estimator: .exact)
            job.evalOps = 0
            job.options = TrainingOptions(steps: 15, learningRate: 1e-3)
            for s in settings {
                switch s.key {
                case "lr": job.options.learningRate = Double(s.value!)!
                case "init-scale": job.initScale = s.value.map { Double($0)! }
                case "ancillas": job.ancillas = Int(s.value!)!
                default: throw IQPError("unknown option", field: s.key)
                }
            }
            return job
        }
    }

    func folder() throws -> String {
        let path = NSTemporaryDirectory() + "grid-search-\(getpid())-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }

    /// 60 rows of 4 bits from a random IQP model.
    func dataFile(in dir: String) throws -> String {
        let truth = try Reference.randomModel(nQubits: 4, gates: 8, maxWeight: 2, seed: 3)
        let p = Reference.stateVectorProbabilities(truth)
        var cdf = p; for i in 1..<cdf.count { cdf[i] += cdf[i - 1] }
        var stream = KeyedStream(key: 4)
        var m = BitMatrix(rows: 60, columns: 4)
        for r in 0..<60 {
            let u = stream.nextUniform()
            let x = cdf.firstIndex { $0 > u } ?? 15
            for q in 0..<4 where (x >> q) & 1 == 1 { m[r, q] = true }
        }
        let path = dir + "/data.csv"
        try DataFile.write(m, to: path)
        return path
    }

    func search(_ dir: String, data: String, out: String) throws -> GridSearch {
        var s = GridSearch(grid: try TuneGrid.parseYAML(gridText, file: "grid.yaml"), dataPath: data, outDirectory: dir + "/" + out)
        s.seed = 9
        return s
    }

    func run(_ search: GridSearch, ranks: Int, counter: Counter? = nil) throws -> TuneTable {
        let tables = try ThreadCommunicator.run(ranks: ranks) { comm in
            try search.run(communicator: comm, makeJob: Self.makeJob(counter: counter))
        }
        return tables[0]
    }

    func testGridFilesReadAsTheStudysGrid() throws {
        let grid = try TuneGrid.parseYAML(gridText, file: "grid.yaml")
        XCTAssertEqual(grid.keys, ["lr", "init-scale", "ancillas"])
        XCTAssertEqual(grid.count, 12)
        XCTAssertEqual(grid.configuration(0).map(\.value), ["0.02", nil, "0"])
        XCTAssertEqual(grid.configuration(1).map(\.value), ["0.02", nil, "1"])
        XCTAssertEqual(grid.configuration(7).map(\.value), ["0.2", "0.5", "1"])
        XCTAssertEqual(TuneGrid.trainArguments([TuneSetting(key: "lr", value: "0.1"), TuneSetting(key: "init-scale", value: nil),
                                                TuneSetting(key: "spin-sym", value: "true"), TuneSetting(key: "bitflip", value: "false")]),
                       ["--lr", "0.1", "--spin-sym"])
        let json = try TuneGrid.parseJSON(JSONParser.parse(#"{"lr": [0.02, 0.2, -1], "init-scale": [null, 0.5], "ancillas": [0, 1]}"#), file: nil)
        XCTAssertEqual(json, grid)
        XCTAssertThrowsError(try TuneGrid.parseYAML("lr: []\n", file: "g.yaml")) { XCTAssertEqual(($0 as? IQPError)?.field, "lr") }
        XCTAssertThrowsError(try TuneGrid.parseYAML("data: [a.csv]\n", file: "g.yaml")) { XCTAssertEqual(($0 as? IQPError)?.field, "data") }
        // The shipped grids: the study's 144 IQP configurations per data set.
        for name in ["ising-4x4-iqp.yaml", "blobs-8-iqp.yaml"] {
            let path = ShippedDatasets.folder.deletingLastPathComponent().appendingPathComponent("tune/" + name).path
            let shipped = try TuneGrid.read(path: path)
            XCTAssertEqual(shipped.count, 144, name)
            XCTAssertEqual(shipped.values[shipped.keys.firstIndex(of: "init-scale")!], ["0.0001", "0.01", "1.0", nil])
            XCTAssertEqual(shipped.values[shipped.keys.firstIndex(of: "spin-sym")!], [name.hasPrefix("ising") ? "true" : "false"])
        }
    }

    func testSplitIsAPartitionHeldOutFirst() throws {
        var m = BitMatrix(rows: 11, columns: 8)
        for r in 0..<11 { for q in 0..<8 where (r >> (q % 4)) & 1 == 1 { m[r, q] = true } }
        let (train, heldOut) = GridSearch.split(m, fraction: 0.2, seed: 5)
        XCTAssertEqual(heldOut.rows, 3)   // ⌈0.2 · 11⌉, as ShuffleSplit
        XCTAssertEqual(train.rows, 8)
        let all = (0..<11).map { Array(m.row($0)) }.sorted { $0.lexicographicallyPrecedes($1) }
        let parts = ((0..<8).map { Array(train.row($0)) } + (0..<3).map { Array(heldOut.row($0)) }).sorted { $0.lexicographicallyPrecedes($1) }
        XCTAssertEqual(parts, all)
        XCTAssertNotEqual((0..<3).map { Array(heldOut.row($0)) }, (0..<3).map { Array(m.row($0)) })
        XCTAssertEqual(GridSearch.split(m, fraction: 0.2, seed: 5).heldOut, heldOut)
    }

    func testSameTableForOneTwoAndThreeRanksWithAFailedConfiguration() throws {
        let dir = try folder()
        let data = try dataFile(in: dir)
        var tables: [TuneTable] = []
        for ranks in 1...3 {
            tables.append(try run(search(dir, data: data, out: "r\(ranks)"), ranks: ranks))
        }
        let reference = tables[0]
        XCTAssertEqual(reference.records.count, 12)
        for index in 0..<12 {
            let r = reference.records[index]!
            let lr = reference.grid.configuration(index)[0].value!
            if lr == "-1" {
                XCTAssertEqual(r.status, .failed, "\(index)")
                XCTAssertTrue(r.message.contains("must be positive"), r.message)
                XCTAssertTrue(r.score.isNaN)
            } else {
                XCTAssertEqual(r.status, .ok, "\(index): \(r.message)")
                XCTAssertTrue(r.score.isFinite && r.score < 0.1 && r.score > -0.5, "\(r.score)")
                XCTAssertEqual(r.estimator, .exact)
                XCTAssertEqual(r.scoreStd, 0)
            }
            for table in tables.dropFirst() {
                let other = table.records[index]!
                XCTAssertEqual(other.status, r.status)
                XCTAssertEqual(other.message, r.message)
                if r.status == .ok { XCTAssertEqual(other.score, r.score, accuracy: 1e-12, "configuration \(index)") }
            }
        }
        // The scores differ between configurations, except where the ancilla is inert: the data
        // initialisation starts every gate on the zero-padded ancilla at θ = 0, where its gradient
        // is exactly 0 (docs/math.md §12), so with --init-scale (pair angles independent of the
        // qubit count) ancillas 0 and 1 train the same visible model. Under the default rule the
        // pair angles scale with √(2n/ΣC²), n counting the ancilla, so those two differ.
        let ok = reference.records.values.filter { $0.status == .ok }
        XCTAssertEqual(Set(ok.map(\.score)).count, 6, reference.csv())
        XCTAssertEqual(reference.records[2]!.score, reference.records[3]!.score)   // lr 0.02, init-scale 0.5, ancillas 0 / 1
        XCTAssertEqual(reference.records[6]!.score, reference.records[7]!.score)   // lr 0.2
        XCTAssertNotEqual(reference.records[0]!.score, reference.records[1]!.score) // default rule
        // Ranks: scikit-learn's (ties share the lowest), failed configurations last.
        let ranks = reference.ranks()
        for r in ok { XCTAssertEqual(ranks[r.index], 1 + ok.filter { $0.score > r.score }.count) }
        XCTAssertEqual(ranks[2], ranks[3])
        XCTAssertEqual(Set(reference.records.keys.filter { reference.records[$0]!.status == .failed }.map { ranks[$0]! }), [9])

        // Independently: configuration 2 (lr 0.02, init-scale 0.5, no ancillas) trained by hand on
        // the split and scored on the held-out rows gives the table's score.
        let s = try search(dir, data: data, out: "r1")
        let job = try Self.makeJob(counter: nil)(s.grid.configuration(2),
                                                 .init(trainPath: s.trainSplitPath, modelPath: dir + "/by-hand.json", seed: 9))
        let inputs = try job.prepare(ranks: 1)
        let model = try job.run(inputs, communicator: LocalCommunicator()).model
        let heldOut = try DataFile.read(path: s.heldOutPath)
        XCTAssertEqual(heldOut.rows, 12)
        let objective = try MMDObjective(model: model, train: heldOut,
                                         settings: LossSettings(sigmas: [0.6, 1.3], estimator: .exact), seed: 0)
        XCTAssertEqual(reference.records[2]!.score, -objective.evaluate(params: model.params, step: 0, gradient: false).loss,
                       accuracy: 1e-14)

        // The CSV on disk is the table, and the best run file names its configuration.
        let csv = try String(contentsOfFile: s.resultsPath, encoding: .utf8)
        XCTAssertEqual(csv, reference.csv())
        XCTAssertTrue(csv.hasPrefix(",param_lr,param_init-scale,param_ancillas,mean_fit_time,"), csv)
        let best = reference.best!
        let yaml = try String(contentsOfFile: s.bestPath, encoding: .utf8)
        XCTAssertEqual(ranks[best.index], 1)
        XCTAssertTrue(yaml.contains("\ndata: \(data)\n"), yaml)
        XCTAssertTrue(yaml.contains("\nseed: 9\n"), yaml)
        XCTAssertTrue(yaml.contains("\nlr: \(s.grid.configuration(best.index)[0].value!)\n"), yaml)
        XCTAssertTrue(yaml.contains("\nancillas: \(s.grid.configuration(best.index)[2].value!)\n"), yaml)
    }

    func testResumeSkipsFinishedRowsAndRefusesAChangedGrid() throws {
        let dir = try folder()
        let data = try dataFile(in: dir)
        let complete = try run(search(dir, data: data, out: "full"), ranks: 1)
        // A run killed after 5 configurations: its file holds rows 0–4 (row 3 marked so that a
        // recomputation would show).
        var partial = TuneTable(grid: complete.grid)
        for i in 0..<5 { partial.records[i] = complete.records[i]! }
        partial.records[3]!.score = -123.0
        let resumed = try search(dir, data: data, out: "resumed")
        try FileManager.default.createDirectory(atPath: resumed.outDirectory, withIntermediateDirectories: true)
        try partial.csv().write(toFile: resumed.resultsPath, atomically: true, encoding: .utf8)
        let counter = Counter()
        let table = try run(resumed, ranks: 2, counter: counter)
        XCTAssertEqual(counter.value, 7)   // only the 7 unfinished configurations were built
        XCTAssertEqual(table.records.count, 12)
        XCTAssertEqual(table.records[3]!.score, -123.0)
        for i in 5..<12 where complete.records[i]!.status == .ok {
            XCTAssertEqual(table.records[i]!.score, complete.records[i]!.score, accuracy: 1e-12)
        }
        XCTAssertEqual(try TuneTable.read(path: resumed.resultsPath, grid: resumed.grid).records[3]!.score, -123.0)

        // A results file of another grid is refused, naming the column.
        var other = try search(dir, data: data, out: "resumed")
        other.grid = try TuneGrid.parseYAML(gridText.replacingOccurrences(of: "0.02", with: "0.03"), file: "grid.yaml")
        XCTAssertThrowsError(try TuneTable.read(path: other.resultsPath, grid: other.grid)) {
            XCTAssertEqual(($0 as? IQPError)?.field, "param_lr")
        }
    }
}
