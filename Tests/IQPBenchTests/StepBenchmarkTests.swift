import XCTest
import IQPBench
import IQPCore

/// The benchmark's own arithmetic: the profiler's flop and time totals, the bandwidths of its
/// rows, and the table it prints (no timings are asserted).
final class StepBenchmarkTests: XCTestCase {
    /// The profiler counts 2·m·n·k flops per GEMM between start() and stop(), nothing after.
    func testProfilerCountsGEMMFlops() {
        let a = [Double](repeating: 1, count: 6 * 4), b = [Double](repeating: 2, count: 4 * 5)
        var c = [Double](repeating: 0, count: 6 * 5)
        let profiler = StepProfiler()
        profiler.start()
        BLAS.gemm(m: 6, n: 5, k: 4, a: a, lda: 4, b: b, ldb: 5, c: &c, ldc: 5)
        let af = a.map { Float($0) }, bf = b.map { Float($0) }
        var cf = [Float](repeating: 0, count: 6 * 5)
        BLAS.gemm(m: 6, n: 5, k: 4, a: af, lda: 4, b: bf, ldb: 5, c: &cf, ldc: 5)
        let reading = profiler.stop()
        BLAS.gemm(m: 6, n: 5, k: 4, a: a, lda: 4, b: b, ldb: 5, c: &c, ldc: 5)
        XCTAssertEqual(reading.gemmFlops, 2 * 2 * 6 * 5 * 4)
        XCTAssertEqual(c[7], 8)
        XCTAssertEqual(cf[7], 8)
        XCTAssertNil(ComputeProfile.current, "stop() uninstalls the profiler")
        XCTAssertEqual(profiler.stop().gemmFlops, 2 * 2 * 6 * 5 * 4, "a GEMM after stop() is not counted")
    }

    /// The breakdown of a real fast-path step names every part, and the parts fit in the step.
    func testBreakdownOfAFastStep() throws {
        let c = StepBenchmark.Configuration(nQubits: 40, sigmas: [2.0, 1.2], strings: 60, samples: 50, dataRows: 100)
        let model = try StepBenchmark.model(nQubits: 40)
        let row = try StepBenchmark.measure(model: model, data: StepBenchmark.randomData(nQubits: 40, rows: 100),
                                            configuration: c, variant: .init(path: .fast), warmup: 0, repetitions: 2)
        let b = try XCTUnwrap(row.breakdown)
        XCTAssertEqual(row.paths, [.fast, .fast])
        for part in [ComputePart.gemm, .sinCos, .pairLoops] { XCTAssertGreaterThan(b[part], 0, "\(part)") }
        // Two GEMMs per σ of 2·|U|·n·s flops each, |U| ≤ n.
        XCTAssertGreaterThan(b.gemmFlops, 0)
        XCTAssertLessThanOrEqual(b.gemmFlops, 2 * 2 * (2 * 40 * 40 * 50))
        XCTAssertNotNil(row.gradientCostRatio)
        let text = BenchTable.text([row], breakdown: true)
        for column in ["step/loss", "GEMM", "sin/cos", "pair loops", "data term", "other"] {
            XCTAssertTrue(text.contains(column), "column \(column) in\n\(text)")
        }
    }

    /// `iqp bench --options`: one more auto row per option set after the plain auto row, each
    /// labelled with its options and carrying its step/loss ratio and speed against plain auto.
    func testOptionRowsRunWithTheirOptions() throws {
        let c = StepBenchmark.Configuration(nQubits: 30, sigmas: [2.0, 1.2], strings: 40, samples: 30, dataRows: 50)
        let options = [StepBenchmark.Variant(path: .auto, sharedSamples: true),
                       StepBenchmark.Variant(path: .auto, precision: .float32),
                       StepBenchmark.Variant(path: .auto, sharedSamples: true, precision: .float32)]
        XCTAssertEqual(options.map(\.label), ["auto+shared", "auto+float32", "auto+shared+float32"])
        let rows = try StepBenchmark.run([c], options: options, warmup: 0, repetitions: 1, denseLimit: 0, dgemmGflops: 10)
        XCTAssertEqual(rows.map(\.variant), [StepBenchmark.Variant(path: .auto)] + options + [StepBenchmark.Variant(path: .dense)])
        for row in rows.dropLast() { XCTAssertNotNil(row.gradientCostRatio, row.variant.label) }
        let text = BenchTable.text(rows)
        XCTAssertTrue(text.contains("auto:fast+shared+float32"), text)
        XCTAssertTrue(text.contains("the speed of plain auto"), text)
    }

    /// The benchmark's bandwidths give the asked-for mean string weight n·p(σ).
    func testBenchmarkSigmaForMeanWeight() {
        for n in [100, 300, 4000] {
            let sigma = StepBenchmark.sigma(meanWeight: 2, nQubits: n)
            XCTAssertEqual(Double(n) * PauliStringSampler.probability(sigma: sigma), 2, accuracy: 1e-12)
        }
        // The scaled 1000-qubit list keeps the 1000-qubit weights (2.0, 3.6, 16.8) within 2%
        // (the σ are rounded to two decimals).
        let c = StepBenchmark.Configuration(nQubits: 4000, sigmas: StepBenchmark.scaledStudySigmas(nQubits: 4000))
        let ref = StepBenchmark.Configuration(nQubits: 1000, sigmas: [11.17, 8.35, 3.82])
        for (w, r) in zip(c.meanWeights, ref.meanWeights) { XCTAssertEqual(w, r, accuracy: 0.02 * r) }
    }
}
