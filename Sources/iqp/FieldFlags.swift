import IQPCore

/// The `iqp` options that set IQPCore's fields: how the command line names the settings that
/// IQPCore's errors name by field (`IQPError.renamingFields`). An error's field becomes the
/// option's name (`field 'lr'`, and `--lr: …` for a usage error) and a field its message names
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
    ]

    /// `error` as the command line names things: fields renamed to options.
    static func named(_ error: IQPError) -> IQPError {
        error.renamingFields { field in options[field].map { ($0, "--" + $0) } }
    }

    /// The message of `error` (without file, line and field) as the command line names things.
    static func message(_ error: IQPError) -> String { named(error).message }
}
