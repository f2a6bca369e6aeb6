import Foundation
import XCTest
@testable import IQPCore
import IQPTestSupport

/// Data files named `*.gz` (`GzipFile`): written compressed and read back bit for bit, checked
/// against the system's `gzip`, refused with a message when damaged or too large; and the
/// shipped scale-free-1000 rows, which the repository carries as `.csv.gz`.
final class GzipDataFileTests: XCTestCase {
    var directory: String = ""

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "iqp-gzip-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: directory)
    }

    func randomMatrix(rows: Int, columns: Int, seed: UInt64) -> BitMatrix {
        var stream = KeyedStream(key: seed)
        return BitMatrix(rows: (0..<rows).map { _ in (0..<columns).map { _ in stream.nextUniform() < 0.3 ? 1 : 0 } },
                         columns: columns)
    }

    func gzip(_ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["gzip"] + arguments
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    func testCompressedCSVAndNpyRoundTripAndMatchTheSystemGzip() throws {
        let m = randomMatrix(rows: 3001, columns: 77, seed: 5)
        for name in ["rows.csv.gz", "rows.npy.gz", "ROWS.CSV.GZ"] {
            let path = directory + "/" + name
            try DataFile.write(m, to: path)
            let back = try DataFile.read(path: path, expectedWidth: 77)
            XCTAssertEqual(back.words, m.words, name)
            XCTAssertEqual(back.rows, 3001, name)
            // The bytes are gzip's (magic 1f 8b), and smaller than the plain text.
            let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
            XCTAssertEqual(Array(bytes.prefix(2)), [0x1f, 0x8b], name)
        }
        // The system's gzip reads what we wrote: the plain CSV is the same as DataFile's.
        try DataFile.write(m, to: directory + "/plain.csv")
        XCTAssertEqual(try gzip(["-dk", directory + "/rows.csv.gz"]), 0)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: directory + "/rows.csv")),
                       try Data(contentsOf: URL(fileURLWithPath: directory + "/plain.csv")))
        // And we read what it writes, also two members in a row (`cat a.gz b.gz`).
        XCTAssertEqual(try gzip(["-k", directory + "/plain.csv"]), 0)
        let twice = try Data(contentsOf: URL(fileURLWithPath: directory + "/plain.csv.gz"))
        try (twice + twice).write(to: URL(fileURLWithPath: directory + "/twice.csv.gz"))
        let doubled = try DataFile.read(path: directory + "/twice.csv.gz")
        XCTAssertEqual(doubled.rows, 2 * m.rows)
        XCTAssertEqual(doubled.rows(m.rows..<2 * m.rows).words, m.words)
    }

    func testDamagedOrOversizedFilesAreRefusedWithTheirName() throws {
        let m = randomMatrix(rows: 2000, columns: 40, seed: 6)
        let path = directory + "/d.csv.gz"
        try DataFile.write(m, to: path)
        let whole = try Data(contentsOf: URL(fileURLWithPath: path))

        let cut = directory + "/cut.csv.gz"
        try whole.prefix(whole.count / 2).write(to: URL(fileURLWithPath: cut))
        XCTAssertThrowsError(try DataFile.read(path: cut)) { error in
            XCTAssertEqual("\(error)", "\(cut): not a whole gzip file: it ends in the middle of its data")
        }
        let plain = directory + "/plain.csv.gz"
        try Data("0,1\n1,0\n".utf8).write(to: URL(fileURLWithPath: plain))
        XCTAssertThrowsError(try DataFile.read(path: plain)) { error in
            XCTAssertEqual("\(error)", "\(plain): not a valid gzip file: incorrect header check")
        }
        let empty = directory + "/empty.csv.gz"
        try Data().write(to: URL(fileURLWithPath: empty))
        XCTAssertThrowsError(try DataFile.read(path: empty)) { error in
            XCTAssertEqual("\(error)", "\(empty): not a gzip file: it is empty")
        }
        // 160,000 bytes of text (2000 rows of 40 values): a limit below that is refused before the bytes are kept.
        XCTAssertThrowsError(try GzipFile.decompress(whole, file: "d.csv.gz", limit: 50_000)) { error in
            XCTAssertEqual("\(error)", "d.csv.gz: decompresses to more than 48.8 KiB, the memory this command may use for a data file")
        }
        XCTAssertEqual(try GzipFile.decompress(whole, file: "d.csv.gz", limit: 160_000).count, 2000 * 80)
    }

    /// The repository's scale-free-1000 surrogate (launch/datasets/scale-free-1000/README.md):
    /// 20,000 rows of 1000 bits each; mean magnetisation m = −0.3886 (train), −0.3810 (test),
    /// so the fraction of ones (1 + m)/2 is 0.3057 and 0.3095.
    func testShippedScaleFreeRowsReadFromTheCompressedFiles() throws {
        for (name, ones) in [("train", 0.3057), ("test", 0.3095)] {
            let m = try DataFile.read(path: try ShippedDatasets.path("scale-free-1000/\(name).csv.gz"), expectedWidth: 1000)
            XCTAssertEqual(m.rows, 20_000, name)
            let fraction = Double((0..<m.rows).reduce(0) { $0 + m.popcount(row: $1) }) / Double(m.rows * m.columns)
            XCTAssertEqual(fraction, ones, accuracy: 0.00006, name)
        }
    }
}
