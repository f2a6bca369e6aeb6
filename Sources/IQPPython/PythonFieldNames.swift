import IQPCore

/// How the Python package names the settings that IQPCore's errors name by field
/// (`IQPError.renamingFields`, docs/architecture.md "IQPCore knows no command line"): IQPopt's
/// argument names, as the `iqp` command line uses its options (`Sources/iqp/FieldFlags.swift`).
/// An error about a setting reads `name: message` (`stepsize: must be positive, got inf`, where
/// `iqp train` prints `--lr: must be positive, got inf`); one about a file keeps its form
/// (`bad.json:3: field 'gates[1]': …`); a field the message names becomes the argument
/// (`` `n_ops` ``). Fields not listed keep their names.
enum PythonFieldNames {
    /// Field → the Python argument that sets it.
    static let arguments: [String: String] = [
        "sigmas": "sigma", "stringsPerSigma": "n_ops", "samples": "n_samples", "wires": "wires",
        "memoryBudget": "memory_budget", "estimator": "estimator",
        "steps": "n_iters", "learningRate": "stepsize", "convergenceInterval": "convergence_interval",
        "seed": "key", "initScale": "scale", "paramNoise": "param_noise",
    ]

    /// The line `iqp.IQPError` carries for `error`.
    static func describe(_ error: IQPError) -> String {
        error.described(renaming: arguments, reference: { "`\($0)`" }, setting: { $0 })
    }
}
