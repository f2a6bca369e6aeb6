import XCTest
@testable import IQPCore

/// The conventions of docs/math.md §1, on the gate-by-gate state vector: the sign of the
/// exponent (exp(+iθX) here, exp(−iθX) in IQPopt's PennyLane circuit), the order of the
/// commuting generators and a shift of a gate parameter by π leave every probability unchanged.
final class ModelConventionTests: XCTestCase {
    func testSignOfTheExponentDoesNotChangeProbabilities() throws {
        let n = 6
        let model = TestCircuits.model(n: n, gates: TestCircuits.mixed(n: n), seed: 71, scale: 1.2)
        let p = BruteForce.probabilities(model)
        XCTAssertGreaterThan(p.max()! - p.min()!, 0.05, "a non-trivial distribution")

        // exp(−iθX) = exp(i(−θ)X): the conjugate state.
        let negated = try IQPModel(circuit: model.circuit, params: model.params.map { -$0 })
        // Gates and the generators inside each gate in reverse order, parameters with them.
        let reversedGates = model.circuit.gates.reversed().map { Array($0.reversed()) }
        let reordered = try IQPModel(circuit: Circuit(nQubits: n, gates: reversedGates),
                                     params: model.params.reversed())
        // θ_k + π multiplies the state by (−1)^(generators of gate k).
        var shifted = model
        for k in stride(from: 0, to: shifted.params.count, by: 2) { shifted.params[k] += Double.pi }
        for (label, other) in [("sign", negated), ("order", reordered), ("period", shifted)] {
            let q = BruteForce.probabilities(other)
            for x in 0..<(1 << n) { XCTAssertEqual(q[x], p[x], accuracy: 1e-14, "\(label), x = \(x)") }
        }
        // A shift by π/2 is not a symmetry (the comparison can fail).
        var quarter = model
        quarter.params[0] += Double.pi / 2
        let q = BruteForce.probabilities(quarter)
        XCTAssertGreaterThan(zip(p, q).map { abs($0 - $1) }.max()!, 1e-3)
    }
}
