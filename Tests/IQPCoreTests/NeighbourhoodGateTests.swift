import Foundation
import XCTest
import IQPTestSupport
@testable import IQPCore

/// `nn:D:K:…` and `covariance:N` gate lists against hand-enumerated small cases and IQPopt's
/// order (`nearest_neighbour_gates`, `gates_from_covariance`; the expected lists below are what
/// IQPopt returns, with each generator's qubits sorted).
final class NeighbourhoodGateTests: XCTestCase {
    private func sortedGenerators(_ gates: [[[Int]]]) -> [[[Int]]] { gates.map { $0.map { $0.sorted() } } }

    /// 3×3 periodic lattice, distance 1, weight ≤ 2 (IQPopt's `nearest_neighbour_lattice_gates(3, 3, 1)`):
    /// each source, then its edges to later nodes.
    func testLattice3x3MatchesIQPopt() throws {
        let expected: [[[Int]]] = [
            [[0]], [[0, 1]], [[0, 2]], [[0, 3]], [[0, 6]], [[1]], [[1, 2]], [[1, 4]], [[1, 7]], [[2]], [[2, 5]], [[2, 8]],
            [[3]], [[3, 4]], [[3, 5]], [[3, 6]], [[4]], [[4, 5]], [[4, 7]], [[5]], [[5, 8]], [[6]], [[6, 7]], [[6, 8]],
            [[7]], [[7, 8]], [[8]],
        ]
        XCTAssertEqual(try GateBuilders.parse(spec: "nn:1:2:lattice:3x3", nQubits: 9), expected)
        // The same gates as lattice:3x3 (weight 1 and the 18 bonds), in IQPopt's interleaved order.
        XCTAssertEqual(Set(expected.map { $0[0] }), Set(try GateBuilders.lattice(rows: 3, columns: 3).map { $0[0] }))
    }

    /// 4×4 periodic lattice, distance 1, weight ≤ 3: IQPopt's first 40 gates.
    func testLattice4x4WeightThreeMatchesIQPopt() throws {
        let expected: [[[Int]]] = sortedGenerators([
            [[0]], [[1, 0]], [[3, 0]], [[4, 0]], [[12, 0]], [[1, 3, 0]], [[1, 4, 0]], [[1, 12, 0]], [[3, 4, 0]],
            [[3, 12, 0]], [[4, 12, 0]], [[1]], [[2, 1]], [[5, 1]], [[13, 1]], [[0, 2, 1]], [[0, 5, 1]], [[0, 13, 1]],
            [[2, 5, 1]], [[2, 13, 1]], [[5, 13, 1]], [[2]], [[3, 2]], [[6, 2]], [[14, 2]], [[1, 3, 2]], [[1, 6, 2]],
            [[1, 14, 2]], [[3, 6, 2]], [[3, 14, 2]], [[6, 14, 2]], [[3]], [[7, 3]], [[15, 3]], [[0, 2, 3]], [[0, 7, 3]],
            [[0, 15, 3]], [[2, 7, 3]], [[2, 15, 3]], [[7, 15, 3]],
        ])
        let gates = try GateBuilders.parse(spec: "nn:1:3:lattice:4x4", nQubits: 16)
        XCTAssertEqual(Array(gates.prefix(40)), expected)
        // 16 + 32 bonds + 16·C(4,2) triples − none shared (a triple is a source and two of its neighbours).
        XCTAssertEqual(gates.count, 144)
        // Distance 2 on the 4×4 torus: 4 neighbours at distance 1 and 6 at distance 2 ((2, 0) = (−2, 0)).
        XCTAssertEqual(try GateBuilders.parse(spec: "nn:2:2:lattice:4x4", nQubits: 16).count, 16 + 16 * 10 / 2)
    }

    /// A graph file whose networkx node order is 3, 1, 4, 0, 2 (first appearance): sources come in
    /// that order. Hand-enumerated, and what IQPopt returns for the same file.
    func testGraphFileUsesNetworkxNodeOrder() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("iqp-nn-\(getpid()).adjlist")
        try "3 1 4\n1 0\n4 2\n0\n2\n".write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        XCTAssertEqual(try GraphFile.readListing(path: url.path).nodeOrder, [3, 1, 4, 0, 2])
        XCTAssertEqual(try GateBuilders.parse(spec: "nn:1:2:graph:\(url.path)", nQubits: 5),
                       [[[3]], [[1, 3]], [[3, 4]], [[1]], [[0, 1]], [[4]], [[2, 4]], [[0]], [[2]]])
        // Distance 2, weight ≤ 3: node 3 reaches 0 (via 1) and 2 (via 4).
        XCTAssertEqual(try GateBuilders.parse(spec: "nn:2:3:graph:\(url.path)", nQubits: 5), [
            [[3]], [[0, 3]], [[1, 3]], [[2, 3]], [[3, 4]], [[0, 1, 3]], [[0, 2, 3]], [[0, 3, 4]], [[1, 2, 3]],
            [[1, 3, 4]], [[2, 3, 4]], [[1]], [[0, 1]], [[1, 4]], [[0, 1, 4]], [[4]], [[2, 4]], [[1, 2, 4]], [[0]], [[2]],
        ])
        XCTAssertThrowsError(try GateBuilders.parse(spec: "nn:1:2:graph:\(url.path)", nQubits: 6))
    }

    /// The study's bitflip model on the shipped 1000-node graph: every node and every edge once.
    func testScaleFreeGraphGivesNodesAndEdges() throws {
        let path = try ShippedDatasets.path("scale-free-1000/graph.adjlist")
        let gates = try GateBuilders.parse(spec: "nn:1:2:graph:\(path)", nQubits: 1000)
        XCTAssertEqual(gates.count, 1000 + 1996)
        let graph = try GraphFile.read(path: path)
        XCTAssertEqual(Set(gates.map { $0[0] }), Set((0..<1000).map { [$0] } + graph.edges.map { [$0.0, $0.1] }))
        XCTAssertEqual(gates[0], [[0]])
        XCTAssertEqual(gates.filter { $0[0].count == 1 }.map { $0[0][0] }, try GraphFile.readListing(path: path).nodeOrder)
    }

    func testBadSpecs() {
        for spec in ["nn:1:2", "nn:x:2:lattice:3x3", "nn:1:2:ring:3", "nn:0:2:lattice:3x3", "nn:1:0:lattice:3x3",
                     "covariance:x", "covariance:2:global"] {
            XCTAssertThrowsError(try GateBuilders.parse(spec: spec, nQubits: 9), spec)
        }
        XCTAssertThrowsError(try GateBuilders.parse(spec: "covariance:2", nQubits: 9))   // no data
    }

    /// Data with C₀₁ = 0.5, then four pairs at |C| = 2/7, then C₂₃ = 0 (spin covariance, ddof 1).
    private let data = BitMatrix(rows: [[0, 0, 0, 1], [1, 1, 0, 1], [1, 1, 1, 0], [0, 0, 1, 0], [1, 0, 0, 0],
                                        [0, 1, 1, 1], [1, 1, 0, 0], [1, 1, 1, 1]], columns: 4)

    func testCovarianceGates() throws {
        let c = Initialization.spinCovariance(data)
        XCTAssertEqual(c[0 * 4 + 1], 0.5, accuracy: 1e-15)
        XCTAssertEqual(abs(c[0 * 4 + 2]), 2.0 / 7, accuracy: 1e-15)
        XCTAssertEqual(c[2 * 4 + 3], 0, accuracy: 1e-15)
        // Decreasing |C|, ties lexicographic. (IQPopt returns every pair twice, [[1, 0]], [[0, 1]], …,
        // and orders the four tied pairs 03, 02, 13, 12: numpy's argsort is not stable.)
        XCTAssertEqual(try GateBuilders.covariance(data: data, pairCount: 6),
                       [[[0, 1]], [[0, 2]], [[0, 3]], [[1, 2]], [[1, 3]], [[2, 3]]])
        XCTAssertEqual(try GateBuilders.parse(spec: "covariance:2:local", nQubits: 4, data: data),
                       [[[0]], [[1]], [[2]], [[3]], [[0, 1]], [[0, 2]]])
        XCTAssertThrowsError(try GateBuilders.covariance(data: data, pairCount: 7))
    }

    /// On random data the chosen pairs are exactly the largest |C_ij| of a direct computation.
    func testCovarianceGatesPickTheLargestCovariances() throws {
        var s = KeyedStream(seed: 4, step: 0, sigmaIndex: 0, purpose: .initialisation, index: 0)
        var x = BitMatrix(rows: 200, columns: 7)
        for r in 0..<200 {
            let shared = s.nextUniform() < 0.5
            for c in 0..<7 { x[r, c] = s.nextUniform() < (c < 3 && shared ? 0.8 : 0.4) }
        }
        let spins = (0..<200).map { r in (0..<7).map { x[r, $0] ? 1.0 : -1.0 } }
        func cov(_ i: Int, _ j: Int) -> Double {
            let mi = spins.map { $0[i] }.reduce(0, +) / 200, mj = spins.map { $0[j] }.reduce(0, +) / 200
            return spins.map { ($0[i] - mi) * ($0[j] - mj) }.reduce(0, +) / 199
        }
        let gates = try GateBuilders.covariance(data: x, pairCount: 5)
        let sizes = gates.map { abs(cov($0[0][0], $0[0][1])) }
        XCTAssertEqual(sizes, sizes.sorted(by: >))
        var others: [Double] = []
        for i in 0..<7 { for j in (i + 1)..<7 where !gates.contains([[i, j]]) { others.append(abs(cov(i, j))) } }
        XCTAssertLessThanOrEqual(others.max()!, sizes.min()! + 1e-12)
    }
}
