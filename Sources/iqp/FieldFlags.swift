import IQPCore

/// The `iqp` options that set IQPCore's fields: how the command line names the settings that
/// IQPCore's errors name by field (`IQPError.renamingFields`). An error about a setting starts
/// with its option (`--lr: must be positive, got -1.0`); one about a file names the option as
/// the field (`m.json: field 'out': folder 'x' does not exist`); a field the message names
/// becomes the option (`lower the learning rate (--lr)`). Fields not listed keep their names
/// (a data file's `column 5`, a model file's `n_qubits`).
enum FieldFlags {
    /// Field → option name (without dashes), for every field that IQPCore's errors name.
    static let options: [String: String] = [
        // The loss (LossSettings, Bandwidth, ExactPathCost, StepMemory).
        "sigmas": "sigma", "stringsPerSigma": "ops", "samples": "samples", "wires": "wires",
        "memoryBudget": "memory-budget", "estimator": "estimator", "covariance": "covariance",
        // The optimisation (TrainingOptions, Trainer, Checkpoint).
        "steps": "steps", "learningRate": "lr", "convergenceInterval": "convergence-interval",
        "convergenceMonitor": "convergence-on", "validationEvery": "val-every",
        "checkpointPath": "checkpoint", "checkpointEvery": "checkpoint-every",
        // The training job (TrainingJob) and the grid search (GridSearch, TuneGrid, TuneTable).
        "dataPath": "data", "testPath": "test", "validationPath": "val", "resumePath": "resume",
        "initParamsPath": "init-params", "gates": "gates", "gatesFile": "gates-file", "graph": "graph",
        "initialization": "init", "initScale": "init-scale", "paramNoise": "param-noise", "ancillas": "ancillas",
        "evalOps": "eval-ops", "evalSamples": "eval-samples", "seed": "seed", "grid": "grid",
        "outPath": "out", "logPath": "log", "timingsPath": "timings", "outDirectory": "out",
        "groupSize": "group-size", "testFraction": "test-fraction", "scoreSigmas": "score-sigma", "repeats": "repeats",
    ]

    /// `error` as the command line names things: fields renamed to options.
    static func named(_ error: IQPError) -> IQPError {
        error.renamingFields { field in options[field].map { ($0, "--" + $0) } }
    }

    /// The line `iqp: error:` prints for `error`: `--option: message` when it is about a
    /// setting and no file, else the error's own form with the fields renamed.
    static func describe(_ error: IQPError) -> String {
        error.described(renaming: options, reference: { "--" + $0 }, setting: { "--" + $0 })
    }
}
