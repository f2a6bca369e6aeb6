import Foundation
import IQPCore
import IQPService
import IQPTestSupport
import XCTest

/// Sampling a model with ancillas (`n_ancilla`, docs/math.md §12): every qubit is simulated and
/// measured, the ancillas' bits are dropped, and the visible shots fit the brute-force marginal.
final class AncillaSamplingTests: XCTestCase {
    func testShotsAreTheVisibleMarginal() async throws {
        let visible = 5, ancillas = 3
        var model = try Reference.randomModel(nQubits: visible + ancillas, gates: 24, maxWeight: 2, seed: 41)
        model.nAncilla = ancillas
        let full = Reference.stateVectorProbabilities(model)
        var p = [Double](repeating: 0, count: 1 << visible)
        for (x, px) in full.enumerated() { p[x & ((1 << visible) - 1)] += px }
        let shots = try await SamplerDispatch.run(model: model, shots: 50_000, sampler: "local", seed: 7)
        XCTAssertEqual(shots.columns, visible)
        XCTAssertEqual(shots.rows, 50_000)
        let (chi2, df) = Reference.chiSquared(counts: Reference.counts(shots), probabilities: p, shots: shots.rows)
        XCTAssertGreaterThan(df, 20)
        XCTAssertLessThan(chi2, Reference.chiSquaredQuantile(df: df, z: 3.72), "χ² = \(chi2), df \(df)")
        // The same shots are not those of the full distribution's first qubits read as a product:
        // the marginal is far from uniform, so the fit above has power.
        XCTAssertGreaterThan(p.max()! * Double(1 << visible), 1.5)
    }
}
