import Foundation
import XCTest
@testable import IQPCore

final class GateBuilderTests: XCTestCase {
    /// All subsets of 0..<n of size 1…k by brute force over bit masks, sorted by
    /// (weight, lexicographic) — the itertools.combinations order.
    private func bruteForceLocal(n: Int, k: Int) -> [[[Int]]] {
        var subsets: [[Int]] = []
        for mask in 1..<(1 << n) where mask.nonzeroBitCount <= k {
            subsets.append((0..<n).filter { (mask >> $0) & 1 == 1 })
        }
        subsets.sort { a, b in a.count != b.count ? a.count < b.count : a.lexicographicallyPrecedes(b) }
        return subsets.map { [$0] }
    }

    func testLocalCountsOfThePaperModels() throws {
        XCTAssertEqual(try GateBuilders.local(nQubits: 16, maxWeight: 4).count, 16 + 120 + 560 + 1820)
        XCTAssertEqual(try GateBuilders.local(nQubits: 16, maxWeight: 4).count, 2516)
        XCTAssertEqual(try GateBuilders.local(nQubits: 16, maxWeight: 6).count, 2516 + 4368 + 8008)
        XCTAssertEqual(try GateBuilders.local(nQubits: 16, maxWeight: 6).count, 14892)
        XCTAssertEqual(try GateBuilders.localGateCount(nQubits: 1000, maxWeight: 2), 1000 + 499_500)
        XCTAssertEqual(try GateBuilders.local(nQubits: 1000, maxWeight: 2).count, 500_500)
        XCTAssertEqual(try GateBuilders.local(nQubits: 5, maxWeight: 9).count, 31)  // clamped to n
    }

    func testLocalOrderIsCombinationsOrder() throws {
        XCTAssertEqual(try GateBuilders.local(nQubits: 4, maxWeight: 2),
                       [[[0]], [[1]], [[2]], [[3]], [[0, 1]], [[0, 2]], [[0, 3]], [[1, 2]], [[1, 3]], [[2, 3]]])
        for (n, k) in [(1, 1), (6, 3), (7, 7), (9, 4)] {
            XCTAssertEqual(try GateBuilders.local(nQubits: n, maxWeight: k), bruteForceLocal(n: n, k: k), "n=\(n) k=\(k)")
        }
        let circuit = try Circuit(nQubits: 16, gates: GateBuilders.local(nQubits: 16, maxWeight: 4))
        XCTAssertEqual(circuit.maxWeight, 4)
    }

    func testLocalRejectsBadArgumentsAndHugeLists() {
        XCTAssertThrowsError(try GateBuilders.local(nQubits: 0, maxWeight: 1))
        XCTAssertThrowsError(try GateBuilders.local(nQubits: 4, maxWeight: 0))
        XCTAssertThrowsError(try GateBuilders.local(nQubits: 1000, maxWeight: 3)) // 1.7e8 gates
    }

    /// Brute-force torus adjacency: nodes differ by one step (mod the side) in one coordinate.
    private func bruteForceLatticeEdges(rows: Int, columns: Int, periodic: Bool) -> Set<[Int]> {
        func step(_ a: Int, _ b: Int, _ side: Int) -> Bool {
            let d = abs(a - b)
            return d == 1 || (periodic && side > 2 && d == side - 1)
        }
        var edges = Set<[Int]>()
        let n = rows * columns
        for i in 0..<n {
            for j in (i + 1)..<max(i + 1, n) {
                let (ri, ci, rj, cj) = (i / columns, i % columns, j / columns, j % columns)
                if (ri == rj && step(ci, cj, columns)) || (ci == cj && step(ri, rj, rows)) { edges.insert([i, j]) }
            }
        }
        return edges
    }

    func testLatticeEdges() throws {
        let torus = try Graph.lattice(rows: 4, columns: 4)
        XCTAssertEqual(torus.edges.count, 32)
        XCTAssertEqual((0..<16).map { torus.degree(of: $0) }, [Int](repeating: 4, count: 16))
        XCTAssertEqual(try Graph.lattice(rows: 4, columns: 4, periodic: false).edges.count, 24)
        XCTAssertEqual(try Graph.lattice(rows: 2, columns: 5).edges.count, 15)  // 10 horizontal + 5 vertical
        XCTAssertEqual(try Graph.lattice(rows: 2, columns: 2).edges.count, 4)
        XCTAssertEqual(try Graph.lattice(rows: 1, columns: 3).edges.count, 3)
        XCTAssertEqual(try Graph.lattice(rows: 1, columns: 2).edges.count, 1)
        XCTAssertEqual(try Graph.lattice(rows: 1, columns: 1).edges.count, 0)
        for (l, w) in [(1, 1), (1, 2), (2, 2), (2, 5), (3, 2), (3, 4), (4, 4), (5, 3)] {
            for periodic in [true, false] {
                let g = try Graph.lattice(rows: l, columns: w, periodic: periodic)
                let listed = g.edges.map { [$0.0, $0.1] }
                XCTAssertEqual(listed.count, Set(listed).count, "duplicate edge in \(l)x\(w)")
                XCTAssertTrue(listed.allSatisfy { $0[0] < $0[1] })
                XCTAssertEqual(listed, listed.sorted { $0.lexicographicallyPrecedes($1) })
                XCTAssertEqual(Set(listed), bruteForceLatticeEdges(rows: l, columns: w, periodic: periodic),
                               "\(l)x\(w) periodic=\(periodic)")
            }
        }
        XCTAssertThrowsError(try Graph.lattice(rows: 0, columns: 4))
    }

    func testLatticeAndGraphGates() throws {
        let gates = try GateBuilders.lattice(rows: 4, columns: 4)
        XCTAssertEqual(gates.count, 48)
        XCTAssertEqual(Array(gates.prefix(16)), (0..<16).map { [[$0]] })
        XCTAssertEqual(Array(gates[16..<20]), [[[0, 1]], [[0, 3]], [[0, 4]], [[0, 12]]])
        XCTAssertEqual(try GateBuilders.lattice(rows: 2, columns: 3, periodic: false),
                       [[[0]], [[1]], [[2]], [[3]], [[4]], [[5]], [[0, 1]], [[0, 3]], [[1, 2]], [[1, 4]], [[2, 5]], [[3, 4]], [[4, 5]]])

        let g = try Graph(nodeCount: 4, edges: [(2, 3), (0, 1), (1, 3)])
        XCTAssertEqual(try GateBuilders.graph(g), [[[0]], [[1]], [[2]], [[3]], [[0, 1]], [[1, 3]], [[2, 3]]])
        XCTAssertEqual(try GateBuilders.graph(g, maxWeight: 1), [[[0]], [[1]], [[2]], [[3]]])
        XCTAssertThrowsError(try GateBuilders.graph(g, maxWeight: 3))
    }

    func testParse() throws {
        XCTAssertEqual(try GateBuilders.parse(spec: "local:2", nQubits: 4), try GateBuilders.local(nQubits: 4, maxWeight: 2))
        XCTAssertEqual(try GateBuilders.parse(spec: "lattice:4x4", nQubits: 16), try GateBuilders.lattice(rows: 4, columns: 4))
        XCTAssertEqual(try GateBuilders.parse(spec: "lattice:4x4:periodic", nQubits: 16).count, 48)
        XCTAssertEqual(try GateBuilders.parse(spec: "lattice:2x3:open", nQubits: 6).count, 13)
        XCTAssertEqual(try GateBuilders.parse(spec: "lattice:3x5", nQubits: 15).count, 15 + 30)

        for bad in ["local:0", "local:x", "local", "lattice:4x4:closed", "lattice:4y4", "lattice:0x4", "wires:3",
                    "lattice:4x4", "graph:"] {
            XCTAssertThrowsError(try GateBuilders.parse(spec: bad, nQubits: 15), bad) { error in
                let e = error as? IQPError
                XCTAssertNotNil(e)
                XCTAssertFalse(e!.description.contains("\n"))
            }
        }
        XCTAssertThrowsError(try GateBuilders.parse(spec: "lattice:4x4", nQubits: 15)) { error in
            XCTAssertEqual((error as? IQPError)?.field, "gates")
        }
    }

    func testParseGraphFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("gates-\(UUID()).adjlist").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "0 1 2\n1 3\n2\n3\n".write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertEqual(try GateBuilders.parse(spec: "graph:\(path)", nQubits: 4),
                       [[[0]], [[1]], [[2]], [[3]], [[0, 1]], [[0, 2]], [[1, 3]]])
        XCTAssertThrowsError(try GateBuilders.parse(spec: "graph:\(path)", nQubits: 5))
    }
}
