import Foundation
import XCTest
import IQPTestSupport
@testable import IQPCore

/// `iqp data ising --couplings FILE --bias-file FILE`: parsing, errors, and sampling the model read.
final class IsingModelFilesTests: XCTestCase {
    private func write(_ text: String, _ name: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("iqp-ising-\(getpid())-\(name)").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }

    func testParsesAWeightedEdgeList() throws {
        let path = try write("# i j J_ij\n0 1 0.5\n\n3 1\t-1.25  # a comment\n2 0 1e-1\n", "edges.txt")
        let weighted = try IsingModelFiles.readCouplings(path: path)
        XCTAssertEqual(weighted.edges.map { [$0.0, $0.1] }, [[0, 1], [3, 1], [2, 0]])
        XCTAssertEqual(weighted.couplings, [0.5, -1.25, 0.1])
        XCTAssertEqual(weighted.labelBound, 4)
        let (graph, couplings) = try IsingModelFiles.graph(weighted, nodeCount: 5, file: path)
        // The graph sorts its edges; the couplings follow them.
        XCTAssertEqual(graph.edges.map { [$0.0, $0.1] }, [[0, 1], [0, 2], [1, 3]])
        XCTAssertEqual(couplings, [0.5, 0.1, -1.25])
        XCTAssertThrowsError(try IsingModelFiles.graph(weighted, nodeCount: 3, file: path))
    }

    func testBadLinesNameTheirLine() throws {
        let cases: [(String, String)] = [
            ("0 1 0.5\n1 0 0.2\n", "edges.txt:2: edge (0, 1) is listed again (first on line 1)"),
            ("0 1\n", "edges.txt:1: expected 'i j J_ij' (3 fields), got 2"),
            ("0 1 0.5\n2 2 1\n", "edges.txt:2: edge (2, 2) is a self-loop"),
            ("0 -1 0.5\n", "edges.txt:1: '0 -1' are not two node labels (non-negative integers)"),
            ("0 1 x\n", "edges.txt:1: field 'J_ij': coupling 'x' is not a finite number"),
            ("# nothing\n", "edges.txt: contains no edges"),
        ]
        for (text, message) in cases {
            let path = try write(text, "edges.txt")
            XCTAssertThrowsError(try IsingModelFiles.readCouplings(path: path)) { error in
                XCTAssertEqual("\(error)".replacingOccurrences(of: path, with: "edges.txt"), message)
            }
        }
        let bias = try write("0.1\n0.2 0.3\n", "bias.txt")
        XCTAssertThrowsError(try IsingModelFiles.readBiases(path: bias)) { error in
            XCTAssertEqual((error as! IQPError).line, 2)
        }
    }

    /// The shipped scale-free model: 1000 spins, 1996 couplings, b_i = −0.01·degree_i.
    func testShippedScaleFreeModel() throws {
        let weighted = try IsingModelFiles.readCouplings(path: try ShippedDatasets.path("scale-free-1000/couplings.txt"))
        let biases = try IsingModelFiles.readBiases(path: try ShippedDatasets.path("scale-free-1000/bias.txt"))
        XCTAssertEqual(biases.count, 1000)
        let (graph, couplings) = try IsingModelFiles.graph(weighted, nodeCount: biases.count, file: "couplings.txt")
        XCTAssertEqual(graph.edgeCount, 1996)
        XCTAssertEqual(graph, try GraphFile.read(path: try ShippedDatasets.path("scale-free-1000/graph.adjlist")))
        XCTAssertTrue(couplings.allSatisfy { $0 > 0 && $0 < 1 })
        for node in 0..<1000 { XCTAssertEqual(biases[node], -0.01 * Double(graph.degree(of: node)), accuracy: 1e-12) }
    }

    /// A model read from files, sampled without global flips, follows its Boltzmann distribution.
    func testSamplerFollowsTheModelReadFromFiles() throws {
        let edges = try write("0 1 0.9\n1 2 -0.6\n2 3 0.4\n3 4 0.7\n4 0 -0.3\n1 3 0.5\n", "model-edges.txt")
        let bias = try write("0.2\n-0.4\n0\n0.3\n-0.1\n", "model-bias.txt")
        let biases = try IsingModelFiles.readBiases(path: bias)
        let (graph, couplings) = try IsingModelFiles.graph(try IsingModelFiles.readCouplings(path: edges),
                                                           nodeCount: biases.count, file: edges)
        let model = try IsingModel(graph: graph, couplings: couplings, biases: biases, temperature: 1.1)
        XCTAssertEqual(model.energy(bits: [1, 1, 1, 1, 1]), -(0.9 - 0.6 + 0.4 + 0.7 - 0.3 + 0.5) - (0.2 - 0.4 + 0.3 - 0.1),
                       accuracy: 1e-12)
        let exact = try model.exactProbabilities()
        let sampler = try MetropolisSampler(burnInSweeps: 100, thinningSweeps: 4, chains: 4, globalFlips: false)
        let samples = sampler.sample(model, count: 40_000, seed: 17)
        var counts = [Int](repeating: 0, count: 32)
        for r in 0..<samples.rows { counts[Int(samples.row(r).first!)] += 1 }
        let chiSquare = zip(counts, exact).reduce(0.0) { $0 + pow(Double($1.0) - 40_000 * $1.1, 2) / (40_000 * $1.1) }
        // 31 degrees of freedom: P(χ² > 70) ≈ 1e-4 for independent samples.
        XCTAssertLessThan(chiSquare, 70)
    }
}
