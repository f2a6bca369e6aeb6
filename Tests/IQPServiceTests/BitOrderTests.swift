import Foundation
import IQPCore
import IQPSampler
import IQPTestSupport
@testable import IQPService
import XCTest

/// `bit_order=wires|qiskit` and `counts=int`: every output read back by its documented
/// convention fits the exact distribution, and the outputs agree with each other.
final class BitOrderTests: XCTestCase {
    /// Outcome index x (qubit i = bit i of x) of a bitstring in `order`.
    static func index(_ bits: String, _ order: BitOrder) -> Int {
        let chars = Array(bits)
        let n = chars.count
        return (0..<n).reduce(0) { x, i in
            let c = order == .wires ? chars[i] : chars[n - 1 - i]   // the character of qubit i
            return x | (c == "1" ? 1 << i : 0)
        }
    }

    static func assertFits(_ counts: [Int: Int], _ p: [Double], shots: Int, _ label: String) {
        var histogram = [Int](repeating: 0, count: p.count)
        for (x, c) in counts { histogram[x] += c }
        let (chi2, df) = Reference.chiSquared(counts: histogram, probabilities: p, shots: shots)
        XCTAssertGreaterThan(df, 10, label)
        XCTAssertLessThan(chi2, Reference.chiSquaredQuantile(df: df, z: 3.72), "\(label): χ² = \(chi2), df \(df)")
    }

    func testOrdersAgainstTheExactDistribution() async throws {
        // Qubit 0 is rotated far more than the others: a reversed reading would not fit.
        let base = try Reference.randomModel(nQubits: 6, gates: 12, maxWeight: 2, seed: 8)
        let model = try IQPModel(circuit: Circuit(nQubits: 6, gates: base.circuit.gates + [[[0]]]),
                                 params: base.params.map { $0 * 0.3 } + [1.2])
        let p = Reference.stateVectorProbabilities(model)
        let shots = 20_000
        try await LiveServer.with { url, _ in
            let id = try await http("POST", url, "/v1/jobs", json: jobJSON(model, shots: shots, seed: 3)).decode(JobCreated.self).id
            _ = try await waitFinished(url, id)
            var texts: [BitOrder: [String]] = [:]
            for order in BitOrder.allCases {
                let body = try await http("GET", url, "/v1/jobs/\(id)/result?format=text&counts=true&bit_order=\(order.rawValue)")
                    .decode(JobResult.self)
                XCTAssertEqual(body.bitOrder, order)
                guard case .text(let rows) = body.shots, let counts = body.counts else { return XCTFail("no text or counts") }
                texts[order] = rows
                var byIndex: [Int: Int] = [:]
                for (key, c) in counts { byIndex[Self.index(key, order), default: 0] += c }
                Self.assertFits(byIndex, p, shots: shots, "counts, \(order)")
                var rowCounts: [Int: Int] = [:]
                for row in rows { rowCounts[Self.index(row, order), default: 0] += 1 }
                XCTAssertEqual(rowCounts, byIndex, "\(order): text shots and counts disagree")
            }
            // Qiskit strings are the wires strings reversed.
            XCTAssertEqual(texts[.qiskit], texts[.wires]?.map { String($0.reversed()) })

            // Integer keys: x = Σ 2^i·bit_i, the same for both orders.
            let ints = try await http("GET", url, "/v1/jobs/\(id)/result?counts=int").decode(JobResult.self)
            let byInt = Dictionary(uniqueKeysWithValues: try XCTUnwrap(ints.counts).map { (Int($0.key)!, $0.value) })
            Self.assertFits(byInt, p, shots: shots, "counts=int")
            var expected: [Int: Int] = [:]
            for row in texts[.wires]! { expected[Self.index(row, .wires), default: 0] += 1 }
            XCTAssertEqual(byInt, expected)

            // Packed shots in both layouts decode to the same matrix; CSV columns follow the order.
            var matrices: [BitOrder: BitMatrix] = [:]
            for order in BitOrder.allCases {
                let body = try await http("GET", url, "/v1/jobs/\(id)/result?bit_order=\(order.rawValue)").decode(JobResult.self)
                guard case .packed(let packed) = body.shots else { return XCTFail("not packed") }
                matrices[order] = ShotEncoding.decodePacked(packed, rows: shots, nQubits: 6, order: order)
                let csv = try await http("GET", url, "/v1/jobs/\(id)/result?format=csv&bit_order=\(order.rawValue)").text
                XCTAssertEqual(csv.split(separator: "\n").first.map { $0.split(separator: ",").joined() },
                               texts[order]?.first)
            }
            XCTAssertNotNil(matrices[.wires])
            XCTAssertEqual(matrices[.wires], matrices[.qiskit])
            let bad = try await http("GET", url, "/v1/jobs/\(id)/result?bit_order=msb")
            XCTAssertEqual(bad.errorMessage, "query parameter 'bit_order': expected wires (qubit 0 first) or qiskit (qubit 0 last), got 'msb'")
        }
    }

    /// The byte layouts on a known shot: qubits 0 and 9 of 10 set.
    func testPackedLayouts() {
        var m = BitMatrix(rows: 1, columns: 10)
        m[0, 0] = true
        m[0, 9] = true
        XCTAssertEqual(ShotEncoding.packedBase64(m, order: .wires), Data([0x01, 0x02]).base64EncodedString())
        // Qiskit's BitArray: the integer 2^9 + 1 = 0x0201 in big-endian bytes.
        XCTAssertEqual(ShotEncoding.packedBase64(m, order: .qiskit), Data([0x02, 0x01]).base64EncodedString())
        XCTAssertEqual(ShotEncoding.text(m, row: 0, order: .qiskit), "1000000001")
        m[0, 0] = false
        XCTAssertEqual(ShotEncoding.text(m, row: 0, order: .wires), "0000000001")
        XCTAssertEqual(ShotEncoding.text(m, row: 0, order: .qiskit), "1000000000")
        XCTAssertEqual(ShotEncoding.integer(m, row: 0), "512")
        XCTAssertEqual(ShotEncoding.csv(m, order: .qiskit), "1,0,0,0,0,0,0,0,0,0\n")
    }

    /// Integer keys of more than 64 bits are exact decimals.
    func testWideIntegers() {
        var m = BitMatrix(rows: 1, columns: 130)
        for q in [0, 64, 129] { m[0, q] = true }
        // 2^129 + 2^64 + 1
        XCTAssertEqual(ShotEncoding.integer(m, row: 0), "680564733841876926945195958937245974529")
        XCTAssertEqual(ShotEncoding.integer(BitMatrix(rows: 1, columns: 100), row: 0), "0")
    }
}
