import XCTest
@testable import IQPCore

final class GeneratorBarsAndStripesTests: XCTestCase {
    /// Is `bits` (row-major rows × columns) a bars-and-stripes pattern? (Definition, by brute force.)
    private func isBarsOrStripes(_ bits: [UInt8], rows: Int, columns: Int) -> Bool {
        let rowsConstant = (0..<rows).allSatisfy { r in Set((0..<columns).map { bits[r * columns + $0] }).count == 1 }
        let columnsConstant = (0..<columns).allSatisfy { c in Set((0..<rows).map { bits[$0 * columns + c] }).count == 1 }
        return rowsConstant || columnsConstant
    }

    func testSetIsExactlyAllValidPatterns() throws {
        for (rows, columns) in [(1, 1), (1, 3), (2, 2), (2, 3), (3, 3), (4, 4), (3, 5)] {
            let bas = try BarsAndStripes(rows: rows, columns: columns)
            let n = rows * columns
            var valid = Set<[UInt8]>()
            for mask in 0..<(1 << n) {
                let bits = (0..<n).map { UInt8((mask >> $0) & 1) }
                if isBarsOrStripes(bits, rows: rows, columns: columns) { valid.insert(bits) }
            }
            let patterns = try bas.allPatterns()
            let listed = (0..<patterns.rows).map { patterns.bits(row: $0) }
            XCTAssertEqual(listed.count, Set(listed).count, "duplicates in \(rows)x\(columns)")
            XCTAssertEqual(Set(listed), valid, "\(rows)x\(columns)")
            XCTAssertEqual(bas.patternCount, (1 << rows) + (1 << columns) - 2)
            XCTAssertEqual(valid.count, bas.patternCount)
        }
        XCTAssertEqual(try BarsAndStripes(rows: 4, columns: 4).patternCount, 30)
    }

    func testSamplesAreValidAndUniform() throws {
        let bas = try BarsAndStripes(rows: 3, columns: 3)  // 14 patterns
        let count = 28_000
        let samples = bas.sample(count: count, seed: 11)
        XCTAssertEqual(samples.rows, count)
        XCTAssertEqual(samples.columns, 9)
        var frequency: [[UInt8]: Int] = [:]
        for r in 0..<count {
            let bits = samples.bits(row: r)
            XCTAssertTrue(isBarsOrStripes(bits, rows: 3, columns: 3))
            frequency[bits, default: 0] += 1
        }
        XCTAssertEqual(frequency.count, 14)
        // χ² against uniform, 13 degrees of freedom: P(χ² > 40) ≈ 1e-4.
        let expected = Double(count) / 14
        let chiSquare = frequency.values.reduce(0.0) { $0 + pow(Double($1) - expected, 2) / expected }
        XCTAssertLessThan(chiSquare, 40)
    }

    func testSeedDeterminismAndPrefixStability() throws {
        let bas = try BarsAndStripes(rows: 4, columns: 4)
        let a = bas.sample(count: 500, seed: 7)
        XCTAssertEqual(a, bas.sample(count: 500, seed: 7))
        XCTAssertNotEqual(a, bas.sample(count: 500, seed: 8))
        XCTAssertEqual(bas.sample(count: 1000, seed: 7).rows(0..<500), a)
    }

    func testRejectsBadSizes() {
        XCTAssertThrowsError(try BarsAndStripes(rows: 0, columns: 4))
        XCTAssertThrowsError(try BarsAndStripes(rows: 4, columns: 31))
    }
}
