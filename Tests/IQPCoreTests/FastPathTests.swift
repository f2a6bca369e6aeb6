import XCTest
@testable import IQPCore
import IQPTestSupport

/// The weight-≤2 fast path (docs/math.md §5) against the dense path, finite differences and a
/// brute-force state vector; the column-major data term; the path choice.
final class FastPathTests: XCTestCase {
    /// All weight-1 and weight-2 gates, plus shared-parameter gates and a duplicated pair.
    func sharedPairGates(n: Int) -> [[[Int]]] {
        var gates = TestCircuits.allSubsets(n: n, maxWeight: 2)
        gates.append([[0, 1], [2], [n - 1, 3]])   // one parameter on three generators
        gates.append([[1, 0]])                    // the pair {0,1} again, reversed
        gates.append([[n - 2]])                   // a second weight-1 generator on one qubit
        return gates
    }

    /// Largest |x − y| over the entries, relative to the largest |x|.
    func relativeDifference(_ x: [Double], _ y: [Double]) -> Double {
        precondition(x.count == y.count)
        let scale = x.map { abs($0) }.max() ?? 0
        let diff = zip(x, y).map { abs($0 - $1) }.max() ?? 0
        return diff / max(scale, 1e-300)
    }

    /// Forward sums and backward gradients of the two estimators on the same block.
    func compareEstimators(n: Int, sigma: Double, spinSym: Bool, strings b: Int = 40, samples s: Int = 70,
                           memoryBudget: Int = DenseEstimator.defaultMemoryBudget, seed: UInt64, gates: [[[Int]]]? = nil,
                           file: StaticString = #filePath, line: UInt = #line) throws {
        let model = TestCircuits.model(n: n, gates: gates ?? sharedPairGates(n: n), seed: seed, spinSym: spinSym, scale: 0.7)
        let tp = model.circuit.generatorParameters(model.params)
        let strings = PauliStringSampler(nQubits: n, sigma: sigma).strings(seed: seed, step: 3, sigmaIndex: 1, range: 0..<b)
        let z = UniformSampleSampler.samples(nQubits: n, seed: seed, step: 3, sigmaIndex: 1, range: 0..<s)
        let dense = DenseEstimator(circuit: model.circuit)
        let fast = try PairwiseIsingEstimator(circuit: model.circuit, memoryBudget: memoryBudget)
        let fd = dense.forward(thetaPrime: tp, strings: strings, samples: z, spinSym: spinSym)
        let ff = fast.forward(thetaPrime: tp, strings: strings, samples: z, spinSym: spinSym)
        XCTAssertLessThanOrEqual(relativeDifference(fd.rowSum, ff.rowSum), 1e-10, "Σf", file: file, line: line)
        XCTAssertLessThanOrEqual(relativeDifference(fd.rowSumSquares, ff.rowSumSquares), 1e-10, "Σf²", file: file, line: line)
        let alpha = (0..<b).map { Double($0 % 7) / 7 - 0.4 }
        let gd = dense.backward(fd, thetaPrime: tp, alpha: alpha, beta: -0.35)
        let gf = fast.backward(ff, thetaPrime: tp, alpha: alpha, beta: -0.35)
        XCTAssertLessThanOrEqual(relativeDifference(gd, gf), 1e-10, "∂L/∂θ'", file: file, line: line)
        XCTAssertGreaterThan(gd.map { abs($0) }.max()!, 1e-3, "gradient should not vanish", file: file, line: line)
        // The strings really are of mixed weight (some pairs, some empty).
        let weights = (0..<b).map { strings.popcount(row: $0) }
        XCTAssertGreaterThan(weights.max()!, 1, file: file, line: line)
    }

    func testFastEqualsDenseOnPlainStart() throws {
        for (n, sigma) in [(5, 0.6), (12, 1.0), (40, 2.5), (64, 4.0), (64, 1.2)] {
            try compareEstimators(n: n, sigma: sigma, spinSym: false, seed: UInt64(n))
        }
    }

    func testFastEqualsDenseOnSpinSymmetricStart() throws {
        for (n, sigma) in [(6, 0.8), (33, 1.5), (64, 3.0)] {
            try compareEstimators(n: n, sigma: sigma, spinSym: true, seed: UInt64(100 + n))
        }
    }

    /// A tiny budget drops the kept cos/sin (φ recomputed) and splits the backward pass into
    /// string chunks: the numbers must not change.
    /// Only some pairs carry a generator (the kernels' one-qubit-at-a-time branch) and some
    /// qubits pair with every later one (the two-at-a-time branch), mixed within strings.
    func testFastEqualsDenseWithSomePairsMissing() throws {
        let n = 12
        let gates = TestCircuits.allSubsets(n: n, maxWeight: 2).filter { gate in
            let q = gate[0]
            return q.count == 1 || q[0] < 4 || (q[0] * 7 + q[1] * 3) % 5 != 0
        }
        XCTAssertLessThan(gates.count, n + n * (n - 1) / 2)
        for spinSym in [false, true] {
            try compareEstimators(n: n, sigma: 0.9, spinSym: spinSym, seed: 23, gates: gates)
        }
    }

    func testFastPathUnderTinyMemoryBudget() throws {
        let fast = try PairwiseIsingEstimator(circuit: try Circuit(nQubits: 20, gates: sharedPairGates(n: 20)),
                                              memoryBudget: 1 << 16)
        XCTAssertFalse(fast.keepsTrigonometry(strings: 60, samples: 300))
        try compareEstimators(n: 20, sigma: 1.0, spinSym: true, strings: 60, samples: 300, memoryBudget: 1 << 16, seed: 9)
    }

    /// Loss and gradient of the whole objective are the same whichever path computes them.
    func testObjectiveGivesTheSameNumbersOnBothPaths() throws {
        for spinSym in [false, true] {
            let n = 24
            let model = TestCircuits.model(n: n, gates: sharedPairGates(n: n), seed: 5, spinSym: spinSym, scale: 0.5)
            let rows = TestCircuits.sampleData([Double](repeating: 1.0 / 256, count: 256), count: 90, seed: 4)
            var data = BitMatrix(rows: rows.count, columns: n)
            for (r, x) in rows.enumerated() { for i in 0..<8 where x >> i & 1 == 1 { data[r, 3 * i] = true } }
            func evaluation(_ path: EstimatorPath) throws -> MMDObjective.Evaluation {
                let settings = LossSettings(sigmas: [0.9, 2.0, 3.5], stringsPerSigma: 50, samples: 40, estimator: path)
                let objective = try MMDObjective(model: model, train: data, settings: settings, seed: 11)
                let e = objective.evaluate(params: model.params, step: 2)
                XCTAssertEqual(e.paths, [EstimatorPath](repeating: path, count: 3))
                return e
            }
            let d = try evaluation(.dense), f = try evaluation(.fast)
            XCTAssertEqual(d.loss, f.loss, accuracy: 1e-10 * abs(d.loss))
            XCTAssertLessThanOrEqual(relativeDifference(d.lossPerSigma, f.lossPerSigma), 1e-10)
            XCTAssertLessThanOrEqual(relativeDifference(d.gradient, f.gradient), 1e-10)
        }
    }

    /// Gradient of the fast path vs central finite differences of its own loss.
    func checkFastGradient(_ model: IQPModel, file: StaticString = #filePath, line: UInt = #line) throws {
        let n = model.nQubits
        let rows = TestCircuits.sampleData([Double](repeating: 1.0 / Double(1 << n), count: 1 << n), count: 40, seed: 3)
        let objective = try MMDObjective(model: model, train: TestCircuits.bitMatrix(rows, n: n),
                                         settings: LossSettings(sigmas: [0.9, 1.7], stringsPerSigma: 30, samples: 25,
                                                                estimator: .fast),
                                         seed: 78)
        let step: UInt64 = 4
        let evaluation = objective.evaluate(params: model.params, step: step)
        let g = evaluation.gradient
        XCTAssertEqual(evaluation.paths, [.fast, .fast])
        let h = 1e-5
        let scale = g.map { abs($0) }.max()!
        XCTAssertGreaterThan(scale, 1e-4, file: file, line: line)
        for k in 0..<g.count {
            var plus = model.params, minus = model.params
            plus[k] += h; minus[k] -= h
            let fd = (objective.evaluate(params: plus, step: step, gradient: false).loss
                      - objective.evaluate(params: minus, step: step, gradient: false).loss) / (2 * h)
            XCTAssertEqual(g[k], fd, accuracy: 1e-7 * scale, "parameter \(k)", file: file, line: line)
        }
    }

    func testFastGradientMatchesFiniteDifferences() throws {
        try checkFastGradient(TestCircuits.model(n: 7, gates: sharedPairGates(n: 7), seed: 41))
    }

    func testFastSpinSymmetricGradientMatchesFiniteDifferences() throws {
        try checkFastGradient(TestCircuits.model(n: 6, gates: sharedPairGates(n: 6), seed: 42, spinSym: true))
    }

    /// <Z_a> from the fast path within a few standard errors of the state vector, for every
    /// string of 6 qubits, plain and spin-symmetric.
    func testFastEstimatesMatchStateVector() throws {
        for spinSym in [false, true] {
            let n = 6
            let model = TestCircuits.model(n: n, gates: sharedPairGates(n: n), seed: spinSym ? 52 : 51, spinSym: spinSym)
            let p = BruteForce.probabilities(model)
            let strings = TestCircuits.bitMatrix(Array(0..<(1 << n)), n: n)
            let s = 4000
            let z = UniformSampleSampler.samples(nQubits: n, seed: 7, step: 0, sigmaIndex: 0, range: 0..<s)
            let fwd = try PairwiseIsingEstimator(circuit: model.circuit)
                .forward(thetaPrime: model.circuit.generatorParameters(model.params), strings: strings,
                         samples: z, spinSym: spinSym)
            var worst = 0.0
            for a in 0..<strings.rows {
                let exact = BruteForce.expectation(p, string: a)
                let mean = fwd.rowSum[a] / Double(s)
                let variance = max(0, (fwd.rowSumSquares[a] / Double(s) - mean * mean) * Double(s) / Double(s - 1))
                let se = (variance / Double(s)).squareRoot()
                worst = max(worst, abs(mean - exact) / max(se, 1e-12))
                XCTAssertLessThan(abs(mean - exact), 4.5 * se + 1e-12, "string \(a): \(mean) ± \(se), exact \(exact)")
            }
            XCTAssertGreaterThan(worst, 0.01, "estimates suspiciously exact")
        }
    }

    /// The fast path's loss, averaged over steps, matches the exact MMD² of the state vector.
    func testFastLossMatchesExactMMD() throws {
        let n = 6
        let model = TestCircuits.model(n: n, gates: sharedPairGates(n: n), seed: 61, scale: 0.6)
        let truth = TestCircuits.model(n: n, gates: TestCircuits.allSubsets(n: n, maxWeight: 2), seed: 99, scale: 0.5)
        let rows = TestCircuits.sampleData(BruteForce.probabilities(truth), count: 300, seed: 17)
        let sigmas = [0.7, 1.6]
        let exact = sigmas.map {
            BruteForce.mmdSquaredUnbiasedData(model: BruteForce.probabilities(model), data: rows, sigma: $0)
        }.reduce(0, +) / 2
        let objective = try MMDObjective(model: model, train: TestCircuits.bitMatrix(rows, n: n),
                                         settings: LossSettings(sigmas: sigmas, stringsPerSigma: 200, samples: 200,
                                                                estimator: .fast), seed: 2025)
        let values = (0..<40).map { objective.evaluate(params: model.params, step: UInt64($0), gradient: false).loss }
        let mean = values.reduce(0, +) / 40
        let se = (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 39 / 40).squareRoot()
        XCTAssertLessThan(abs(mean - exact), 4 * se, "estimate \(mean) ± \(se), exact \(exact)")
        XCTAssertGreaterThan(se, 0)
    }

    /// Column-major data term equals the row-by-row one, including empty and dense strings
    /// and a row count that is not a multiple of 64.
    func testColumnDataTermEqualsRowDataTerm() {
        for (n, rows) in [(5, 1), (70, 131), (130, 64), (1000, 300)] {
            var data = BitMatrix(rows: rows, columns: n)
            var stream = KeyedStream(key: UInt64(n * 1000 + rows))
            for r in 0..<rows { for i in 0..<n where stream.nextUniform() < 0.3 { data[r, i] = true } }
            var strings = PauliStringSampler(nQubits: n, sigma: 1.3).strings(seed: 2, step: 0, sigmaIndex: 0, range: 0..<40)
            strings.append(contentsOf: BitMatrix(rows: 1, columns: n))                         // empty string
            var full = BitMatrix(rows: 1, columns: n)
            for i in 0..<n { full[0, i] = true }
            strings.append(contentsOf: full)                                                     // every qubit
            let byRows = Reference.paritySums(strings: strings, data: data)
            let byColumns = DataColumns(data).paritySums(strings: strings)
            XCTAssertEqual(byRows, byColumns, "n = \(n), rows = \(rows)")
            XCTAssertEqual(byColumns[40], Double(rows))
            // One direct check: (−1)^{a·x} summed by hand for the first string.
            var direct = 0.0
            for r in 0..<rows {
                var parity = 0
                for i in 0..<n where strings[0, i] && data[r, i] { parity ^= 1 }
                direct += parity == 0 ? 1 : -1
            }
            XCTAssertEqual(byColumns[0], direct)
        }
    }

    func testVectorSinCosMatchesTheCLibrary() {
        var xs: [Double] = [0, -0.0, 1e-300, .pi / 4, -.pi / 4, .pi / 2, .pi, 3 * .pi / 2, 1e5, -3e5, 999_999, 2e6, -1e9]
        var stream = KeyedStream(key: 8)
        for _ in 0..<20_000 { xs.append((stream.nextUniform() * 2 - 1) * 300) }
        var s = [Double](repeating: 0, count: xs.count), c = s
        xs.withUnsafeBufferPointer { x in s.withUnsafeMutableBufferPointer { sp in c.withUnsafeMutableBufferPointer { cp in
            VectorSinCos.evaluate(x.baseAddress!, count: x.count, sin: sp.baseAddress!, cos: cp.baseAddress!)
        }}}
        for (i, x) in xs.enumerated() {
            XCTAssertEqual(s[i], sin(x), accuracy: 4e-16, "sin \(x)")
            XCTAssertEqual(c[i], cos(x), accuracy: 4e-16, "cos \(x)")
        }
        var bad: [Double] = [.nan, .infinity], bs = bad, bc = bad
        bad.withUnsafeMutableBufferPointer { x in bs.withUnsafeMutableBufferPointer { sp in bc.withUnsafeMutableBufferPointer { cp in
            VectorSinCos.evaluate(x.baseAddress!, count: 2, sin: sp.baseAddress!, cos: cp.baseAddress!)
        }}}
        XCTAssertTrue(bs.allSatisfy(\.isNaN) && bc.allSatisfy(\.isNaN))
    }

    func testAutomaticPathChoice() throws {
        let n = 200
        let pairs = try Circuit(nQubits: n, gates: try GateBuilders.local(nQubits: n, maxWeight: 2))
        let auto = try PathSelectingEstimator(circuit: pairs)
        let sparse = PauliStringSampler(nQubits: n, sigma: 5).strings(seed: 1, step: 0, sigmaIndex: 0, range: 0..<100)
        XCTAssertEqual(auto.choice(strings: sparse, samples: 100), .fast)
        // Strings with half the qubits on a lattice circuit (m = 3n): the O(|A|) work per pair on
        // the fast path exceeds the dense GEMMs; on all pairs (m ≈ n²/2) the fast path still wins.
        let halfDense = PauliStringSampler(nQubits: n, sigma: 0.3).strings(seed: 1, step: 0, sigmaIndex: 0, range: 0..<100)
        let lattice = try PathSelectingEstimator(circuit: try Circuit(nQubits: n, gates: try GateBuilders.lattice(rows: 10, columns: 20)))
        XCTAssertEqual(lattice.choice(strings: halfDense, samples: 100), .dense)
        XCTAssertEqual(lattice.choice(strings: sparse, samples: 100), .fast)
        XCTAssertEqual(try PathSelectingEstimator(circuit: pairs, path: .dense).choice(strings: sparse, samples: 100), .dense)
        XCTAssertEqual(try PathSelectingEstimator(circuit: pairs, path: .fast).choice(strings: halfDense, samples: 100), .fast)
        // Weight 3: only the dense path applies; forcing the fast one is an error naming the field.
        let triple = try Circuit(nQubits: 5, gates: [[[0]], [[0, 1, 2]]])
        XCTAssertNil(try PathSelectingEstimator(circuit: triple).fast)
        XCTAssertEqual(try PathSelectingEstimator(circuit: triple).choice(strings: BitMatrix(rows: 1, columns: 5), samples: 9), .dense)
        XCTAssertThrowsError(try PathSelectingEstimator(circuit: triple, path: .fast)) { error in
            XCTAssertTrue("\(error)".contains("estimator"), "\(error)")
        }
    }
}
