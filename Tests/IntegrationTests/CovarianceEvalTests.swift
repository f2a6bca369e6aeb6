import Foundation
import IQPTestSupport
import XCTest

/// `iqp eval --covariance` and `iqp plot covariance` as a user runs them: the CSV of both
/// matrices, the heat-map pair, and a damaged CSV refused with its line.
final class CovarianceEvalTests: XCTestCase {
    func testCovarianceCSVAndHeatMaps() throws {
        let directory = try CommandRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = { (name: String) in directory.appendingPathComponent(name).path }
        let test = try ShippedDatasets.path("blobs-8/16_spins_8_blobs_test.csv")
        let ebm = try ShippedDatasets.path("baselines/samples-DeepEBM_8_blobs.csv")
        let r = try CommandRunner.iqp(["eval", "--covariance", "--samples-file", ebm, "--data", test, "--out", path("cov.csv")])
        XCTAssertEqual(r.status, 0, r.stderr)
        let lines = try String(contentsOfFile: path("cov.csv"), encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines.first, "i,j,model,data")
        XCTAssertEqual(lines.count, 1 + 16 * 16)
        // The data's diagonal is 1 − (mean spin)², at most 1; the matrices are symmetric.
        var entries: [String: (Double, Double)] = [:]
        for line in lines.dropFirst() {
            let f = line.split(separator: ",")
            entries["\(f[0]),\(f[1])"] = (Double(f[2])!, Double(f[3])!)
        }
        for i in 0..<16 {
            XCTAssertLessThanOrEqual(entries["\(i),\(i)"]!.1, 1)
            XCTAssertGreaterThan(entries["\(i),\(i)"]!.1, 0.5)
            for j in 0..<16 { XCTAssertEqual(entries["\(i),\(j)"]!.0, entries["\(j),\(i)"]!.0) }
        }
        let plot = try CommandRunner.iqp(["plot", "covariance", path("cov.csv"), "--out", path("cov.svg")])
        XCTAssertEqual(plot.status, 0, plot.stderr)
        let svg = try String(contentsOfFile: path("cov.svg"), encoding: .utf8)
        XCTAssertTrue(svg.hasPrefix("<svg"))
        XCTAssertGreaterThanOrEqual(svg.components(separatedBy: "<rect").count - 1, 2 * 256)
        XCTAssertTrue(svg.contains("Spin covariance, 16 qubits"))

        // A damaged table (an entry repeated, so not n × n) is refused naming the file; nothing is written.
        try (lines.prefix(3).joined(separator: "\n") + "\n" + String(lines[2]) + "\n").write(toFile: path("bad.csv"), atomically: true, encoding: .utf8)
        let bad = try CommandRunner.iqp(["plot", "covariance", path("bad.csv"), "--out", path("bad.svg")])
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertTrue(bad.stderr.contains("bad.csv"), bad.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("bad.svg")))
    }
}
