import XCTest
@testable import IQPCore
import IQPTestSupport

/// Strings restricted to `--wires` (docs/math.md §3): the loss is the MMD² between the model's
/// and the data's marginal distributions on the wires, the other qubits traced out.
final class WiresTests: XCTestCase {
    /// The marginal of p on `wires`: index y has bit t set when wire t is 1.
    func marginal(_ p: [Double], wires: [Int]) -> [Double] {
        var out = [Double](repeating: 0, count: 1 << wires.count)
        for (x, px) in p.enumerated() { out[project(x, wires: wires)] += px }
        return out
    }

    func project(_ x: Int, wires: [Int]) -> Int {
        wires.enumerated().reduce(0) { $0 | ((x >> $1.element) & 1) << $1.offset }
    }

    func testLossWithWiresIsTheMMDOfTheMarginals() throws {
        let n = 6, wires = [0, 2, 3], sigma = 0.8
        let model = TestCircuits.model(n: n, gates: TestCircuits.mixed(n: n), seed: 91)
        let truth = TestCircuits.model(n: n, gates: TestCircuits.allSubsets(n: n, maxWeight: 2), seed: 92, scale: 0.5)
        let rows = TestCircuits.sampleData(BruteForce.probabilities(truth), count: 300, seed: 93)
        let p = BruteForce.probabilities(model)
        let exact = BruteForce.mmdSquaredUnbiasedData(model: marginal(p, wires: wires),
                                                      data: rows.map { project($0, wires: wires) }, sigma: sigma)
        let allQubits = BruteForce.mmdSquaredUnbiasedData(model: p, data: rows, sigma: sigma)
        let objective = try MMDObjective(model: model, train: TestCircuits.bitMatrix(rows, n: n),
                                         settings: LossSettings(sigmas: [sigma], stringsPerSigma: 200, samples: 200,
                                                                wires: wires),
                                         seed: 94)
        let values = (0..<40).map { objective.evaluate(params: model.params, step: UInt64($0), gradient: false).loss }
        let mean = values.reduce(0, +) / 40
        let se = (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 39 / 40).squareRoot()
        XCTAssertLessThan(abs(mean - exact), 4 * se, "estimate \(mean) ± \(se), exact on the wires \(exact)")
        XCTAssertGreaterThan(abs(allQubits - exact), 8 * se, "the marginal MMD² should differ from the full one here")
    }
}
