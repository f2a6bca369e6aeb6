import Foundation
import IQPCore
import IQPTestSupport
@testable import IQPSampler
import XCTest

/// The FWHT sampler against a gate-by-gate state vector and against its own definition.
final class ExactSimulatorTests: XCTestCase {
    /// The blocked/radix-8 transform equals the O(N²) definition, for every split of the bits
    /// between the in-cache pass and the grouped passes (cache bits 0…10 on 2^10 values).
    func testWalshHadamardMatchesDefinition() throws {
        var stream = KeyedStream(key: 7)
        let input = (0..<1024).map { _ in stream.nextGaussian() }
        let expected = Reference.walshHadamard(input)
        for cacheBits in [0, 1, 2, 3, 5, 10] {
            var data = input
            try data.withUnsafeMutableBufferPointer { p in
                try WalshHadamard.transform(p.baseAddress!, totalBits: 10, bits: 0..<10, cacheBits: cacheBits)
            }
            for y in 0..<1024 { XCTAssertEqual(data[y], expected[y], accuracy: 1e-10, "cacheBits \(cacheBits), y \(y)") }
        }
        // Bits 2..<7 only: each contiguous run of 4 values is untouched by the pattern of bit 0, 1.
        var partial = input
        try partial.withUnsafeMutableBufferPointer { p in
            try WalshHadamard.transform(p.baseAddress!, totalBits: 10, bits: 2..<7, cacheBits: 4)
        }
        for y in 0..<1024 {
            var sum = 0.0
            for x in 0..<1024 where x & ~0b11111_00 == y & ~0b11111_00 {
                sum += input[x] * ((x & y & 0b11111_00).nonzeroBitCount & 1 == 0 ? 1 : -1)
            }
            XCTAssertEqual(partial[y], sum, accuracy: 1e-10)
        }
    }

    /// Probabilities from the two transforms equal the gate-by-gate state vector (≤ 1e-12),
    /// for random circuits with weights up to n, parameter sharing, n = 1…10.
    func testProbabilitiesMatchStateVector() throws {
        for (n, gates, weight, seed) in [(1, 2, 1, 1), (2, 4, 2, 2), (3, 6, 3, 3), (5, 12, 3, 4), (7, 20, 4, 5),
                                         (8, 30, 8, 6), (10, 40, 3, 7)] as [(Int, Int, Int, UInt64)] {
            let model = try Reference.randomModel(nQubits: n, gates: gates, maxWeight: weight, seed: seed)
            let expected = Reference.stateVectorProbabilities(model)
            let got = try ExactIQPSimulator(model: model).probabilities()
            XCTAssertEqual(got.count, 1 << n)
            XCTAssertEqual(got.reduce(0, +), 1, accuracy: 1e-12)
            for x in 0..<(1 << n) { XCTAssertEqual(got[x], expected[x], accuracy: 1e-12, "n \(n) x \(x)") }
        }
    }

    /// The spin-symmetric start (docs/math.md §8) against the gate-by-gate simulation from
    /// (|0…0> + |1…1>)/√2; p(x) = p(x̄) and odd-weight <Z_a> vanish.
    func testSpinSymmetricStartMatchesStateVector() throws {
        for (n, seed) in [(1, 11), (4, 12), (6, 13), (9, 14)] as [(Int, UInt64)] {
            let model = try Reference.randomModel(nQubits: n, gates: 3 * n, maxWeight: 3, seed: seed, spinSym: true)
            let expected = Reference.stateVectorProbabilities(model)
            let got = try ExactIQPSimulator(model: model).probabilities()
            let all = (1 << n) - 1
            for x in 0..<(1 << n) {
                XCTAssertEqual(got[x], expected[x], accuracy: 1e-12, "n \(n) x \(x)")
                XCTAssertEqual(got[x], got[x ^ all], accuracy: 1e-12)
            }
            for a in 1..<(1 << n) where a.nonzeroBitCount % 2 == 1 {
                XCTAssertEqual(Reference.expectationZ(got, a: a), 0, accuracy: 1e-12)
            }
            // Not trivially symmetric: the plain start differs.
            var plain = model
            plain.spinSym = false
            let plainP = try ExactIQPSimulator(model: plain).probabilities()
            XCTAssertGreaterThan(zip(plainP, got).map { abs($0 - $1) }.max()!, 1e-3)
        }
    }

    /// complex64 agrees with complex128 to single precision; the parallel paths (n ≥ 15)
    /// agree with the state vector for n = 11 run through the same kernels.
    func testComplex64AndLargerStates() throws {
        let model = try Reference.randomModel(nQubits: 10, gates: 30, maxWeight: 4, seed: 21)
        let exact = try ExactIQPSimulator(model: model, precision: .complex128).probabilities()
        let single = try ExactIQPSimulator(model: model, precision: .complex64).probabilities()
        for x in 0..<exact.count { XCTAssertEqual(single[x], exact[x], accuracy: 2e-6) }

        // n = 16 runs the multi-threaded, blocked code; compare with the reference at n = 12
        // embedded: qubits 12…15 untouched stay 0.
        let small = try Reference.randomModel(nQubits: 12, gates: 30, maxWeight: 3, seed: 22)
        let big = try IQPModel(circuit: Circuit(nQubits: 16, gates: small.circuit.gates), params: small.params)
        let expected = Reference.stateVectorProbabilities(small)
        let got = try ExactIQPSimulator(model: big).probabilities()
        for x in 0..<(1 << 12) { XCTAssertEqual(got[x], expected[x], accuracy: 1e-12) }
        XCTAssertEqual(got[(1 << 12)...].reduce(0, +), 0, accuracy: 1e-12)
    }

    /// One gate on |0>: P(x_i = 1) = sin²θ (docs/math.md §1).
    func testSingleQubitMarginal() throws {
        let model = try IQPModel(circuit: Circuit(nQubits: 1, gates: [[[0]]]), params: [0.3])
        let p = try ExactIQPSimulator(model: model).probabilities()
        XCTAssertEqual(p[1], sin(0.3) * sin(0.3), accuracy: 1e-15)
    }

    /// Refuses bitflip models and absurd sizes with a reason.
    func testRefusals() throws {
        let bitflip = try IQPModel(circuit: Circuit(nQubits: 2, gates: [[[0]]]), params: [0.1], kind: .bitflip)
        XCTAssertThrowsError(try ExactIQPSimulator(model: bitflip))
        let huge = try IQPModel(circuit: Circuit(nQubits: 50, gates: [[[0]]]), params: [0.1])
        XCTAssertThrowsError(try ExactIQPSimulator(model: huge)) { error in
            XCTAssertEqual("\(error)", "field 'n_qubits': 50 qubits is beyond exact simulation (at most 40)")
        }
    }
}
