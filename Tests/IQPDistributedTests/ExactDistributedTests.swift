import XCTest
@testable import IQPCore
import IQPTestSupport

/// The exact path split over 1–5 ranks (threads; docs/math.md §10, `ExactVectorLayout`) gives the
/// single-process loss, validation loss and gradient to 1e-12, and its transforms are the plain
/// transform.
final class ExactDistributedTests: XCTestCase {
    /// |a − b| ≤ 1e-12 relative to `scale` (the largest entry of a gradient: entries that vanish
    /// by symmetry are only rounding noise).
    func assertClose(_ a: Double, _ b: Double, scale: Double = 0, _ what: String,
                     file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a, b, accuracy: 1e-12 * max(abs(a), abs(b), scale, 1e-6), what, file: file, line: line)
    }

    /// Random rows with bit i set with probability 0.2 + 0.06·i.
    func data(rows: Int, n: Int, seed: UInt64) -> BitMatrix {
        var stream = KeyedStream(key: seed)
        var m = BitMatrix(rows: rows, columns: n)
        for r in 0..<rows { for i in 0..<n where stream.nextUniform() < 0.2 + 0.06 * Double(i) { m[r, i] = true } }
        return m
    }

    func checkObjective(kind: ModelKind, spinSym: Bool) throws {
        let n = 9
        let model = try Reference.randomModel(nQubits: n, gates: 25, maxWeight: n, seed: 7, spinSym: spinSym, kind: kind)
        let train = data(rows: 203, n: n, seed: 8), validation = data(rows: 57, n: n, seed: 9)
        let sigmas = [0.7, 1.9], wires = [0, 1, 3, 4, 5, 8]
        let settings = LossSettings(sigmas: sigmas, wires: wires, estimator: .exact)
        let reference = try MMDObjective(model: model, train: train, validation: validation, settings: settings, seed: 0)
            .evaluate(params: model.params, step: 0, validation: true)
        XCTAssertGreaterThan(reference.gradient.map(abs).max()!, 1e-6)
        for ranks in [2, 3, 4, 5] {
            let results = try ThreadCommunicator.run(ranks: ranks) { comm in
                try MMDObjective(model: model, train: train, validation: validation, settings: settings, seed: 0,
                                 communicator: comm)
                    .evaluate(params: model.params, step: 0, validation: true)
            }
            let root = results[0], what = "\(kind) spinSym=\(spinSym) \(ranks) ranks"
            assertClose(root.loss, reference.loss, "loss \(what)")
            assertClose(root.validationLoss!, reference.validationLoss!, "validation \(what)")
            for k in 0..<2 { assertClose(root.lossPerSigma[k], reference.lossPerSigma[k], "σ\(k) \(what)") }
            let scale = reference.gradient.map(abs).max()!
            for j in 0..<root.gradient.count {
                assertClose(root.gradient[j], reference.gradient[j], scale: scale, "∂θ\(j) \(what)")
            }
        }
    }

    func testExactObjectiveIsTheSameOnEveryRankCount() throws { try checkObjective(kind: .iqp, spinSym: false) }
    func testSpinSymmetricExactObjectiveIsTheSameOnEveryRankCount() throws { try checkObjective(kind: .iqp, spinSym: true) }
    func testBitflipExactObjectiveIsTheSameOnEveryRankCount() throws { try checkObjective(kind: .bitflip, spinSym: false) }

    /// Real and complex transforms assembled from the ranks' blocks equal the plain transform,
    /// including more ranks than blocks of one entry (3 qubits, 8 and 10 ranks).
    func testSplitTransformIsThePlainTransform() throws {
        for (n, ranks) in [(6, 2), (6, 3), (6, 4), (3, 8), (3, 10)] {
            var stream = KeyedStream(key: UInt64(n * 100 + ranks))
            let input = (0..<(2 << n)).map { _ in stream.nextUniform() - 0.5 }
            let realReference = Reference.walshHadamard(Array(input[0..<(1 << n)]))
            let re = Reference.walshHadamard(stride(from: 0, to: 2 << n, by: 2).map { input[$0] })
            let im = Reference.walshHadamard(stride(from: 1, to: 2 << n, by: 2).map { input[$0] })
            let results = try ThreadCommunicator.run(ranks: ranks) { comm -> [Double] in
                let layout = ExactVectorLayout(nQubits: n, communicator: comm)
                let real = ExactBuffer(count: 1 << n), complex = ExactBuffer(count: 2 << n)
                for i in 0..<(1 << n) { real[i] = input[i] }
                for i in 0..<(2 << n) { complex[i] = input[i] }
                layout.transformReal(real.base)
                layout.transformComplex(complex.base)
                return (0..<(1 << n)).map { real[$0] } + (0..<(2 << n)).map { complex[$0] }
            }
            for result in results {
                for y in 0..<(1 << n) {
                    XCTAssertEqual(result[y], realReference[y], accuracy: 1e-12, "n=\(n) ranks=\(ranks) y=\(y)")
                    XCTAssertEqual(result[(1 << n) + 2 * y], re[y], accuracy: 1e-12)
                    XCTAssertEqual(result[(1 << n) + 2 * y + 1], im[y], accuracy: 1e-12)
                }
            }
        }
    }
}
