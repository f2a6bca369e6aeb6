import Foundation

/// `iqp bench --exact`: seconds per training step (loss + gradient, one process) of the exact
/// path (docs/math.md §10) next to the Monte Carlo path that `--estimator auto` would otherwise
/// take (dense, or fast for weight-≤2 circuits) on the same model and data, side by side in one run.
public enum ExactStepBenchmark {
    public struct Configuration: Sendable, Equatable {
        public var nQubits: Int
        /// All generators of weight ≤ maxWeight (`local:K`).
        public var maxWeight: Int
        public var sigmas: [Double]
        /// The Monte Carlo path's strings and samples per σ (B, s).
        public var strings: Int
        public var samples: Int

        public init(nQubits: Int, maxWeight: Int, sigmas: [Double], strings: Int = 1000, samples: Int = 1000) {
            self.nQubits = nQubits; self.maxWeight = maxWeight; self.sigmas = sigmas
            self.strings = strings; self.samples = samples
        }
    }

    /// The study's blobs-8 model (16 qubits, weight ≤ 6: 14,892 parameters), and all weight-≤2
    /// models on 20 and 24 qubits; two bandwidths each.
    public static let standardConfigurations: [Configuration] = [
        Configuration(nQubits: 16, maxWeight: 6, sigmas: [1, 2]),
        Configuration(nQubits: 20, maxWeight: 2, sigmas: [1, 2]),
        Configuration(nQubits: 24, maxWeight: 2, sigmas: [1, 2]),
    ]

    public struct Row: Sendable {
        public var configuration: Configuration
        public var parameters: Int
        public var path: String
        /// "12x faster than Monte Carlo" or "3.1x slower than Monte Carlo".
    static func ratio(_ r: Double) -> String {
        r >= 1 ? String(format: "%.0fx faster than Monte Carlo", r) : String(format: "%.1fx slower than Monte Carlo", 1 / r)
    }

    /// Median wall seconds per step; nil when skipped.
        public var secondsPerStep: Double?
        public var peakBytes: Int?
        public var note: String
    }

    /// For each configuration: the exact path, then the Monte Carlo path when its predicted step
    /// time (`ExactPathCost.monteCarloSeconds`) is at most `denseLimit` seconds (else the
    /// prediction), both on the given data (or 1000 random rows of the right width).
    public static func run(_ configurations: [Configuration], data: BitMatrix?, warmup: Int, repetitions: Int,
                           denseLimit: Double, progress: (String) -> Void = { _ in }) throws -> [Row] {
        var rows: [Row] = []
        for c in configurations {
            let circuit = try Circuit(nQubits: c.nQubits, gates: try GateBuilders.local(nQubits: c.nQubits, maxWeight: c.maxWeight))
            var stream = KeyedStream(key: 1)
            let model = try IQPModel(circuit: circuit, params: (0..<circuit.parameterCount).map { _ in (stream.nextUniform() - 0.5) * 0.2 })
            let train = data?.columns == c.nQubits ? data! : StepBenchmark.randomData(nQubits: c.nQubits, rows: 1000)
            progress("n = \(c.nQubits), \(circuit.parameterCount) parameters: exact path…")
            StepBenchmark.PeakMemory.reset()
            let exactSettings = LossSettings(sigmas: c.sigmas, memoryBudget: 1 << 34, estimator: .exact)
            let exactSeconds = try {   // the exact path's vectors are freed before the next measurement
                let exact = try MMDObjective(model: model, train: train, settings: exactSettings, seed: 7)
                return median(warmup: warmup, repetitions: repetitions) { step in
                    precondition(exact.evaluate(params: model.params, step: UInt64(step)).loss.isFinite)
                }
            }()
            var exactRow = Row(configuration: c, parameters: circuit.parameterCount, path: "exact", secondsPerStep: exactSeconds,
                               peakBytes: StepBenchmark.PeakMemory.peakBytes(), note: "no estimator noise")
            let settings = LossSettings(sigmas: c.sigmas, stringsPerSigma: c.strings, samples: c.samples, estimator: .auto)
            let predicted = ExactPathCost.monteCarloSeconds(circuit: circuit, kind: .iqp, settings: settings)
            var monteCarloRow = Row(configuration: c, parameters: circuit.parameterCount, path: "Monte Carlo", secondsPerStep: nil,
                                    peakBytes: nil, note: "skipped: predicted " + StepBenchmark.format(seconds: predicted) + "/step")
            if predicted <= denseLimit {
                progress("n = \(c.nQubits): Monte Carlo path (predicted " + StepBenchmark.format(seconds: predicted) + "/step)…")
                StepBenchmark.PeakMemory.reset()
                let monteCarlo = try MMDObjective(model: model, train: train, settings: settings, seed: 7)
                var paths = Set<String>()
                let seconds = median(warmup: min(warmup, 1), repetitions: max(1, repetitions / 5)) { step in
                    let e = monteCarlo.evaluate(params: model.params, step: UInt64(step))
                    precondition(e.loss.isFinite)
                    paths.formUnion(e.paths.map(\.rawValue))
                }
                monteCarloRow.path = "auto:" + paths.sorted().joined(separator: ",")
                monteCarloRow.secondsPerStep = seconds
                monteCarloRow.peakBytes = StepBenchmark.PeakMemory.peakBytes()
                monteCarloRow.note = "B = \(c.strings), s = \(c.samples)"
                exactRow.note += "; " + ratio(seconds / exactSeconds)
            } else {
                exactRow.note += "; ~" + ratio(predicted / exactSeconds) + " (predicted)"
            }
            rows += [exactRow, monteCarloRow]
        }
        return rows
    }

    /// "12x faster than Monte Carlo" or "3.1x slower than Monte Carlo".
    static func ratio(_ r: Double) -> String {
        r >= 1 ? String(format: "%.0fx faster than Monte Carlo", r) : String(format: "%.1fx slower than Monte Carlo", 1 / r)
    }

    /// Median wall seconds of `repetitions` calls after `warmup` untimed ones (argument: the call's index).
    static func median(warmup: Int, repetitions: Int, _ body: (Int) -> Void) -> Double {
        for i in 0..<warmup { body(i) }
        var times: [Double] = []
        for r in 0..<repetitions {
            let t0 = DispatchTime.now().uptimeNanoseconds
            body(warmup + r)
            times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) * 1e-9)
        }
        times.sort()
        return times.count % 2 == 1 ? times[times.count / 2] : (times[times.count / 2 - 1] + times[times.count / 2]) / 2
    }

    /// The table: one line per row.
    public static func table(_ rows: [Row]) -> String {
        var lines = [["n", "weights", "params", "sigma", "path", "s/step", "peak RSS", "note"]]
        for r in rows {
            let c = r.configuration
            lines.append(["\(c.nQubits)", "≤ \(c.maxWeight)", "\(r.parameters)",
                          c.sigmas.map { String(format: "%g", $0) }.joined(separator: ","), r.path,
                          r.secondsPerStep.map { StepBenchmark.format(seconds: $0) } ?? "-",
                          r.peakBytes.map { String(format: "%.0f MiB", Double($0) / 1048576) } ?? "-", r.note])
        }
        let widths = lines[0].indices.map { i in lines.map { $0[i].count }.max()! }
        return lines.map { cells in
            cells.enumerated().map { i, cell in
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                return i == 3 || i == 4 || i == 7 ? cell + pad : pad + cell
            }.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }.joined(separator: "\n") + "\n"
    }
}
