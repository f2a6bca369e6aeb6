import Foundation
import XCTest
@testable import IQPCore
import IQPTestSupport

final class IOGraphTests: XCTestCase {
    func graphError(_ text: String, line: UInt = #line) -> String? {
        do {
            _ = try GraphFile.parse(text: text, file: "g.adjlist")
            XCTFail("expected an error", line: line)
            return nil
        } catch {
            return (error as? IQPError)?.description
        }
    }

    func testSmallGraph() throws {
        let text = """
        # a comment line
        0 1 2 # trailing comment
        1 2 3
        2 0
        3
        4\t1
        """
        let g = try GraphFile.parse(text: text)
        XCTAssertEqual(g.nodeCount, 5)
        // 2–0 repeats 0–2; 4–1 is written from the other end.
        XCTAssertEqual(g.edges.map { [$0.0, $0.1] }, [[0, 1], [0, 2], [1, 2], [1, 3], [1, 4]])
        XCTAssertEqual(g.edgeCount, 5)
        XCTAssertEqual(g.neighbours(of: 1), [0, 2, 3, 4])
        XCTAssertEqual((0..<5).map { g.degree(of: $0) }, [2, 4, 2, 1, 1])
        XCTAssertEqual(g, try Graph(nodeCount: 5, edges: [(4, 1), (3, 1), (2, 1), (2, 0), (1, 0)]))
    }

    func testErrors() {
        XCTAssertEqual(graphError("0 1\n1 2\n2 2\n"),
                       "g.adjlist:3: node 2 is listed as its own neighbour (self-loops are not allowed)")
        XCTAssertEqual(graphError("0 1\n1 x\n"), "g.adjlist:2: field 'column 2': 'x' is not a node label (a non-negative integer)")
        XCTAssertEqual(graphError("0 1\n1 -2\n"), "g.adjlist:2: field 'column 2': '-2' is not a node label (a non-negative integer)")
        XCTAssertEqual(graphError("0 1\n\n1 1.5\n"), "g.adjlist:3: field 'column 2': '1.5' is not a node label (a non-negative integer)")
        XCTAssertEqual(graphError("0 1\n1 2\n2 7\n"),
                       "g.adjlist:3: node 7 is out of range: the file has 4 distinct nodes, so the labels must be 0..<4")
        XCTAssertEqual(graphError("# nothing\n\n"), "g.adjlist: contains no nodes")
        XCTAssertThrowsError(try Graph(nodeCount: 3, edges: [(0, 3)]))
        XCTAssertThrowsError(try Graph(nodeCount: 3, edges: [(1, 1)]))
    }

    func testScaleFreeGraph() throws {
        let path = try ShippedDatasets.path("scale-free-1000/graph.adjlist")
        let g = try GraphFile.read(path: path)
        XCTAssertEqual(g.nodeCount, 1000)
        // Independent count: the set of unordered pairs in the text.
        var pairs = Set<[Int]>()
        var degree = [Int: Set<Int>]()
        for line in try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n") {
            let content = line.split(separator: "#", omittingEmptySubsequences: false)[0]
            let labels = content.split(whereSeparator: { $0 == " " || $0 == "\t" }).map { Int($0)! }
            guard let head = labels.first else { continue }
            for v in labels.dropFirst() {
                pairs.insert([min(head, v), max(head, v)])
                degree[head, default: []].insert(v)
                degree[v, default: []].insert(head)
            }
        }
        XCTAssertEqual(g.edgeCount, pairs.count)
        XCTAssertEqual(Set(g.edges.map { [$0.0, $0.1] }), pairs)
        XCTAssertTrue(g.edges.allSatisfy { $0.0 < $0.1 })
        for node in [0, 1, 500, 999] {
            XCTAssertEqual(g.degree(of: node), degree[node]?.count ?? 0)
        }
        // A Barabási–Albert graph on 1000 nodes with m = 1 … 3 has between 999 and ~3000 edges.
        XCTAssertGreaterThanOrEqual(g.edgeCount, 999)
    }
}
