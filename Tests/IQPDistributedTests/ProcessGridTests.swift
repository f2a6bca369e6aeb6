import IQPCore
import XCTest
import IQPTestSupport

final class ProcessGridTests: XCTestCase {
    func testBlocksCoverExactlyAndAreBalanced() {
        for count in 0...50 {
            for parts in 1...12 {
                let blocks = (0..<parts).map { ProcessGrid.block(of: count, parts: parts, index: $0) }
                XCTAssertEqual(blocks.first?.lowerBound, 0)
                XCTAssertEqual(blocks.last?.upperBound, count)
                for (previous, next) in zip(blocks, blocks.dropFirst()) {
                    XCTAssertEqual(previous.upperBound, next.lowerBound, "contiguous")
                    XCTAssertGreaterThanOrEqual(previous.count, next.count, "larger blocks first")
                }
                let sizes = blocks.map(\.count)
                XCTAssertLessThanOrEqual(sizes.max()! - sizes.min()!, 1, "count \(count) parts \(parts)")
                XCTAssertEqual(sizes.reduce(0, +), count)
            }
        }
        XCTAssertEqual(ProcessGrid.block(of: 10, parts: 4, index: 0), 0..<3)
        XCTAssertEqual(ProcessGrid.block(of: 10, parts: 4, index: 1), 3..<6)
        XCTAssertEqual(ProcessGrid.block(of: 10, parts: 4, index: 2), 6..<8)
        XCTAssertEqual(ProcessGrid.block(of: 10, parts: 4, index: 3), 8..<10)
        XCTAssertEqual(ProcessGrid.block(of: 2, parts: 3, index: 2), 2..<2)
    }

    func testEveryPairBelongsToExactlyOneRank() throws {
        for (rows, columns, strings, samples) in [(2, 3, 7, 5), (1, 4, 3, 9), (3, 1, 10, 1), (2, 2, 1, 1)] {
            let grid = try ProcessGrid(size: rows * columns, rows: rows, columns: columns)
            var owner = [[Int]](repeating: [Int](repeating: -1, count: samples), count: strings)
            for rank in 0..<grid.size {
                for a in grid.stringBlock(of: rank, strings: strings) {
                    for z in grid.sampleBlock(of: rank, samples: samples) {
                        XCTAssertEqual(owner[a][z], -1, "pair (\(a), \(z)) has two owners")
                        owner[a][z] = rank
                    }
                }
            }
            XCTAssertFalse(owner.joined().contains(-1), "every pair has an owner")
        }
    }

    func testCoordinatesAreRowMajor() throws {
        let grid = try ProcessGrid(size: 6, rows: 2, columns: 3)
        XCTAssertEqual((0..<6).map { grid.coordinates(of: $0).row }, [0, 0, 0, 1, 1, 1])
        XCTAssertEqual((0..<6).map { grid.coordinates(of: $0).column }, [0, 1, 2, 0, 1, 2])
        for rank in 0..<6 {
            let (row, column) = grid.coordinates(of: rank)
            XCTAssertEqual(grid.rank(row: row, column: column), rank)
        }
        XCTAssertEqual(grid.description, "2x3")
    }

    func testParse() throws {
        XCTAssertEqual(try ProcessGrid.parse("2x3", size: 6), try ProcessGrid(size: 6, rows: 2, columns: 3))
        XCTAssertEqual(try ProcessGrid.parse("4X1", size: 4), try ProcessGrid(size: 4, rows: 4, columns: 1))
        XCTAssertThrowsError(try ProcessGrid.parse("2x2", size: 6)) { error in
            XCTAssertEqual("\(error)", "field 'grid': grid 2x2 has 4 ranks but the job has 6")
        }
        for bad in ["2x", "x3", "2x3x1", "2*3", "", "ax2"] {
            XCTAssertThrowsError(try ProcessGrid.parse(bad, size: 6)) { error in
                XCTAssertEqual("\(error)", "field 'grid': '\(bad)' is not ROWSxCOLUMNS, e.g. 2x3")
            }
        }
        XCTAssertThrowsError(try ProcessGrid.parse("0x6", size: 0))
        XCTAssertThrowsError(try ProcessGrid.parse("-2x-3", size: 6))
    }

    func testAutomaticExamples() throws {
        // B, s ≫ ranks: every rank takes all strings and a block of samples.
        XCTAssertEqual(ProcessGrid.automatic(size: 4, strings: 1000, samples: 1000).description, "1x4")
        XCTAssertEqual(ProcessGrid.automatic(size: 1, strings: 5, samples: 5).description, "1x1")
        // 10000 strings, 100 samples, 8 ranks: 1x8 has blocks of 10000·13 = 130000 pairs, while
        // 2x4, 4x2 and 8x1 have 125000; the fewest rows wins.
        XCTAssertEqual(ProcessGrid.automatic(size: 8, strings: 10000, samples: 100).description, "2x4")
        // 4 samples on 6 ranks: 1x6 would leave empty sample blocks; 3x2 (34·2) ties 6x1 (17·4).
        XCTAssertEqual(ProcessGrid.automatic(size: 6, strings: 100, samples: 4).description, "3x2")
        // One string, one sample, 3 ranks: no grid avoids empty blocks; largest blocks tie at 1.
        XCTAssertEqual(ProcessGrid.automatic(size: 3, strings: 1, samples: 1).description, "1x3")
        // Prime sizes have only 1xP and Px1.
        XCTAssertEqual(ProcessGrid.automatic(size: 7, strings: 1000, samples: 3).description, "7x1")
    }

    func testAutomaticIsValidAndOptimalForManySizes() {
        for size in 1...64 {
            for (strings, samples) in [(1, 1), (3, 1000), (1000, 3), (64, 64), (1000, 1000), (17, 5), (10_000, 100)] {
                let grid = ProcessGrid.automatic(size: size, strings: strings, samples: samples)
                XCTAssertEqual(grid.rows * grid.columns, size)
                // Brute force over every factorisation for the rule's first two criteria.
                let all = (1...size).filter { size % $0 == 0 }.map { ($0, size / $0) }
                let full = all.filter { $0.0 <= strings && $0.1 <= samples }
                let pool = full.isEmpty ? all : full
                func work(_ r: Int, _ c: Int) -> Int { ((strings + r - 1) / r) * ((samples + c - 1) / c) }
                let best = pool.map { work($0.0, $0.1) }.min()!
                if !full.isEmpty {
                    XCTAssertLessThanOrEqual(grid.rows, strings, "size \(size) B \(strings) s \(samples)")
                    XCTAssertLessThanOrEqual(grid.columns, samples, "size \(size) B \(strings) s \(samples)")
                }
                XCTAssertEqual(work(grid.rows, grid.columns), best, "size \(size) B \(strings) s \(samples)")
            }
        }
    }

    func testRowAndColumnCommunicators() throws {
        let grid = try ProcessGrid(size: 6, rows: 2, columns: 3)
        let results = try ThreadCommunicator.run(ranks: 6) { comm in
            let row = grid.rowCommunicator(of: comm)
            let column = grid.columnCommunicator(of: comm)
            var rowSum = [Double(comm.rank)]
            row.allreduceSum(&rowSum)
            var columnSum = [Double(comm.rank)]
            column.allreduceSum(&columnSum)
            return [row.rank, row.size, Int(rowSum[0]), column.rank, column.size, Int(columnSum[0])]
        }
        // Row 0 = ranks {0,1,2} (sum 3), row 1 = {3,4,5} (sum 12); columns {0,3}, {1,4}, {2,5}.
        XCTAssertEqual(results, [
            [0, 3, 3, 0, 2, 3], [1, 3, 3, 0, 2, 5], [2, 3, 3, 0, 2, 7],
            [0, 3, 12, 1, 2, 3], [1, 3, 12, 1, 2, 5], [2, 3, 12, 1, 2, 7],
        ])
    }
}
