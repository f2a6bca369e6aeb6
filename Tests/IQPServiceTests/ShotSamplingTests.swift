import Foundation
import IQPCore
import IQPTestSupport
@testable import IQPSampler
import XCTest

/// Shots against exact distributions (χ² goodness of fit with fixed seeds), reproducibility,
/// readout noise, the bitflip model and memory admission.
final class ShotSamplingTests: XCTestCase {
    /// z = 3.72 is the standard normal quantile of tail probability 1e-4: with a fixed seed the
    /// test is deterministic, and a correct sampler fails it for one seed in ten thousand.
    let zTail = 3.72

    func assertFits(_ shots: BitMatrix, _ p: [Double], _ label: String, file: StaticString = #filePath, line: UInt = #line) {
        let (chi2, df) = Reference.chiSquared(counts: Reference.counts(shots), probabilities: p, shots: shots.rows)
        let limit = Reference.chiSquaredQuantile(df: df, z: zTail)
        XCTAssertGreaterThan(df, 20, label, file: file, line: line)
        XCTAssertLessThan(chi2, limit, "\(label): χ² = \(chi2) with \(df) degrees of freedom", file: file, line: line)
    }

    /// χ² goodness of fit of 100,000 shots of an 8-qubit circuit against its exact distribution
    /// (the gate-by-gate state vector), plain and spin-symmetric, both precisions.
    func testShotsFitExactDistribution() throws {
        for spinSym in [false, true] {
            let model = try Reference.randomModel(nQubits: 8, gates: 20, maxWeight: 3, seed: 31, spinSym: spinSym)
            let p = Reference.stateVectorProbabilities(model)
            for precision in Precision.allCases {
                let (shots, _) = try ExactIQPSimulator(model: model, precision: precision).sample(shots: 100_000, seed: 5)
                XCTAssertEqual(shots.rows, 100_000)
                XCTAssertEqual(shots.columns, 8)
                assertFits(shots, p, "spinSym \(spinSym) \(precision)")
            }
        }
    }

    /// A wrong distribution is rejected by the same test (the test can fail): shots of one
    /// circuit against the probabilities of a slightly different one.
    func testChiSquaredDetectsWrongDistribution() throws {
        var model = try Reference.randomModel(nQubits: 8, gates: 20, maxWeight: 3, seed: 31)
        let (shots, _) = try ExactIQPSimulator(model: model).sample(shots: 100_000, seed: 5)
        model.params[0] += 0.05
        let p = Reference.stateVectorProbabilities(model)
        let (chi2, df) = Reference.chiSquared(counts: Reference.counts(shots), probabilities: p, shots: shots.rows)
        XCTAssertGreaterThan(chi2, Reference.chiSquaredQuantile(df: df, z: zTail))
    }

    /// (seed, job) reproduces the shots bit for bit; another seed gives other shots.
    func testSeedReproducibility() throws {
        let model = try Reference.randomModel(nQubits: 9, gates: 20, maxWeight: 3, seed: 41)
        let noise = try ReadoutNoise(p01: 0.02, p10: 0.05)
        let request = SamplingRequest(model: model, shots: 5000, seed: 1234, noise: noise)
        let a = try ShotSampler.run(request).shots
        let b = try ShotSampler.run(request).shots
        XCTAssertEqual(a, b)
        var other = request
        other.seed = 1235
        XCTAssertNotEqual(try ShotSampler.run(other).shots, a)
        // The first k shots of a larger job are the k shots of a smaller one (per-shot streams).
        var larger = request
        larger.shots = 8000
        XCTAssertEqual(try ShotSampler.run(larger).shots.rows(0..<5000), a)

        var bitflip = model
        bitflip.kind = .bitflip
        let c = try ShotSampler.run(SamplingRequest(model: bitflip, shots: 3000, seed: 9, noise: noise)).shots
        let d = try ShotSampler.run(SamplingRequest(model: bitflip, shots: 3000, seed: 9, noise: noise)).shots
        XCTAssertEqual(c, d)
    }

    /// Readout noise: from |0…0> (all θ = 0) the fraction of ones is p01; from |1…1>
    /// (single-qubit gates at θ = π/2) the fraction of zeros is p10; within 4 standard errors.
    func testReadoutNoiseRates() throws {
        let n = 6, shots = 50_000
        let zeroModel = try IQPModel(circuit: Circuit(nQubits: n, gates: (0..<n).map { [[$0]] }),
                                     params: [Double](repeating: 0, count: n))
        var oneModel = zeroModel
        oneModel.params = [Double](repeating: Double.pi / 2, count: n)
        let noise = try ReadoutNoise(p01: 0.1, p10: 0.03)
        for (model, rate, countOnes) in [(zeroModel, 0.1, true), (oneModel, 0.03, false)] {
            let m = try ShotSampler.run(SamplingRequest(model: model, shots: shots, seed: 77, noise: noise)).shots
            let ones = (0..<shots).reduce(0) { $0 + m.popcount(row: $1) }
            let flips = countOnes ? ones : shots * n - ones
            let observed = Double(flips) / Double(shots * n)
            let se = (rate * (1 - rate) / Double(shots * n)).squareRoot()
            XCTAssertEqual(observed, rate, accuracy: 4 * se)
        }
        // Per-qubit rates: only qubit 2 is noisy.
        let perQubit = try ReadoutNoise(p01: [0, 0, 0.5, 0, 0, 0], p10: [0])
        let m = try ShotSampler.run(SamplingRequest(model: zeroModel, shots: 20_000, seed: 3, noise: perQubit)).shots
        let means = m.columnMeans()
        for q in 0..<n where q != 2 { XCTAssertEqual(means[q], 0) }
        XCTAssertEqual(means[2], 0.5, accuracy: 4 * (0.25 / 20_000).squareRoot())
        XCTAssertThrowsError(try ShotSampler.run(SamplingRequest(model: zeroModel, shots: 1, seed: 3,
                                                                 noise: ReadoutNoise(p01: [0.1, 0.1], p10: [0]))))
        XCTAssertThrowsError(try ReadoutNoise(p01: 1.5, p10: 0))
    }

    /// Noisy shots fit the exact distribution pushed through the flip channel.
    func testNoisyShotsFitNoisyDistribution() throws {
        let model = try Reference.randomModel(nQubits: 7, gates: 15, maxWeight: 3, seed: 51)
        let p = Reference.withReadoutNoise(Reference.stateVectorProbabilities(model), nQubits: 7, p01: 0.05, p10: 0.2)
        let shots = try ShotSampler.run(SamplingRequest(model: model, shots: 60_000, seed: 8,
                                                        noise: ReadoutNoise(p01: 0.05, p10: 0.2))).shots
        assertFits(shots, p, "noisy")
    }

    /// The bitflip model (docs/math.md §9): the enumerated distribution has
    /// <Z_a> = Π_j cos(2θ'_j [g_j·a odd]) exactly, and the sampler's shots fit it (χ²).
    func testBitflipModel() throws {
        for spinSym in [false, true] {
            let model = try Reference.randomModel(nQubits: 8, gates: 16, maxWeight: 3, seed: 61, spinSym: spinSym,
                                                  kind: .bitflip)
            let p = Reference.bitflipDistribution(model)
            let thetaPrime = model.circuit.generatorParameters(model.params)
            let masks = model.circuit.generators.map { $0.reduce(0) { $0 | (1 << $1) } }
            for a in [1, 3, 6, 0b1011_0101, 255] {
                var expected = 1.0
                for (j, mask) in masks.enumerated() where (mask & a).nonzeroBitCount % 2 == 1 {
                    expected *= cos(2 * thetaPrime[j])
                }
                if spinSym && a.nonzeroBitCount % 2 == 1 { expected = 0 }
                XCTAssertEqual(Reference.expectationZ(p, a: a), expected, accuracy: 1e-12)
            }
            let shots = try BitflipSampler(model: model).sample(shots: 100_000, seed: 17).shots
            assertFits(shots, p, "bitflip spinSym \(spinSym)")
        }
    }

    /// The bitflip sampler at n = 300 (multi-word rows): each qubit's marginal matches the
    /// exact product formula P(x_i = 1) = (1 − Π_{j∋i} cos 2θ'_j)/2 within 4 standard errors.
    func testBitflipWideRows() throws {
        let n = 300
        var gates: [[[Int]]] = []
        for i in 0..<n { gates.append([[i]]); gates.append([[i, (i + 1) % n]]) }
        var stream = KeyedStream(key: 5)
        let params = gates.map { _ in stream.nextUniform() - 0.5 }
        let model = try IQPModel(circuit: Circuit(nQubits: n, gates: gates), params: params, kind: .bitflip)
        let shots = 20_000
        let m = try BitflipSampler(model: model).sample(shots: shots, seed: 2).shots
        XCTAssertEqual(m.wordsPerRow, 5)
        let means = m.columnMeans()
        let thetaPrime = model.circuit.generatorParameters(model.params)
        for q in [0, 63, 64, 150, 299] {
            var z = 1.0
            for (j, g) in model.circuit.generators.enumerated() where g.contains(q) { z *= cos(2 * thetaPrime[j]) }
            let p1 = (1 - z) / 2
            XCTAssertEqual(means[q], p1, accuracy: 4 * (p1 * (1 - p1) / Double(shots)).squareRoot() + 1e-12)
        }
    }

    func testCancellation() throws {
        let model = try Reference.randomModel(nQubits: 16, gates: 10, maxWeight: 2, seed: 1)
        XCTAssertThrowsError(try ShotSampler.run(SamplingRequest(model: model, shots: 10, seed: 1), isCancelled: { true })) {
            XCTAssertTrue($0 is SamplingCancelled)
        }
    }

    /// The simulator asks whether it is cancelled often (between the chunks of every phase, up
    /// to 64 per pass over the state), and a cancellation at any of those checks ends the job
    /// with `SamplingCancelled`, never with shots.
    func testCancellationIsCheckedThroughoutTheJob() throws {
        let request = SamplingRequest(model: try Reference.randomModel(nQubits: 18, gates: 30, maxWeight: 2, seed: 2),
                                      shots: 5000, seed: 1)
        let full = CheckCounter(cancelAt: .max)
        _ = try ShotSampler.run(request, isCancelled: { full.check() })
        // At n = 18 (182 checks with any number of threads): 8 chunks for zeroing and for each
        // pass of the transforms, 8 to 64 for the exponentiation rounds, 16 for each scan of
        // the probabilities. At n = 29 each of these passes has 64 chunks.
        XCTAssertGreaterThan(full.count, 150)
        for k in [1, 2, full.count / 3, full.count / 2, full.count - 1] {
            let counter = CheckCounter(cancelAt: k)
            XCTAssertThrowsError(try ShotSampler.run(request, isCancelled: { counter.check() }), "cancelled at check \(k)") {
                XCTAssertTrue($0 is SamplingCancelled, "\($0)")
            }
        }
    }

    /// Counts `isCancelled` calls; true from call `cancelAt` on.
    final class CheckCounter: @unchecked Sendable {
        private let lock = NSLock()
        private var calls = 0
        let cancelAt: Int
        init(cancelAt: Int) { self.cancelAt = cancelAt }
        var count: Int { lock.withLock { calls } }
        func check() -> Bool { lock.withLock { calls += 1; return calls >= cancelAt } }
    }

    /// Memory admission names qubits, precision and both sizes.
    func testMemoryAdmission() throws {
        let gib = 1 << 30
        let limits = SamplerLimits(maxMemoryBytes: 12 * gib, maxShots: 1_000_000)
        XCTAssertThrowsError(try limits.admit(nQubits: 31, kind: .iqp, precision: .complex64, shots: 1000,
                                              budgetName: "the service's budget")) { error in
            XCTAssertEqual("\(error)", "31 qubits in complex64 needs 16 GiB of state, over the service's budget of 12 GiB")
        }
        XCTAssertNoThrow(try limits.admit(nQubits: 30, kind: .iqp, precision: .complex64, shots: 1000))
        XCTAssertThrowsError(try limits.admit(nQubits: 30, kind: .iqp, precision: .complex128, shots: 1000))
        XCTAssertNoThrow(try limits.admit(nQubits: 5000, kind: .bitflip, precision: .complex128, shots: 1000))
        XCTAssertThrowsError(try limits.admit(nQubits: 10, kind: .iqp, precision: .complex128, shots: 2_000_000)) {
            XCTAssertEqual("\($0)", "field 'shots': 2000000 is over the limit of 1000000 shots per job")
        }
        XCTAssertThrowsError(try limits.admit(nQubits: 10, kind: .iqp, precision: .complex128, shots: -1))
        XCTAssertThrowsError(try limits.admit(nQubits: 5000, kind: .iqp, precision: .complex64, shots: 1,
                                              budgetName: "the service's budget")) { error in
            XCTAssertEqual("\(error)", "5000 qubits in complex64 needs 2^5000 amplitudes of state, over the service's budget of 12 GiB")
        }
        XCTAssertEqual(formatBytes(1.5 * Double(gib)), "1.5 GiB")
        XCTAssertEqual(formatBytes(.infinity), "inf bytes")
        XCTAssertEqual(formatBytes(512), "512 bytes")
    }
}
