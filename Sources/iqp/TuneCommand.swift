import ArgumentParser
import Foundation
import IQPCore
import IQPMPI

/// `iqp tune`: a grid search over `iqp train` options (`GridSearch`), on one process or under mpirun.
struct TuneCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tune",
        abstract: "Grid search over iqp train options, scored on a held-out split as the study's GridSearchCV.",
        discussion: """
        The grid file (YAML or JSON) maps iqp train option names, without dashes, to lists of \
        values; every combination is one configuration (the last key varies fastest). null \
        leaves an option out, true gives a flag. The data is split once by a permutation keyed \
        by --seed (the study: ShuffleSplit(test_size=0.2), numpy's permutation): each \
        configuration trains on the training part and scores minus the MMD² of the held-out \
        rows, the mean over --score-sigma: exact (all 2^n Pauli strings) where it fits the \
        memory budget, else the mean of --repeats Monte Carlo estimates.
        Under mpirun the ranks form groups of --group-size; group g runs configurations g, \
        g + G, … with its own communicator. OUT/results.csv (GridSearchCV's cv_results_ \
        columns plus status and message) and OUT/best.yaml (a run file for iqp train --config) \
        are rewritten after every round; a second run with the same grid and OUT resumes, \
        skipping finished configurations. A configuration that fails is recorded with its \
        message. The same --seed gives the same table for any number of ranks (group size 1).
        Examples:
          iqp tune --grid launch/tune/ising-4x4-iqp.yaml \\
              --data launch/datasets/ising-4x4/ising_4_4_T_3_train.csv --out tune-ising
          mpirun -np 4 iqp tune --grid grid.yaml --data train.csv --out tune
        """)

    @Option(help: ArgumentHelp("The grid: YAML or JSON, iqp train option names → lists of values.", valueName: "file"))
    var grid: String
    @Option(help: "The data to split into training and held-out rows (CSV/whitespace rows of 0/1, or .npy).")
    var data: String
    @Option(help: ArgumentHelp("Folder of the results: results.csv, best.yaml, split/, models/.", valueName: "dir"))
    var out: String = "tune"
    @Option(help: "Seed of the split and of every configuration's training (unless the grid sets seed).")
    var seed: UInt64 = 0
    @Option(name: .customLong("group-size"), help: "Ranks per configuration (must divide the number of ranks).")
    var groupSize: Int = 1
    @Option(name: .customLong("test-fraction"), help: "Fraction of the rows held out for the score.")
    var testFraction: Double = 0.2
    @Option(name: .customLong("score-sigma"), help: "Bandwidths of the score's MMD² (their mean).")
    var scoreSigma: String = "0.6,1.3"
    @Option(help: "Monte Carlo scores: the number of independent estimates averaged (the exact score needs one).")
    var repeats: Int = 5
    @Option(name: .customLong("score-ops"), help: "Monte Carlo scores: Pauli strings per σ.")
    var scoreOps: Int = 1000
    @Option(name: .customLong("score-samples"), help: "Monte Carlo scores: samples per σ.")
    var scoreSamples: Int = 1000
    @Option(name: .customLong("memory-budget"), help: "Memory budget per rank of the score (the exact score must fit in it).")
    var memoryBudget: String = "1G"
    @Flag(help: "No progress lines.")
    var quiet = false

    func search() throws -> GridSearch {
        var search = GridSearch(grid: try TuneGrid.read(path: grid), dataPath: data, outDirectory: out)
        search.seed = seed
        search.groupSize = groupSize
        search.testFraction = testFraction
        search.scoreSigmas = try CommandSupport.doubles(scoreSigma, option: "--score-sigma")
        search.repeats = repeats
        search.scoreOps = scoreOps
        search.scoreSamples = scoreSamples
        search.memoryBudget = try ByteCount.parse(memoryBudget, field: "memory-budget")
        search.bestFileUse = ["train it on all the data: iqp train --config FILE"]
        search.describeError = { ($0 as? IQPError).map(FieldFlags.describe) ?? "\($0)" }
        return search
    }

    /// The training job of a configuration: its options parsed as `iqp train`'s arguments.
    static func makeJob(_ settings: [TuneSetting], _ base: GridSearch.JobBase) throws -> TrainingJob {
        var arguments = TuneGrid.trainArguments(settings)
            + ["--data", base.trainPath, "--out", base.modelPath, "--eval-ops", "0"]
        if !settings.contains(where: { $0.key == "seed" }) { arguments += ["--seed", String(base.seed)] }
        let command: TrainCommand
        do {
            command = try TrainCommand.parse(CommandLineArguments.joiningNegativeValues(arguments))
        } catch {
            throw IQPError(TrainCommand.message(for: error))
        }
        return try command.job()
    }

    func run() async throws {
        let world: Communicator = MPIRuntime.world
        do {
            let search = try search()
            if world.isRoot {
                writeToStandardError("iqp tune: \(search.grid.count) configurations of \(search.grid.keys.joined(separator: ", ")); "
                                     + "\(world.size) rank\(world.size == 1 ? "" : "s") in groups of \(groupSize); results in \(out)/results.csv\n")
            }
            let total = search.grid.count
            let table = try search.run(communicator: world, makeJob: { try TuneCommand.makeJob($0, $1) }) { record, table in
                guard !quiet else { return }
                let what = record.status == .ok
                    ? "score " + String(format: "%.6e", record.score) + " (\(record.estimator.rawValue))"
                    : "failed: \(record.message)"
                writeToStandardError("iqp tune: [\(table.records.count)/\(total)] configuration \(record.index): \(what), "
                                     + String(format: "fit %.1f s", record.fitSeconds) + "\n")
            }
            if world.isRoot {
                let failed = table.records.values.filter { $0.status == .failed }.count
                print("\(table.records.count) of \(total) configurations finished (\(failed) failed); results written to \(search.resultsPath)")
                if let best = table.best {
                    let settings = search.grid.configuration(best.index).map { "\($0.key)=\($0.value ?? "(left out)")" }
                    print("best: configuration \(best.index), mean_test_score \(best.score): \(settings.joined(separator: " "))")
                    print("its run file: \(search.bestPath) (iqp train --config \(search.bestPath))")
                }
            }
        } catch {
            CommandSupport.fail(error, communicator: world)
        }
        MPIRuntime.finalize()
    }
}
