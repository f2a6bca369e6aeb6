/// The bad-input corpus of `BadInputCorpusTests`: one command line per case, run once against
/// the fixture folder (`$D` in an argument is its path), with the exit status it must end with
/// (64: the command line is wrong; 1: the run failed on its inputs; docs/cli.md) and words its
/// one-line message must contain.
struct BadInputCase {
    var name: String
    var arguments: [String]
    var status: Int32
    var message: [String]

    init(_ name: String, _ arguments: String, _ status: Int32, _ message: String...) {
        self.name = name
        self.arguments = arguments.split(separator: " ").map(String.init)
        self.status = status
        self.message = message
    }
}

enum BadInputCorpus {
    static let usage: Int32 = 64
    static let failure: Int32 = 1

    /// A short training run on the fixture data, `--out` a fresh name, followed by `extra`. The
    /// data has 4 qubits, where `--estimator auto` takes the exact path: the cases about Monte
    /// Carlo sizes add `--estimator dense`.
    static func train(_ extra: String, data: String = "$D/good.csv") -> String {
        "train --data \(data) --steps 2 --ops 10 --samples 10 --eval-ops 0 --quiet --out $D/new.json " + extra
    }

    static let cases: [BadInputCase] = commandLine + trainFiles + checkpoints + otherCommands + hostileSizes
        + hiddenInputs + silentResults + unsafeMessages

    /// Wrong command lines: exit 64 before anything is read or written.
    static let commandLine: [BadInputCase] = [
        .init("unknown command", "frobnicate", usage, "Unexpected argument 'frobnicate'"),
        .init("unknown option", train("--bogus 1"), usage, "--bogus"),
        .init("steps not a number", train("--steps abc"), usage, "steps", "abc"),
        .init("negative learning rate", train("--lr -1"), usage, "--lr", "positive"),
        .init("checkpoint-every alone", train("--checkpoint-every 5"), usage, "--checkpoint-every", "--checkpoint"),
        .init("val-every without val", train("--val-every 2"), usage, "--val-every", "--val"),
        .init("val without val-every", train("--val $D/good.csv"), usage, "--val", "--val-every"),
        .init("init-scale without data init", train("--init random --init-scale 2"), usage, "--init-scale", "--init data"),
        .init("negative param-noise", train("--param-noise -1"), usage, "--param-noise", "at least 0"),
        .init("eval-ops below batches", train("--eval-ops 5"), usage, "--eval-ops", "at least 10"),
        .init("eval-samples 1", "train --eval-samples 1 --out $D/new.json", usage, "--eval-samples", "at least 2"),
        .init("ops 0", train("--ops 0"), usage, "--ops", "at least 1"),
        .init("samples 1", train("--samples 1"), usage, "--samples", "at least 2"),
        .init("negative sigma", train("--sigma -1"), usage, "--sigma", "positive"),
        .init("zero sigma", train("--sigma 0.5,0"), usage, "--sigma", "positive"),
        .init("sigma not a number", train("--sigma abc"), usage, "--sigma", "abc"),
        .init("memory budget unit", train("--memory-budget 12Q"), usage, "memory-budget", "12Q"),
        .init("two gate sources", train("--gates local:2 --graph $D/graph.adjlist"), usage, "at most one of"),
        .init("checkpoint to stdout", train("--checkpoint -"), usage, "--checkpoint", "standard output"),
        .init("samples-out without shots", train("--samples-out $D/shots.csv"), usage, "--samples-out needs --shots"),
        .init("zero shots", train("--shots 0"), usage, "--shots", "at least 1"),
        .init("circuit-out without qasm", train("--shots 5 --circuit-out $D/c.qasm"), usage, "--circuit-out needs --sampler qasm"),
        .init("eval without model", "eval --data $D/good.csv", usage, "--model"),
        .init("eval one batch", "eval --model $D/model.json --data $D/good.csv --batches 1", usage, "--batches", "at least 2"),
        .init("eval ops below batches", "eval --model $D/model.json --data $D/good.csv --ops 5", usage, "--ops", "--batches"),
        .init("eval negative sigma", "eval --model $D/model.json --data $D/good.csv --sigma -1", usage,
              "--sigma", "bandwidth -1.0 must be positive"),
        .init("eval bad memory budget", "eval --model $D/model.json --data $D/good.csv --memory-budget lots", usage,
              "memory-budget", "lots"),
        .init("eval bad estimator", "eval --model $D/model.json --data $D/good.csv --estimator magic", usage, "magic"),
        .init("expval samples 1", "expval --model $D/model.json --ops $D/ops.csv --samples 1", usage, "--samples", "at least 2"),
        .init("expval bad memory budget", "expval --model $D/model.json --ops $D/ops.csv --memory-budget -5", usage, "memory-budget"),
        .init("bars count 0", "data bars-and-stripes --count 0 --seed 1 --out $D/new.csv", usage, "--count", "at least 1"),
        .init("bars negative count", "data bars-and-stripes --count -3 --seed 1 --out $D/new.csv", usage, "--count", "-3"),
        .init("bars 31 rows", "data bars-and-stripes --rows 31 --count 5 --seed 1 --out $D/new.csv", usage, "rows", "31"),
        .init("bars without count", "data bars-and-stripes --out $D/new.csv", usage, "--count"),
        .init("ising without graph", "data ising --count 5 --seed 1 --out $D/new.csv", usage, "--lattice", "--graph"),
        .init("ising lattice without rows", "data ising --lattice 0x3 --count 5 --seed 1 --out $D/new.csv", usage,
              "--lattice", "0x3"),
        .init("ising two biases", "data ising --lattice 3x3 --bias 1 --bias-per-degree 1 --count 5 --seed 1 --out $D/new.csv",
              usage, "--bias"),
        .init("ising test-count alone", "data ising --lattice 3x3 --count 5 --test-count 5 --seed 1 --out $D/new.csv",
              usage, "--test-count", "--test-out"),
        .init("blobs noise 2", "data blobs --noise 2 --seed 1 --out $D/new.csv", usage, "--noise"),
        .init("blobs count 0", "data blobs --count 0 --seed 1 --out $D/new.csv", usage, "--count"),
        .init("info grid ranks 0", "info grid --ranks 0", usage, "--ranks"),
        .init("info grid ranks too many", "info grid --ranks 2000000", usage, "--ranks"),
        .init("info grid ops alone", "info grid --ops 10", usage, "--ops and --samples together"),
        .init("info grid nothing to lay out", "info grid", usage, "--ops and --samples, or --grid"),
        .init("info predict one time", "info predict-scaling --compute-seconds 0.3", usage, "--compute-seconds", "two values"),
        .init("info predict no time", "info predict-scaling", usage, "--compute-seconds"),
        .init("info old flag", "info --check-collectives", usage, "--check-collectives"),
        .init("sample zero shots", "sample --model $D/model.json --shots 0 --out $D/new.csv", usage, "--shots"),
        .init("sample without out", "sample --model $D/model.json --shots 5", usage, "--out"),
        .init("export unknown format", "export --model $D/model.json --format qasm9", usage, "qasm9"),
    ]

    /// `iqp train` on bad files and outputs: exit 1, naming the file (and line and field).
    static let trainFiles: [BadInputCase] = [
        .init("missing data", train("", data: "$D/missing.csv"), failure, "missing.csv"),
        .init("ragged data", train("", data: "$D/ragged.csv"), failure, "ragged.csv:3:", "expected 4"),
        .init("symbol in data", train("", data: "$D/symbol.csv"), failure, "symbol.csv:2:", "'2'"),
        .init("empty data", train("", data: "$D/empty.csv"), failure, "empty.csv", "no data"),
        .init("narrow test", train("--test $D/narrow.csv"), failure, "narrow.csv", "2 columns"),
        .init("gate out of range", train("--gates-file $D/gates-range.json"), failure, "gates-range.json:3:", "out of range"),
        .init("gate qubit twice", train("--gates-file $D/gates-dup.json"), failure, "gates-dup.json:2:", "twice"),
        .init("out is the data", train("--out $D/good.csv"), failure, "--out", "--data", "replace that input"),
        .init("out spelled otherwise", train("--out $D/./sub/../good.csv"), failure, "replace that input"),
        .init("out links to the data", train("--out $D/link.csv"), failure, "--out", "replace that input"),
        .init("log is the out", train("--log $D/new.json"), failure, "same file"),
        .init("log is the test", train("--test $D/good4.csv --log $D/good4.csv"), failure, "--log", "--test"),
        .init("two outputs on stdout", train("--log - --timings /dev/stdout"), failure, "both write to standard output"),
        .init("out folder missing", train("--out $D/nowhere/m.json"), failure, "nowhere", "does not exist"),
        .init("out is a folder", train("--out $D/sub"), failure, "directory"),
        .init("samples over budget", train("--samples 99999999999 --estimator dense"), failure, "--samples 99999999999", "--memory-budget"),
        .init("ops over budget", train("--ops 99999999999 --estimator dense"), failure, "--ops 99999999999", "--memory-budget"),
        .init("small budget", train("--memory-budget 1K --estimator dense"), failure, "more than the memory budget of 1 KiB"),
        .init("eval-ops over budget", train("--test $D/good.csv --eval-ops 99999999999 --estimator dense"), failure, "--eval-ops", "--memory-budget"),
        .init("test too small", train("--test $D/tiny.csv --eval-ops 100"), failure, "tiny.csv", "at least 20 test rows"),
        .init("wire out of range", train("--wires 0,9"), failure, "9"),
        .init("local shots over budget", train("--shots 999999999999999"), failure, "--shots 999999999999999"),
    ]

    /// `iqp train --resume` with damaged or foreign checkpoints: exit 1, naming the file and field.
    static let checkpoints: [BadInputCase] = [
        .init("checkpoint missing", train("--resume $D/missing-ckpt.json"), failure, "missing-ckpt.json"),
        .init("checkpoint truncated", train("--resume $D/ckpt-truncated.json"), failure, "ckpt-truncated.json"),
        .init("checkpoint format", train("--resume $D/ckpt-format.json"), failure, "ckpt-format.json:2:", "'format'"),
        .init("checkpoint step vs history", train("--resume $D/ckpt-step.json"), failure, "ckpt-step.json:3:", "'step'", "history"),
        .init("checkpoint negative step", train("--resume $D/ckpt-negstep.json"), failure, "ckpt-negstep.json:3:", "'step'"),
        .init("checkpoint seed", train("--resume $D/ckpt-seed.json"), failure, "ckpt-seed.json:4:", "'seed'"),
        .init("checkpoint learning rate", train("--resume $D/ckpt-lr.json"), failure, "ckpt-lr.json:5:", "learning_rate", "positive"),
        .init("checkpoint sigma", train("--resume $D/ckpt-sigma.json"), failure, "ckpt-sigma.json:6:", "positive"),
        .init("checkpoint samples", train("--resume $D/ckpt-samples.json"), failure, "ckpt-samples.json:8:", "'samples'"),
        .init("checkpoint fingerprint", train("--resume $D/ckpt-fingerprint.json"), failure, "ckpt-fingerprint.json:10:",
              "data_fingerprint", "16 hex digits"),
        .init("checkpoint adam count", train("--resume $D/ckpt-adam-count.json"), failure, "ckpt-adam-count.json:11:",
              "adam_count", "step 3"),
        .init("checkpoint adam v negative", train("--resume $D/ckpt-adam-v.json"), failure, "ckpt-adam-v.json:", "adam_v",
              "second moment"),
        .init("checkpoint adam m short", train("--resume $D/ckpt-adam-m.json"), failure, "ckpt-adam-m.json:", "adam_m",
              "one per parameter"),
        .init("checkpoint other data", train("--resume $D/ckpt.json", data: "$D/good4.csv"), failure, "ckpt.json",
              "different"),
        .init("checkpoint other circuit", train("--resume $D/ckpt.json --gates local:1"), failure, "ckpt.json", "circuit"),
        .init("checkpoint other sigma", train("--resume $D/ckpt.json --sigma 2"), failure, "ckpt.json", "bandwidth"),
    ]

    /// eval, expval, data, sample, export on bad files and outputs: exit 1.
    static let otherCommands: [BadInputCase] = [
        .init("eval model missing", "eval --model $D/missing.json --data $D/good.csv", failure, "missing.json"),
        .init("eval data too wide", "eval --model $D/model.json --data $D/wide.csv", failure, "wide.csv", "5 columns"),
        .init("eval out is the data", "eval --model $D/model.json --data $D/good.csv --out $D/good.csv", failure,
              "--out", "--data", "replace that input"),
        .init("eval ops over budget", "eval --model $D/model.json --data $D/good.csv --ops 999999999999", failure,
              "--ops 999999999999", "--memory-budget"),
        .init("eval samples over budget", "eval --model $D/model.json --data $D/good.csv --samples 99999999999", failure,
              "--samples 99999999999", "--memory-budget"),
        .init("eval exact over budget", "eval --model $D/model.json --data $D/good.csv --exact --memory-budget 16", failure,
              "memory-budget"),
        .init("expval infinite parameter", "expval --model $D/inf.json --ops $D/ops.csv", failure, "inf.json:3:"),
        .init("expval spin_sym a number", "expval --model $D/typed.json --ops $D/ops.csv", failure, "typed.json:4:", "spin_sym"),
        .init("expval samples over budget", "expval --model $D/model.json --ops $D/ops.csv --samples 99999999999", failure,
              "--samples 99999999999", "--memory-budget"),
        .init("expval out is the ops", "expval --model $D/model.json --ops $D/ops.csv --out $D/ops.csv", failure,
              "--ops", "replace that input"),
        .init("bars count over memory", "data bars-and-stripes --count 2000000000000 --seed 1 --out $D/new.csv", failure,
              "--count 2000000000000", "memory budget"),
        .init("ising count over memory", "data ising --lattice 3x3 --count 999999999999 --seed 1 --out $D/new.csv", failure,
              "--count 999999999999"),
        .init("ising out and test-out", "data ising --lattice 3x3 --count 5 --test-count 5 --test-out $D/new.csv --seed 1 --out $D/new.csv",
              failure, "same file"),
        .init("ising bad graph", "data ising --graph $D/bad.adjlist --count 5 --seed 1 --out $D/new.csv", failure, "bad.adjlist"),
        .init("ising out is the graph", "data ising --graph $D/graph.adjlist --count 5 --seed 1 --out $D/graph.adjlist", failure,
              "--graph", "replace that input"),
        .init("blobs peaks missing", "data blobs --peaks $D/missing.csv --seed 1 --out $D/new.csv", failure, "missing.csv"),
        .init("blobs out is the peaks", "data blobs --peaks $D/good.csv --seed 1 --out $D/good.csv", failure, "replace that input"),
        .init("sample out is the model", "sample --model $D/model.json --shots 5 --out $D/model.json", failure, "replace that input"),
        .init("sample model missing", "sample --model $D/missing.json --shots 5 --out $D/new.csv", failure, "missing.json"),
        .init("export out is the model", "export --model $D/model.json --out $D/model.json", failure, "replace that input"),
        .init("export model malformed", "export --model $D/inf.json --out $D/new.qasm", failure, "inf.json:3:"),
    ]

    /// Sizes claimed by a file or set by an option: a one-line error before anything is
    /// allocated (issue 19, classes 2 and 3).
    static let hostileSizes: [BadInputCase] = [
        .init("sample 10^10 qubits", "sample --model $D/huge-n.json --shots 5 --out $D/new.csv", failure,
              "huge-n.json:1:", "n_qubits", "more than 2147483647"),
        .init("sample 10^9 qubits", "sample --model $D/big-n.json --shots 5 --out $D/new.csv", failure, "1000000000 qubits"),
        .init("expval 10^10 qubits", "expval --model $D/huge-n.json --ops $D/ops.csv", failure, "huge-n.json", "n_qubits"),
        .init("expval 10^9 qubits", "expval --model $D/big-n.json --ops $D/ops.csv", failure, "ops.csv"),
        .init("export 10^10 qubits", "export --model $D/huge-n.json --out $D/new.qasm", failure, "huge-n.json", "n_qubits"),
        .init("export 10^9 qubits", "export --model $D/big-n.json --out $D/new.qasm", failure, "big-n.json", "n_qubits",
              "memory budget"),
        .init("eval 10^10 qubits", "eval --model $D/huge-n.json --data $D/good.csv", failure, "huge-n.json", "n_qubits"),
        .init("eval 10^9 qubits", "eval --model $D/big-n.json --data $D/good.csv", failure, "good.csv"),
        .init("gates-file 10^10 qubits", train("--gates-file $D/huge-n.json"), failure, "huge-n.json", "n_qubits"),
        .init("gates-file 10^9 qubits", train("--gates-file $D/big-n.json"), failure, "big-n.json", "1000000000 qubits"),
        .init("init-params 10^10 qubits", train("--init-params $D/huge-n.json"), failure, "huge-n.json", "n_qubits"),
        .init("resume 10^10 qubits", train("--resume $D/ckpt-huge-n.json"), failure, "ckpt-huge-n.json", "n_qubits"),
        .init("wires beyond 32 bits", train("--wires 0-99999999999"), usage, "--wires", "99999999999"),
        .init("wires over budget", train("--wires 0-2000000000"), usage, "--wires 0-2000000000", "memory budget"),
        .init("eval wires beyond 32 bits", "eval --model $D/model.json --data $D/good.csv --wires 0-99999999999", usage,
              "--wires", "99999999999"),
        .init("sigma heuristic over budget", train("--sigma heuristic:99999999999"), failure,
              "--sigma heuristic:99999999999", "memory budget"),
    ]

    /// Every path an option reads is an input, also inside an option's value (class 4).
    static let hiddenInputs: [BadInputCase] = [
        .init("out is the init-params", train("--init-params $D/init.json --out $D/init.json"), failure,
              "--out", "--init-params", "replace that input"),
        .init("log is the init-params", train("--init-params $D/init.json --log $D/init.json"), failure,
              "--log", "--init-params", "replace that input"),
        .init("log is the gate spec's graph", train("--gates nn:1:2:graph:$D/graph.adjlist --log $D/graph.adjlist"),
              failure, "--log", "--gates", "replace that input"),
        .init("out is the graph spec's file", train("--gates graph:$D/graph.adjlist --out $D/graph.adjlist"),
              failure, "--out", "--gates", "replace that input"),
    ]

    /// Results that would be wrong without saying so (class 6).
    static let silentResults: [BadInputCase] = [
        .init("expval huge parameters", "expval --model $D/huge-params.json --ops $D/ops.csv --exact", failure,
              "not a number", "params["),
        .init("expval huge parameters sampled", "expval --model $D/huge-params.json --ops $D/ops.csv", failure,
              "not a number", "params["),
        .init("eval huge parameters", "eval --model $D/huge-params.json --data $D/good.csv --exact", failure,
              "MMD²", "not a number"),
        .init("npy unexpected key", train("", data: "$D/extra-key.npy"), failure, "extra-key.npy", "unexpected key"),
        .init("resume with another lr", train("--resume $D/ckpt.json --lr 0.01"), failure, "ckpt.json", "learning rate"),
        .init("checkpoint adam overflow", train("--resume $D/ckpt-adam-huge.json"), failure, "ckpt-adam-huge.json:",
              "adam_m[0]", "overflows"),
    ]

    /// Messages that must not mislead or reach the terminal raw (class 7).
    static let unsafeMessages: [BadInputCase] = [
        .init("escape sequence in data", train("", data: "$D/escape.csv"), failure, "escape.csv:2:", "\\e[31m"),
        .init("graph label of 26 digits", train("--graph $D/long-label.adjlist"), failure, "long-label.adjlist:1:",
              "not a node label"),
        .init("data is a device", train("", data: "/dev/zero"), failure, "/dev/zero", "not a regular file"),
        .init("data is a folder", train("", data: "$D/sub"), failure, "directory"),
        .init("grid negative", train("--grid -1x-1"), usage, "--grid", "-1x-1", "at least one row"),
        .init("grid overflowing", train("--grid 9999999999x9999999999"), failure, "--grid", "ranks"),
    ]
}
