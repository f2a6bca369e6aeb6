import Foundation
import XCTest

/// `iqp tune` run as a user would: one process and `mpirun -np 3` give the same results table
/// (scores to 1e-12), a configuration with a bad option value is a `failed` row with iqp train's
/// message, `--ancillas` appears in the parameters, and best.yaml names the best configuration.
final class TuneCommandTests: XCTestCase {
    func testSameTableOnOneAndThreeRanks() throws {
        let dir = try CommandRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = CommandRunner.barsAndStripes(in: dir, seed: 5)
        let grid = dir.appendingPathComponent("grid.yaml").path
        try """
            gates: [local:1, local:2]
            lr: [0.05, 0.2]
            ancillas: [0, 1]
            init: [data, sideways]      # sideways is not an initialisation: those configurations fail
            sigma: ["0.8,1.6"]
            steps: [20]
            """.write(toFile: grid, atomically: true, encoding: .utf8)
        func tune(_ out: String) -> [String] {
            ["tune", "--grid", grid, "--data", data, "--out", dir.appendingPathComponent(out).path, "--seed", "3", "--quiet"]
        }
        let one = try CommandRunner.iqp(tune("one"))
        XCTAssertEqual(one.status, 0, one.stderr)
        XCTAssertTrue(one.stdout.contains("16 of 16 configurations finished (8 failed)"), one.stdout)
        let three = try CommandRunner.mpi(ranks: 3, tune("three"))
        XCTAssertEqual(three.status, 0, three.stderr)

        /// The rows of a results file (RFC 4180 quotes: the sigma cell and messages hold commas).
        func rows(_ out: String) throws -> [[String]] {
            let text = try String(contentsOfFile: dir.appendingPathComponent(out + "/results.csv").path, encoding: .utf8)
            var rows: [[String]] = [], cells: [String] = [], cell = "", quoted = false
            var previous: Character = " "
            for c in text {
                if quoted {
                    if c == "\"" { quoted = false } else { cell.append(c) }
                } else if c == "\"" {
                    if previous == "\"" { cell.append("\"") }
                    quoted = true
                } else if c == "," { cells.append(cell); cell = "" }
                else if c == "\n" { cells.append(cell); rows.append(cells); cells = []; cell = "" }
                else { cell.append(c) }
                previous = c
            }
            return rows
        }
        let a = try rows("one"), b = try rows("three")
        XCTAssertEqual(a.count, 17)
        XCTAssertEqual(Array(a[0][1...4]), ["param_gates", "param_lr", "param_ancillas", "param_init"])
        let score = a[0].firstIndex(of: "mean_test_score")!, status = a[0].firstIndex(of: "status")!
        XCTAssertEqual(b.count, a.count)
        for (x, y) in zip(a.dropFirst(), b.dropFirst()) {
            XCTAssertEqual(x[0], y[0])
            XCTAssertEqual(x[status], y[status])
            if x[4] == "sideways" {
                XCTAssertEqual(x[status], "failed")
                XCTAssertTrue(x.last!.contains("sideways"), x.last!)
            } else {
                XCTAssertEqual(x[status], "ok", x.joined(separator: ","))
                let sx = Double(x[score])!, sy = Double(y[score])!
                XCTAssertEqual(sx, sy, accuracy: 1e-12)
                XCTAssertLessThan(sx, 0.2)
            }
        }
        let best = try String(contentsOfFile: dir.appendingPathComponent("one/best.yaml").path, encoding: .utf8)
        XCTAssertTrue(best.contains("\ndata: \(data)\n") && best.contains("\nseed: 3\n") && best.contains("\ninit: data\n"), best)
        XCTAssertTrue(best.contains("\nsigma: \"0.8,1.6\"\n"), best)

        // Resume: a second run finds every configuration finished and trains nothing.
        let again = try CommandRunner.iqp(tune("one"))
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stdout.contains("16 of 16 configurations finished"), again.stdout)
        XCTAssertLessThan(again.seconds, one.seconds)
    }
}
