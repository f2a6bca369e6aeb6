import Foundation
import IQPCore

/// `iqp bench`: seconds per training step (loss + gradient through `MMDObjective.evaluate`,
/// one process) of models with every generator of weight ≤ 2, on the automatically chosen
/// path and on the dense path where it finishes in reasonable time; per row the cost of the
/// gradient relative to one loss evaluation, the GEMM parts' achieved GFLOP/s and where the
/// step's time goes (`StepProfiler`), and the peak resident memory of the steps.
public enum StepBenchmark {
    public struct Configuration: Sendable, Equatable {
        public var nQubits: Int
        public var sigmas: [Double]
        /// Pauli strings per σ (B) and Monte Carlo samples per σ (s).
        public var strings: Int
        public var samples: Int
        /// Rows of the random data set the data term runs over (ignored with a data file).
        public var dataRows: Int

        public init(nQubits: Int, sigmas: [Double], strings: Int = 1000, samples: Int = 1000, dataRows: Int = 1000) {
            self.nQubits = nQubits; self.sigmas = sigmas; self.strings = strings
            self.samples = samples; self.dataRows = dataRows
        }

        /// All generators of weight 1 and 2: n(n+1)/2.
        public var parameters: Int { nQubits * (nQubits + 1) / 2 }
        /// Expected |a| for each σ: n·p(σ).
        public var meanWeights: [Double] { sigmas.map { Double(nQubits) * PauliStringSampler.probability(sigma: $0) } }
    }

    /// The bandwidth whose strings on n qubits have mean weight w: p(σ) = w/n.
    public static func sigma(meanWeight w: Double, nQubits n: Int) -> Double {
        let p = w / Double(n)
        return (-1 / (2 * log1p(-2 * p))).squareRoot()
    }

    /// The study's bandwidths on n = 1000, scaled by √(n/1000) so the mean string weights
    /// (≈ 2.0, 3.6, 17) stay those of the 1000-qubit model.
    public static func scaledStudySigmas(nQubits n: Int) -> [Double] {
        [11.17, 8.35, 3.82].map { ($0 * (Double(n) / 1000).squareRoot() * 100).rounded() / 100 }
    }

    /// The table: n = 100, 300 (one σ with mean weight 2), the study's models
    /// n = 484, 784, 1000 with their σ lists, and n = 2000, 4000 with the 1000-qubit weights.
    /// `quick`: n = 100 and 300 only.
    public static func standardConfigurations(quick: Bool) -> [Configuration] {
        let small = [100, 300].map { Configuration(nQubits: $0, sigmas: [(sigma(meanWeight: 2, nQubits: $0) * 100).rounded() / 100]) }
        if quick { return small }
        return small + [
            Configuration(nQubits: 484, sigmas: [7.76, 6.15, 3.93]),
            Configuration(nQubits: 784, sigmas: [9.89, 7.39, 3.39]),
            Configuration(nQubits: 1000, sigmas: [11.17, 8.35, 3.82]),
            Configuration(nQubits: 2000, sigmas: scaledStudySigmas(nQubits: 2000)),
            Configuration(nQubits: 4000, sigmas: scaledStudySigmas(nQubits: 4000)),
        ]
    }

    /// How one row's steps run: the estimator path and its options (`iqp train
    /// --shared-samples`, `--gemm-precision`, and who runs the GEMMs' threads).
    public struct Variant: Sendable, Equatable {
        public var path: EstimatorPath
        public var sharedSamples: Bool
        public var precision: GEMMPrecision
        public var blasThreading: BLASThreading
        public init(path: EstimatorPath, sharedSamples: Bool = false, precision: GEMMPrecision = .float64,
                    blasThreading: BLASThreading = .panels) {
            self.path = path; self.sharedSamples = sharedSamples; self.precision = precision
            self.blasThreading = blasThreading
        }
        /// "+shared", "+float32", "+library-threads", combinations, or "" for the defaults.
        public var optionsLabel: String {
            (sharedSamples ? "+shared" : "") + (precision == .float64 ? "" : "+" + precision.rawValue)
                + (blasThreading == .panels ? "" : "+library-threads")
        }
        public var label: String { path.rawValue + optionsLabel }
    }

    /// One measured (or skipped) row.
    public struct Row: Sendable {
        public var configuration: Configuration
        public var variant: Variant
        /// The path each σ's block actually took.
        public var paths: [EstimatorPath]
        /// Wall seconds per full step (loss + gradient): median, fastest and slowest; nil when skipped.
        public var secondsPerStep: Double?
        public var fastestStep: Double?
        public var slowestStep: Double?
        /// Median wall seconds of a loss-only evaluation (same strings and samples).
        public var lossSeconds: Double?
        /// Seconds per full step in each `ComputePart` (mean over the timed steps).
        public var breakdown: StepProfiler.Reading?
        public var gemmGflops: Double?
        /// Peak resident bytes during the steps (VmHWM after a reset) of each rank, empty when unavailable.
        public var peakBytes: [Int] = []
        /// The ranks that ran the steps together.
        public var ranks = 1
        public var note: String?

        /// (loss + gradient) / loss: the "backpropagation scaling" ratio.
        public var gradientCostRatio: Double? {
            guard let s = secondsPerStep, let l = lossSeconds, l > 0 else { return nil }
            return s / l
        }

        public static func skipped(_ c: Configuration, _ v: Variant, note: String) -> Row {
            Row(configuration: c, variant: v, paths: [], note: note)
        }
    }

    /// All generators of weight ≤ 2 on n qubits (flat, `Circuit.local`) with small random parameters.
    public static func model(nQubits n: Int, seed: UInt64 = 1) throws -> IQPModel {
        let circuit = try Circuit.local(nQubits: n, maxWeight: 2)
        var stream = KeyedStream(key: seed)
        let params = (0..<circuit.parameterCount).map { _ in (stream.nextUniform() - 0.5) * 0.2 }
        return try IQPModel(circuit: circuit, params: params)
    }

    /// Uniformly random rows.
    public static func randomData(nQubits n: Int, rows: Int, seed: UInt64 = 2) -> BitMatrix {
        var m = BitMatrix(rows: rows, columns: n)
        var stream = KeyedStream(key: seed)
        for i in 0..<m.words.count { m.words[i] = stream.next() }
        for r in 0..<rows { m.words[(r + 1) * m.wordsPerRow - 1] &= m.lastWordMask }
        return m
    }

    /// Dense-path seconds per step predicted from its GEMM flops (4·B·s·m per σ) at `gflops`.
    public static func denseSecondsEstimate(_ c: Configuration, gflops: Double) -> Double {
        4 * Double(c.strings) * Double(c.samples) * Double(c.parameters) * Double(c.sigmas.count) / (gflops * 1e9)
    }

    /// Times `repetitions` loss-only evaluations and `repetitions` full steps (after `warmup`
    /// full steps), alternating them so that both see the same machine load. Collective: every
    /// rank of `communicator` calls it; the times are root's (each step starts after a barrier),
    /// the breakdown root's share, and the peak memory every rank's.
    public static func measure(model: IQPModel, data: BitMatrix, configuration c: Configuration, variant: Variant,
                               warmup: Int = 1, repetitions: Int = 5,
                               communicator: Communicator = LocalCommunicator()) throws -> Row {
        let settings = LossSettings(sigmas: c.sigmas, stringsPerSigma: c.strings, samples: c.samples, estimator: variant.path,
                                    sharedSamples: variant.sharedSamples, gemmPrecision: variant.precision)
        PeakMemory.reset()
        let threading = BLASThreading.current
        BLASThreading.current = variant.blasThreading
        defer { BLASThreading.current = threading }
        let objective = try MMDObjective(model: model, train: data, settings: settings, seed: 7, communicator: communicator)
        for step in 0..<warmup { _ = objective.evaluate(params: model.params, step: UInt64(step)) }
        var full: [Double] = [], loss: [Double] = []
        let profiler = StepProfiler()
        var reading = StepProfiler.Reading(seconds: ComputePart.allCases.map { _ in 0 }, gemmFlops: 0)
        var paths: [EstimatorPath] = []
        for r in 0..<repetitions {
            let step = UInt64(warmup + r)
            communicator.barrier()
            loss.append(time { precondition(objective.evaluate(params: model.params, step: step, gradient: false).loss.isFinite) })
            communicator.barrier()
            profiler.start()
            full.append(time {
                let e = objective.evaluate(params: model.params, step: step)
                precondition(e.loss.isFinite)
                paths = e.paths
            })
            let one = profiler.stop()
            for i in reading.seconds.indices { reading.seconds[i] += one.seconds[i] / Double(repetitions) }
            reading.gemmFlops += one.gemmFlops / Double(repetitions)
        }
        let peaks = communicator.gather([Double(PeakMemory.peakBytes() ?? -1)], root: 0)
        return Row(configuration: c, variant: variant, paths: paths, secondsPerStep: median(full),
                   fastestStep: full.min(), slowestStep: full.max(), lossSeconds: median(loss), breakdown: reading,
                   gemmGflops: reading.gemmSeconds > 0 ? reading.gemmGflopsPerSecond : nil,
                   peakBytes: peaks.contains { $0 < 0 } ? [] : peaks.map { Int($0) }, ranks: communicator.size)
    }

    /// For each configuration: a row on the automatic path and one on the dense path (measured
    /// when its predicted step time at `dgemmGflops` is at most `denseLimit` seconds, else
    /// marked skipped with the prediction), with the measured or predicted speed-up as a note.
    /// `data`: rows to use instead of random ones (their width must be each configuration's n).
    /// `options`: further rows on the auto path with these options (shared samples, float32
    /// GEMMs), each with its speed-up over the plain auto row. Collective over `communicator`
    /// (every rank passes the same arguments, `rate` included).
    public static func run(_ configurations: [Configuration], data: BitMatrix? = nil, options: [Variant] = [],
                           warmup: Int, repetitions: Int, denseLimit: Double, dgemmGflops rate: Double,
                           communicator: Communicator = LocalCommunicator(), progress: (String) -> Void = { _ in }) throws -> [Row] {
        var rows: [Row] = []
        for c in configurations {
            progress("n = \(c.nQubits): building \(c.parameters) parameters…")
            let model = try StepBenchmark.model(nQubits: c.nQubits)
            let rowsOfData = data ?? StepBenchmark.randomData(nQubits: c.nQubits, rows: c.dataRows)
            progress("n = \(c.nQubits): auto path…")
            var auto = try measure(model: model, data: rowsOfData, configuration: c, variant: Variant(path: .auto),
                                   warmup: warmup, repetitions: repetitions, communicator: communicator)
            let predicted = denseSecondsEstimate(c, gflops: rate)
            var dense = Row.skipped(c, Variant(path: .dense), note: String(format: "skipped: predicted %.0f s/step", predicted))
            if auto.paths.allSatisfy({ $0 == .dense }) {
                dense.note = "same as auto"
            } else if predicted <= denseLimit {
                progress(String(format: "n = %d: dense path (predicted %.1f s/step)…", c.nQubits, predicted))
                dense = try measure(model: model, data: rowsOfData, configuration: c, variant: Variant(path: .dense),
                                    warmup: warmup, repetitions: repetitions, communicator: communicator)
                if let a = auto.secondsPerStep, let d = dense.secondsPerStep {
                    auto.note = String(format: "%.0fx faster than dense", d / a)
                    dense.note = String(format: "GEMM at %.0f%% of dgemm", 100 * (dense.gemmGflops ?? 0) / rate)
                }
            } else if let a = auto.secondsPerStep {
                auto.note = String(format: "~%.0fx faster than dense (predicted)", predicted / a)
            }
            rows.append(auto)
            for variant in options {
                progress("n = \(c.nQubits): \(variant.label)…")
                var row = try measure(model: model, data: rowsOfData, configuration: c, variant: variant,
                                      warmup: warmup, repetitions: repetitions, communicator: communicator)
                if let a = auto.secondsPerStep, let o = row.secondsPerStep { row.note = String(format: "%.2fx the speed of plain auto", a / o) }
                rows.append(row)
            }
            rows.append(dense)
        }
        return rows
    }

    /// Achieved GFLOP/s of one size×size×size dgemm through `BLAS.gemm` (median of `repetitions`).
    public static func dgemmRate(size n: Int = 2000, repetitions: Int = 5) -> Double {
        var a = [Double](repeating: 0, count: n * n), b = a, c = a
        var stream = KeyedStream(key: 3)
        for i in 0..<(n * n) { a[i] = stream.nextUniform(); b[i] = stream.nextUniform() }
        var rates: [Double] = []
        a.withUnsafeBufferPointer { ap in b.withUnsafeBufferPointer { bp in c.withUnsafeMutableBufferPointer { cp in
            for _ in 0...repetitions {
                let s = time {
                    BLAS.gemm(m: n, n: n, k: n, a: ap.baseAddress!, lda: n, b: bp.baseAddress!, ldb: n, c: cp.baseAddress!, ldc: n)
                }
                rates.append(2 * pow(Double(n), 3) / s / 1e9)
            }
        }}}
        rates.removeFirst()    // warm-up
        return median(rates)
    }

    /// Wall seconds of `body`.
    public static func time(_ body: () -> Void) -> Double {
        let stopwatch = Stopwatch()
        body()
        return stopwatch.seconds
    }

    public static func median(_ values: [Double]) -> Double {
        let v = values.sorted(), c = v.count
        return c % 2 == 1 ? v[c / 2] : (v[c / 2 - 1] + v[c / 2]) / 2
    }
}
