import XCTest
@testable import IQPCore

/// The fast path's options against its plain f64 form: single-precision GEMMs (an error bound),
/// several bandwidths' blocks over one shared sample block (the same numbers as separate
/// blocks with those samples), and the buffers it reuses from step to step.
final class FastPathOptionTests: XCTestCase {
    func model(n: Int, seed: UInt64, spinSym: Bool = false) -> IQPModel {
        var gates = TestCircuits.allSubsets(n: n, maxWeight: 2)
        gates.append([[0, 1], [2], [n - 1, 3]])   // shared parameter over three generators
        gates.append([[1, 0]])                    // a repeated pair
        return TestCircuits.model(n: n, gates: gates, seed: seed, spinSym: spinSym, scale: 0.7)
    }

    func blocks(n: Int, sigmas: [Double], strings b: Int, seed: UInt64) -> [BitMatrix] {
        sigmas.enumerated().map { k, sigma in
            PauliStringSampler(nQubits: n, sigma: sigma).strings(seed: seed, step: 1, sigmaIndex: k, range: 0..<b)
        }
    }

    func maxRelative(_ x: [Double], _ y: [Double]) -> Double {
        let scale = x.map { abs($0) }.max() ?? 0
        return zip(x, y).map { abs($0 - $1) }.max()! / max(scale, 1e-300)
    }

    /// float32 GEMMs: Σf and ∂L/∂θ' within 5·10⁻⁵ of f64 (relative to the largest entry). f32
    /// rounds each local field to ~|L|·6·10⁻⁸ plus the sum over n terms, so φ moves by ~10⁻⁶;
    /// these cases show at most 6·10⁻⁶ (printed), far below the Monte Carlo error (~1/√s).
    func testFloat32GEMMsStayWithinTheirErrorBound() throws {
        for (n, sigma, spinSym) in [(64, 3.0, false), (200, 5.0, false), (120, 2.0, true)] {
            let m = model(n: n, seed: UInt64(n), spinSym: spinSym)
            let tp = m.circuit.generatorParameters(m.params)
            let strings = blocks(n: n, sigmas: [sigma], strings: 80, seed: 3)[0]
            let z = UniformSampleSampler.samples(nQubits: n, seed: 3, step: 1, sigmaIndex: 0, range: 0..<150)
            let f64 = try PairwiseIsingEstimator(circuit: m.circuit)
            let f32 = try PairwiseIsingEstimator(circuit: m.circuit, precision: .float32)
            let a = f64.forward(thetaPrime: tp, strings: strings, samples: z, spinSym: spinSym)
            let b = f32.forward(thetaPrime: tp, strings: strings, samples: z, spinSym: spinSym)
            let alpha = (0..<80).map { Double($0 % 9) / 9 - 0.45 }
            let ga = f64.backward(a, thetaPrime: tp, alpha: alpha, beta: -0.3)
            let gb = f32.backward(b, thetaPrime: tp, alpha: alpha, beta: -0.3)
            let forwardError = maxRelative(a.rowSum, b.rowSum), gradientError = maxRelative(ga, gb)
            print("float32 GEMMs, n = \(n): Σf error \(forwardError), gradient error \(gradientError)")
            XCTAssertLessThan(forwardError, 5e-5, "n = \(n)")
            XCTAssertLessThan(gradientError, 5e-5, "n = \(n)")
            XCTAssertGreaterThan(gradientError, 0, "f32 must differ from f64 somewhere, or it did not run")
        }
    }

    /// Blocks of three bandwidths over one sample block give, per block, the sums of a separate
    /// forward with those samples, and the summed gradient of three separate backward passes —
    /// with φ kept or recomputed (tiny budget), plain or spin-symmetric, through both entry points.
    func testSharedSampleBlocksEqualSeparateBlocks() throws {
        for (spinSym, budget) in [(false, DenseEstimator.defaultMemoryBudget), (true, 1 << 16)] {
            let n = 40
            let m = model(n: n, seed: 9, spinSym: spinSym)
            let tp = m.circuit.generatorParameters(m.params)
            let strings = blocks(n: n, sigmas: [2.5, 1.4, 0.7], strings: 50, seed: 4)
            let z = UniformSampleSampler.samples(nQubits: n, seed: 4, step: 1, sigmaIndex: 0, range: 0..<120)
            let fast = try PairwiseIsingEstimator(circuit: m.circuit, memoryBudget: budget)
            XCTAssertEqual(fast.keepsTrigonometry(strings: 50, samples: 120), budget > 1 << 16)
            let shared = fast.forward(thetaPrime: tp, stringBlocks: strings, samples: z, spinSym: spinSym)
            let separate = strings.map { fast.forward(thetaPrime: tp, strings: $0, samples: z, spinSym: spinSym) }
            for k in 0..<3 {
                XCTAssertLessThan(maxRelative(separate[k].rowSum, shared[k].rowSum), 1e-12)
                XCTAssertLessThan(maxRelative(separate[k].rowSumSquares, shared[k].rowSumSquares), 1e-12)
            }
            let alphas = (0..<3).map { k in (0..<50).map { Double(($0 + k) % 7) / 7 - 0.4 } }, betas = [-0.2, 0.1, -0.05]
            let together = fast.backward(shared, thetaPrime: tp, alphas: alphas, betas: betas)
            var sum = [Double](repeating: 0, count: tp.count)
            for k in 0..<3 {
                let g = fast.backward(separate[k], thetaPrime: tp, alpha: alphas[k], beta: betas[k])
                for j in 0..<sum.count { sum[j] += g[j] }
            }
            XCTAssertLessThan(maxRelative(sum, together), 1e-11, "spinSym \(spinSym)")
            // The path-selecting entry point gives the same, and its dense blocks the same numbers.
            let auto = try PathSelectingEstimator(circuit: m.circuit, memoryBudget: budget)
            let f = auto.forward(thetaPrime: tp, stringBlocks: strings, sampleBlocks: [z], spinSym: spinSym)
            XCTAssertLessThan(maxRelative(together, auto.backward(f, thetaPrime: tp, alphas: alphas, betas: betas)), 1e-11)
            let dense = try PathSelectingEstimator(circuit: m.circuit, path: .dense)
            let fd = dense.forward(thetaPrime: tp, stringBlocks: strings, sampleBlocks: [z], spinSym: spinSym)
            XCTAssertEqual(fd.map(\.path), [.dense, .dense, .dense])
            XCTAssertLessThan(maxRelative(together, dense.backward(fd, thetaPrime: tp, alphas: alphas, betas: betas)), 1e-10)
        }
    }

    /// A second step reuses the first step's buffers (nothing is held once the forwards are
    /// dropped) and repeats its numbers exactly; a larger block afterwards still fits.
    func testStepBuffersAreReusedAndLeaveNoState() throws {
        let n = 30
        let m = model(n: n, seed: 2)
        let tp = m.circuit.generatorParameters(m.params)
        let fast = try PairwiseIsingEstimator(circuit: m.circuit)
        func step(strings b: Int) -> ([Double], [Double]) {
            let s = blocks(n: n, sigmas: [1.5, 0.9], strings: b, seed: 8)
            let z = UniformSampleSampler.samples(nQubits: n, seed: 8, step: 1, sigmaIndex: 0, range: 0..<64)
            let f = fast.forward(thetaPrime: tp, stringBlocks: s, samples: z, spinSym: false)
            let g = fast.backward(f, thetaPrime: tp, alphas: [[Double](repeating: 0.3, count: b), [Double](repeating: -0.1, count: b)],
                                  betas: [0.2, 0.1])
            return (f[0].rowSum + f[1].rowSum, g)
        }
        let first = step(strings: 40)
        XCTAssertEqual(fast.pool.bytesInUse, 0, "every buffer went back to the pool")
        let second = step(strings: 40)
        XCTAssertEqual(first.0, second.0)
        XCTAssertEqual(first.1, second.1)
        let larger = step(strings: 70)
        XCTAssertEqual(larger.0.count, 140)
        XCTAssertEqual(fast.pool.bytesInUse, 0)
    }

    /// Both layouts of J and C (full n×n when the strings touch half the qubits, rows of U
    /// otherwise) give the dense path's numbers, with independent sample blocks per bandwidth.
    func testFullAndRowCouplingsBothMatchTheDensePath() throws {
        let n = 64
        let m = model(n: n, seed: 12)
        let tp = m.circuit.generatorParameters(m.params)
        let fast = try PairwiseIsingEstimator(circuit: m.circuit), dense = DenseEstimator(circuit: m.circuit)
        for (sigmas, b, full) in [([4.0, 3.0], 8, false), ([1.0, 0.6], 40, true)] {
            let strings = blocks(n: n, sigmas: sigmas, strings: b, seed: 6)
            let samples = (0..<2).map { UniformSampleSampler.samples(nQubits: n, seed: 6, step: 1, sigmaIndex: $0, range: 0..<90) }
            let f = fast.forward(thetaPrime: tp, stringBlocks: strings, sampleBlocks: samples, spinSym: false)
            XCTAssertEqual(f[0].step.dense, full)
            XCTAssertEqual(f[0].step.groups.count, 2)
            let alphas = [[Double](repeating: 0.2, count: b), (0..<b).map { Double($0) / Double(b) - 0.5 }]
            let g = fast.backward(f, thetaPrime: tp, alphas: alphas, betas: [-0.3, 0.15])
            var expected = [Double](repeating: 0, count: tp.count)
            for k in 0..<2 {
                let d = dense.forward(thetaPrime: tp, strings: strings[k], samples: samples[k], spinSym: false)
                XCTAssertLessThan(maxRelative(d.rowSum, f[k].rowSum), 1e-10)
                let gd = dense.backward(d, thetaPrime: tp, alpha: alphas[k], beta: [-0.3, 0.15][k])
                for j in 0..<expected.count { expected[j] += gd[j] }
            }
            XCTAssertLessThan(maxRelative(expected, g), 1e-10, "full J and C: \(full)")
        }
    }
}
