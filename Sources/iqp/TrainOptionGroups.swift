import ArgumentParser
import IQPCore

/// `iqp train`'s options under "Data" in its help.
struct TrainDataOptions: ParsableArguments {
    @Option(help: "Training data: CSV/whitespace rows of 0/1, or .npy; '-': standard input (one process). Default: the embedded 4x4 Ising set.")
    var data: String?
    @Option(help: "Test data for the final test MMD² (default with the embedded set: its test rows).")
    var test: String?
    @Option(help: "Held-out validation data; its loss is logged every --val-every steps.")
    var val: String?
    @Option(name: .customLong("val-every"), help: "Validation loss every K steps (needs --val).")
    var valEvery: Int = 0
}

/// `iqp train`'s options under "The model and its start" in its help.
struct TrainModelOptions: ParsableArguments {
    @Option(help: "Gate set: local:K (all generators of weight ≤ K), lattice:LxW, lattice:LxW:open, nn:D:K:lattice:LxW or nn:D:K:graph:FILE (IQPopt's nearest_neighbour_gates), covariance:N[:local] (IQPopt's gates_from_covariance).")
    var gates: String?
    @Option(name: .customLong("gates-file"), help: "Gates from a JSON file: IQPopt's nested list [[[0]], [[0,1]], …] or a model file.")
    var gatesFile: String?
    @Option(help: "Weight-1 and nearest-neighbour weight-2 gates on a graph (networkx adjacency list).")
    var graph: String?
    @Option(help: "Ancilla qubits added to the data's n (the study's n_ancilla): n + K qubits, the loss on the n visible ones, zero-padded data initialisation, local:W gates capped at weight 2; sampling drops the ancillas' bits (docs/math.md §12).")
    var ancillas: Int = 0
    @Flag(name: .customLong("spin-sym"), inversion: .prefixedNo,
          help: "Start from (|0…0⟩ + |1…1⟩)/√2 (docs/math.md §8). Default: on for the embedded data set's IQP model (whatever the gates), off otherwise.")
    var spinSym: Bool?
    @Flag(help: "Train the classical bitflip model with the same parameters (docs/math.md §9).")
    var bitflip = false
    @Option(name: .customLong("init"), help: "Initialisation: data (docs/math.md §6), random (uniform [0, 2π)) or zero (from the |0…0⟩ start θ = 0 is a stationary point: the gradient there is exactly 0 and training does not move; for checks and diagnostics).")
    var initialization: Initialization = .data
    @Option(name: .customLong("init-params"), help: ArgumentHelp("Start from these parameters: a model file with the same gates, a JSON list of numbers (the study's param_init_file), or a .npy array (IQPopt's np.save(params)).", valueName: "file"))
    var initParams: String?
    @Option(name: .customLong("init-scale"), help: "Data init: scale pair gates as C·π·scale/max|C| instead of the default rule.")
    var initScale: Double?
    @Option(name: .customLong("param-noise"), help: "Data init: standard deviation of the other gates' parameters.")
    var paramNoise: Double = 0
}

/// `iqp train`'s options under "Optimisation (Adam)" in its help.
struct TrainOptimiserOptions: ParsableArguments {
    @Option(help: "Adam learning rate.")
    var lr: Double = 1e-3
    @Option(help: "Where Adam runs: root (reduce to root, broadcast θ) or sharded (ZeRO-1: reduce-scatter, each rank updates its slice, allgather θ); the same numbers either way.")
    var optimizer: OptimizerKind = .root
    @Option(help: "Maximum number of steps.")
    var steps: Int = 100
    @Option(name: .customLong("convergence-interval"), help: "Stop early by IQPopt's rule over this many steps: the mean loss changed by less than its noise, or went up.")
    var convergenceInterval: Int?
    @Option(name: .customLong("convergence-on"), help: "The loss the convergence rule watches: train, or validation (needs --val and --val-every K dividing the interval).")
    var convergenceOn: ConvergenceRule.Monitor = .train
    @Option(help: "Random seed: strings, samples and initialisation are keyed by it.")
    var seed: UInt64 = 0
}

/// `iqp train`'s options under "Files: the model, the log, checkpoints, run files" in its help.
struct TrainFileOptions: ParsableArguments {
    @Option(help: "Where to write the trained model (JSON, atomically).")
    var out: String = "model.json"
    @Option(help: "Loss log CSV: step,loss,validation_loss,seconds.")
    var log: String?
    @Option(help: "Checkpoint file (written atomically by root).")
    var checkpoint: String?
    @Option(name: .customLong("checkpoint-every"), help: "Checkpoint every K steps.")
    var checkpointEvery: Int = 0
    @Option(help: "Continue from a checkpoint (any number of ranks).")
    var resume: String?
    @Option(help: ArgumentHelp("Run file (YAML): every option of iqp train as a key (lr: 0.01, sigma: [0.6, 1.3], spin-sym: true); options on the command line override it. With --entry: the study's best_hyperparameters.yaml.", valueName: "file"))
    var config: String?
    @Option(help: ArgumentHelp("With --config: the entry of a study file best_hyperparameters.yaml, MODEL/DATASET (IqpSimulator/8_blobs).", valueName: "name"))
    var entry: String?
    @Flag(name: .customLong("print-config"), help: "Write the settings of this command line, defaults included, as a run file to stdout, and train nothing.")
    var printConfig = false
    @Option(help: "Per-rank phase timings CSV (rank,phase,seconds,steps), written by root.")
    var timings: String?
}
