import Foundation
import XCTest
@testable import IQPCore

final class GeneratorBlobsTests: XCTestCase {
    func testNoiseRateAndPeakChoice() throws {
        // Peaks all-0 and all-1: a row's peak is recognisable unless 8 of 16 bits flipped.
        let peaks = BitMatrix(rows: [[UInt8](repeating: 0, count: 16), [UInt8](repeating: 1, count: 16)], columns: 16)
        let noise = 0.05
        let blobs = try Blobs(patterns: peaks, noise: noise)
        let count = 20_000
        let samples = blobs.sample(count: count, seed: 3)
        var flips = 0
        var nearZero = 0
        for r in 0..<count {
            let ones = samples.popcount(row: r)
            if ones < 8 { nearZero += 1; flips += ones } else { flips += 16 - ones }
        }
        let bits = Double(16 * count)
        let rate = Double(flips) / bits
        let standardError = (noise * (1 - noise) / bits).squareRoot()
        XCTAssertEqual(rate, noise, accuracy: 4 * standardError)
        XCTAssertEqual(Double(nearZero), Double(count) / 2, accuracy: 4 * (Double(count) / 4).squareRoot())
    }

    func testZeroAndFullNoise() throws {
        let peaks = try Blobs.randomPatterns(count: 8, bits: 16, seed: 5)
        let set = Set((0..<8).map { peaks.bits(row: $0) })
        let clean = try Blobs(patterns: peaks, noise: 0).sample(count: 200, seed: 1)
        XCTAssertTrue((0..<200).allSatisfy { set.contains(clean.bits(row: $0)) })
        let inverted = try Blobs(patterns: peaks, noise: 1).sample(count: 200, seed: 1)
        XCTAssertTrue((0..<200).allSatisfy { set.contains(inverted.bits(row: $0).map { 1 - $0 }) })
    }

    func testRandomPatternsAreDistinctAndSeeded() throws {
        let a = try Blobs.randomPatterns(seed: 9)
        XCTAssertEqual(a.rows, 8)
        XCTAssertEqual(a.columns, 16)
        XCTAssertEqual(Set((0..<8).map { a.bits(row: $0) }).count, 8)
        XCTAssertEqual(a, try Blobs.randomPatterns(seed: 9))
        XCTAssertNotEqual(a, try Blobs.randomPatterns(seed: 10))
        let all = try Blobs.randomPatterns(count: 16, bits: 4, seed: 1)  // every 4-bit pattern once
        XCTAssertEqual(Set((0..<16).map { all.bits(row: $0) }).count, 16)
        XCTAssertThrowsError(try Blobs.randomPatterns(count: 17, bits: 4, seed: 1))
    }

    func testSamplingIsDeterministic() throws {
        let blobs = try Blobs(patterns: Blobs.randomPatterns(seed: 2))
        XCTAssertEqual(blobs.sample(count: 300, seed: 4), blobs.sample(count: 300, seed: 4))
        XCTAssertNotEqual(blobs.sample(count: 300, seed: 4), blobs.sample(count: 300, seed: 5))
        XCTAssertThrowsError(try Blobs(patterns: Blobs.randomPatterns(seed: 2), noise: 1.5))
    }

    private func temporaryFile(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("peaks-\(UUID()).csv").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }

    func testReadPeaks() throws {
        let spins = try Blobs.readPeaks(path: temporaryFile("1,-1,-1\n-1,1,1\n\n"))
        XCTAssertEqual(spins, BitMatrix(rows: [[1, 0, 0], [0, 1, 1]], columns: 3))
        let bits = try Blobs.readPeaks(path: temporaryFile("1,0,0\n0,1,1\n"))
        XCTAssertEqual(bits, spins)

        let mixed = try temporaryFile("1,-1\n0,1\n")
        XCTAssertThrowsError(try Blobs.readPeaks(path: mixed)) { error in
            XCTAssertEqual((error as? IQPError)?.description, "\(mixed):2: field 'column 1': symbol '0' mixes spins (-1/1) with bits (0/1)")
        }
        let ragged = try temporaryFile("1,0\n0,1,1\n")
        XCTAssertThrowsError(try Blobs.readPeaks(path: ragged)) { error in
            XCTAssertEqual((error as? IQPError)?.line, 2)
        }
        let symbol = try temporaryFile("1,2\n")
        XCTAssertThrowsError(try Blobs.readPeaks(path: symbol)) { error in
            XCTAssertEqual((error as? IQPError)?.field, "column 2")
        }
        XCTAssertThrowsError(try Blobs.readPeaks(path: temporaryFile("\n")))
        XCTAssertThrowsError(try Blobs.readPeaks(path: "/nonexistent/peaks.csv"))
    }
}
