import Foundation
import IQPCore

/// `iqp bench --exact`: seconds per training step (loss + gradient, one process) of the exact
/// path (docs/math.md §10) next to the Monte Carlo path that `--estimator auto` would otherwise
/// take (dense, or fast for weight-≤2 circuits) on the same model and data, side by side in one
/// run; per row the step's cost relative to a loss-only evaluation (the gradient's cost).
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
        /// Median wall seconds per step (loss + gradient) and per loss-only evaluation; nil when skipped.
        public var secondsPerStep: Double?
        public var lossSeconds: Double?
        public var peakBytes: Int?
        public var note: String

        /// (loss + gradient) / loss: the "backpropagation scaling" ratio.
        public var gradientCostRatio: Double? {
            guard let s = secondsPerStep, let l = lossSeconds, l > 0 else { return nil }
            return s / l
        }
    }

    /// For each configuration: the exact path, then the Monte Carlo path when its predicted step
    /// time (`ExactPathCost.monteCarloSeconds`) is at most `denseLimit` seconds (else the
    /// prediction), both on the given data (or 1000 random rows of the right width).
    public static func run(_ configurations: [Configuration], data: BitMatrix?, warmup: Int, repetitions: Int,
                           denseLimit: Double, progress: (String) -> Void = { _ in }) throws -> [Row] {
        var rows: [Row] = []
        for c in configurations {
            let circuit = try Circuit.local(nQubits: c.nQubits, maxWeight: c.maxWeight)
            var stream = KeyedStream(key: 1)
            let model = try IQPModel(circuit: circuit, params: (0..<circuit.parameterCount).map { _ in (stream.nextUniform() - 0.5) * 0.2 })
            let train = data?.columns == c.nQubits ? data! : StepBenchmark.randomData(nQubits: c.nQubits, rows: 1000)
            progress("n = \(c.nQubits), \(circuit.parameterCount) parameters: exact path…")
            var exactRow = try {   // the exact path's vectors are freed before the next measurement
                let settings = LossSettings(sigmas: c.sigmas, memoryBudget: 1 << 34, estimator: .exact)
                let exact = try MMDObjective(model: model, train: train, settings: settings, seed: 7)
                let (step, loss, peak, _) = timeSteps(exact, model: model, warmup: warmup, repetitions: repetitions)
                return Row(configuration: c, parameters: circuit.parameterCount, path: "exact", secondsPerStep: step,
                           lossSeconds: loss, peakBytes: peak, note: "no estimator noise")
            }()
            let settings = LossSettings(sigmas: c.sigmas, stringsPerSigma: c.strings, samples: c.samples, estimator: .auto)
            let predicted = ExactPathCost.monteCarloSeconds(circuit: circuit, kind: .iqp, settings: settings)
            var monteCarloRow = Row(configuration: c, parameters: circuit.parameterCount, path: "Monte Carlo",
                                    note: "skipped: predicted " + BenchTable.format(seconds: predicted) + "/step")
            if predicted <= denseLimit {
                progress("n = \(c.nQubits): Monte Carlo path (predicted " + BenchTable.format(seconds: predicted) + "/step)…")
                let monteCarlo = try MMDObjective(model: model, train: train, settings: settings, seed: 7)
                let (step, loss, peak, paths) = timeSteps(monteCarlo, model: model, warmup: min(warmup, 1),
                                                          repetitions: max(1, repetitions / 5))
                monteCarloRow = Row(configuration: c, parameters: circuit.parameterCount, path: "auto:" + paths.sorted().joined(separator: ","),
                                    secondsPerStep: step, lossSeconds: loss, peakBytes: peak, note: "B = \(c.strings), s = \(c.samples)")
                exactRow.note += "; " + ratio(step / exactRow.secondsPerStep!)
            } else {
                exactRow.note += "; ~" + ratio(predicted / exactRow.secondsPerStep!) + " (predicted)"
            }
            rows += [exactRow, monteCarloRow]
        }
        return rows
    }

    /// Median seconds of full steps and of loss-only evaluations (alternated, after `warmup`
    /// full steps), the peak resident bytes during them, and the paths the steps took.
    static func timeSteps(_ objective: MMDObjective, model: IQPModel, warmup: Int,
                          repetitions: Int) -> (step: Double, loss: Double, peak: Int?, paths: Set<String>) {
        PeakMemory.reset()
        for i in 0..<warmup { precondition(objective.evaluate(params: model.params, step: UInt64(i)).loss.isFinite) }
        var full: [Double] = [], loss: [Double] = [], paths = Set<String>()
        for r in 0..<repetitions {
            let step = UInt64(warmup + r)
            loss.append(StepBenchmark.time {
                precondition(objective.evaluate(params: model.params, step: step, gradient: false).loss.isFinite)
            })
            full.append(StepBenchmark.time {
                let e = objective.evaluate(params: model.params, step: step)
                precondition(e.loss.isFinite)
                paths.formUnion(e.paths.map(\.rawValue))
            })
        }
        return (StepBenchmark.median(full), StepBenchmark.median(loss), PeakMemory.peakBytes(), paths)
    }

    /// "12x faster than Monte Carlo" or "3.1x slower than Monte Carlo".
    static func ratio(_ r: Double) -> String {
        r >= 1 ? String(format: "%.0fx faster than Monte Carlo", r) : String(format: "%.1fx slower than Monte Carlo", 1 / r)
    }

    /// The table: one line per row.
    public static func table(_ rows: [Row]) -> String {
        var lines = [["n", "weights", "params", "sigma", "path", "s/step", "step/loss", "peak RSS", "note"]]
        for r in rows {
            let c = r.configuration
            lines.append(["\(c.nQubits)", "≤ \(c.maxWeight)", "\(r.parameters)",
                          c.sigmas.map { String(format: "%g", $0) }.joined(separator: ","), r.path,
                          r.secondsPerStep.map { BenchTable.format(seconds: $0) } ?? "-",
                          r.gradientCostRatio.map { String(format: "%.2f", $0) } ?? "-",
                          r.peakBytes.map { String(format: "%.0f MiB", Double($0) / 1048576) } ?? "-", r.note])
        }
        return BenchTable.align(lines, leftAligned: ["sigma", "path", "note"])
    }
}
