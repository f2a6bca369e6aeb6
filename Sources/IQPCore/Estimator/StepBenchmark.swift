import Foundation

/// `iqp bench`: seconds per training step (loss + gradient through `MMDObjective.evaluate`,
/// one process) of models with every generator of weight ≤ 2, on the automatically chosen
/// path and on the dense path where it finishes in reasonable time, with the GEMM parts'
/// achieved GFLOP/s (`GEMMMeter`) and the peak resident memory of the steps.
public enum StepBenchmark {
    public struct Configuration: Sendable, Equatable {
        public var nQubits: Int
        public var sigmas: [Double]
        /// Pauli strings per σ (B) and Monte Carlo samples per σ (s).
        public var strings: Int
        public var samples: Int
        /// Rows of the random data set the data term runs over.
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

    /// One measured (or skipped) row.
    public struct Row: Sendable {
        public var configuration: Configuration
        /// The path asked for, and the path each σ's block actually took.
        public var requested: EstimatorPath
        public var paths: [EstimatorPath]
        /// Median wall seconds per step; nil when skipped.
        public var secondsPerStep: Double?
        public var gemmGflops: Double?
        /// Peak resident bytes during the steps (VmHWM after a reset), nil when unavailable.
        public var peakBytes: Int?
        public var note: String?
    }

    /// All generators of weight ≤ 2 on n qubits with small random parameters.
    public static func model(nQubits n: Int, seed: UInt64 = 1) throws -> IQPModel {
        let circuit = try Circuit(nQubits: n, gates: try GateBuilders.local(nQubits: n, maxWeight: 2))
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

    /// Runs `warmup` + `repetitions` steps (each with its own random streams) on `path`.
    public static func measure(model: IQPModel, data: BitMatrix, configuration c: Configuration,
                               path: EstimatorPath, warmup: Int = 1, repetitions: Int = 5) throws -> Row {
        let settings = LossSettings(sigmas: c.sigmas, stringsPerSigma: c.strings, samples: c.samples, estimator: path)
        PeakMemory.reset()
        let objective = try MMDObjective(model: model, train: data, settings: settings, seed: 7)
        for step in 0..<warmup { _ = objective.evaluate(params: model.params, step: UInt64(step)) }
        var times: [Double] = [], paths: [EstimatorPath] = []
        GEMMMeter.shared.start()
        for r in 0..<repetitions {
            let t0 = DispatchTime.now().uptimeNanoseconds
            let e = objective.evaluate(params: model.params, step: UInt64(warmup + r))
            times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) * 1e-9)
            precondition(e.loss.isFinite)
            paths = e.paths
        }
        let gemm = GEMMMeter.shared.stop()
        times.sort()
        let median = times.count % 2 == 1 ? times[times.count / 2] : (times[times.count / 2 - 1] + times[times.count / 2]) / 2
        return Row(configuration: c, requested: path, paths: paths, secondsPerStep: median,
                   gemmGflops: gemm.seconds > 0 ? gemm.gflopsPerSecond : nil, peakBytes: PeakMemory.peakBytes())
    }

    /// For each configuration: a row on the automatic path and one on the dense path (measured
    /// when its predicted step time at `dgemmGflops` is at most `denseLimit` seconds, else
    /// marked skipped with the prediction), with the measured or predicted speed-up as a note.
    public static func run(_ configurations: [Configuration], warmup: Int, repetitions: Int, denseLimit: Double,
                           dgemmGflops rate: Double, progress: (String) -> Void = { _ in }) throws -> [Row] {
        var rows: [Row] = []
        for c in configurations {
            progress("n = \(c.nQubits): building \(c.parameters) parameters…")
            let model = try StepBenchmark.model(nQubits: c.nQubits)
            let data = StepBenchmark.randomData(nQubits: c.nQubits, rows: c.dataRows)
            progress("n = \(c.nQubits): auto path…")
            var auto = try measure(model: model, data: data, configuration: c, path: .auto,
                                   warmup: warmup, repetitions: repetitions)
            let predicted = denseSecondsEstimate(c, gflops: rate)
            var dense = Row(configuration: c, requested: .dense, paths: [], secondsPerStep: nil, gemmGflops: nil,
                            peakBytes: nil, note: String(format: "skipped: predicted %.0f s/step", predicted))
            if auto.paths.allSatisfy({ $0 == .dense }) {
                dense.note = "same as auto"
            } else if predicted <= denseLimit {
                progress(String(format: "n = %d: dense path (predicted %.1f s/step)…", c.nQubits, predicted))
                dense = try measure(model: model, data: data, configuration: c, path: .dense,
                                    warmup: warmup, repetitions: repetitions)
                if let a = auto.secondsPerStep, let d = dense.secondsPerStep {
                    auto.note = String(format: "%.0fx faster than dense", d / a)
                    dense.note = String(format: "GEMM at %.0f%% of dgemm", 100 * (dense.gemmGflops ?? 0) / rate)
                }
            } else if let a = auto.secondsPerStep {
                auto.note = String(format: "~%.0fx faster than dense (predicted)", predicted / a)
            }
            rows.append(auto)
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
                let t0 = DispatchTime.now().uptimeNanoseconds
                BLAS.gemm(m: n, n: n, k: n, a: ap.baseAddress!, lda: n, b: bp.baseAddress!, ldb: n, c: cp.baseAddress!, ldc: n)
                let s = Double(DispatchTime.now().uptimeNanoseconds - t0) * 1e-9
                rates.append(2 * pow(Double(n), 3) / s / 1e9)
            }
        }}}
        rates.removeFirst()    // warm-up
        rates.sort()
        return rates[rates.count / 2]
    }

    /// The table: one line per row, fixed-width columns.
    public static func table(_ rows: [Row]) -> String {
        let header = ["n", "params", "B", "s", "sigma", "mean |a|", "path", "s/step", "GEMM GFLOP/s", "peak RSS", "note"]
        var lines: [[String]] = [header]
        for r in rows {
            let c = r.configuration
            let pathText: String
            if r.requested == .auto {
                let used = Set(r.paths)
                pathText = "auto:" + (used.count == 1 ? used.first!.rawValue : r.paths.map(\.rawValue).joined(separator: ","))
            } else {
                pathText = r.requested.rawValue
            }
            lines.append([
                "\(c.nQubits)", "\(c.parameters)", "\(c.strings)", "\(c.samples)",
                c.sigmas.map { String(format: "%g", $0) }.joined(separator: ","),
                c.meanWeights.map { String(format: "%.1f", $0) }.joined(separator: ","),
                pathText,
                r.secondsPerStep.map { format(seconds: $0) } ?? "-",
                r.gemmGflops.map { String(format: "%.1f", $0) } ?? "-",
                r.peakBytes.map { String(format: "%.0f MiB", Double($0) / 1048576) } ?? "-",
                r.note ?? "",
            ])
        }
        let widths = header.indices.map { i in lines.map { $0[i].count }.max()! }
        return lines.map { cells in
            cells.enumerated().map { i, cell in
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                return i >= 4 && i <= 6 || i == 10 ? cell + pad : pad + cell
            }.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }.joined(separator: "\n") + "\n"
    }

    static func format(seconds s: Double) -> String {
        s < 1 ? String(format: "%.1f ms", s * 1000) : String(format: "%.2f s", s)
    }

    /// Peak resident memory of this process (Linux: VmHWM, reset through /proc/self/clear_refs).
    public enum PeakMemory {
        /// Sets the peak to the current resident size (no effect where unsupported).
        public static func reset() {
            if let h = fopen("/proc/self/clear_refs", "w") { fputs("5", h); fclose(h) }
        }

        public static func peakBytes() -> Int? {
            guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
            for line in text.split(separator: "\n") where line.hasPrefix("VmHWM:") {
                let parts = line.split(separator: " ", omittingEmptySubsequences: true)
                if parts.count >= 2, let kb = Int(parts[1]) { return kb * 1024 }
            }
            return nil
        }
    }
}
