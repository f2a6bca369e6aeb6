import XCTest
import IQPCore
import IQPSampler
import IQPTestSupport

/// `iqp expval --exact` (`ExactExpectation`, docs/math.md §10) against the gate-by-gate state vector
/// and the enumerated bitflip distribution.
final class ExactExpectationTests: XCTestCase {
    func testExactValuesMatchBruteForce() throws {
        for (kind, spinSym) in [(ModelKind.iqp, false), (.iqp, true), (.bitflip, true)] {
            let model = try Reference.randomModel(nQubits: 9, gates: 20, maxWeight: 9, seed: 71, spinSym: spinSym, kind: kind)
            let p = kind == .iqp ? Reference.stateVectorProbabilities(model) : Reference.bitflipDistribution(model)
            var stream = KeyedStream(key: 72)
            let masks = (0..<40).map { _ in stream.nextInt(below: 512) }
            var strings = BitMatrix(rows: masks.count, columns: 9)
            for (r, a) in masks.enumerated() { for i in 0..<9 where a >> i & 1 == 1 { strings[r, i] = true } }
            let values = try ExactExpectation.values(model: model, strings: strings)
            for (r, a) in masks.enumerated() {
                XCTAssertEqual(values[r], Reference.expectationZ(p, a: a), accuracy: 1e-12, "\(kind) spinSym=\(spinSym) a=\(a)")
            }
        }
    }

    func testMemoryBudgetIsEnforced() throws {
        let model = try Reference.randomModel(nQubits: 10, gates: 5, maxWeight: 3, seed: 73)
        XCTAssertThrowsError(try ExactExpectation.values(model: model, strings: BitMatrix(rows: 1, columns: 10),
                                                         memoryBudget: 40 << 10 - 1)) {
            XCTAssertEqual(($0 as? IQPError)?.field, "memoryBudget")
        }
    }
}
