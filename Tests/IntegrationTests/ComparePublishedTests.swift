import Foundation
import XCTest

/// `launch/tune/compare-published` on the shipped published table: configurations are matched
/// by (gates, ancillas, lr, init scale, noise) across several of our tables, failed rows are left
/// out, Spearman's ρ is +1 for scores in the published order and −1 for the reverse, and the
/// joined table carries both MMD² (minus the scores).
final class ComparePublishedTests: XCTestCase {
    private let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    func testMatchesConfigurationsAndRanks() throws {
        let dir = try CommandRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let script = root.appendingPathComponent("launch/tune/compare-published").path
        let published = root.appendingPathComponent("launch/tune/published/IqpSimulator_2D_ising_GridSearchCV.csv").path
        // Published 2D_ising scores of the four local:2 configurations without ancillas with
        // lr 1e-3 and no noise (init scales 1e-4, 0.01, 1.0, -1), read from the shipped table.
        let table = try String(contentsOfFile: published, encoding: .utf8).split(separator: "\n").map {
            $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        }
        let header = table[0]
        func column(_ name: String) -> Int { header.firstIndex(of: name)! }
        let picked = table.dropFirst().filter {
            $0[column("param_gate_arg2")] == "2" && $0[column("param_n_ancilla")] == "0"
                && $0[column("param_stepsize")] == "0.001" && $0[column("param_param_noise")] == "0.0"
        }
        XCTAssertEqual(picked.count, 4)
        let scores = picked.map { Double($0[column("mean_test_score")])! }
        let scales = picked.map { $0[column("param_init_scale")] }

        func write(_ name: String, rows: [(scale: String, score: Double, status: String)]) throws -> String {
            var text = "param_gates,param_ancillas,param_lr,param_init-scale,param_param-noise,mean_fit_time,mean_test_score,status\n"
            for r in rows {
                let scale = r.scale == "-1.0" || r.scale == "-1" ? "" : r.scale
                text += "local:2,0,0.001,\(scale),0.0,2.5,\(r.score),\(r.status)\n"
            }
            let path = dir.appendingPathComponent(name).path
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }
        // Our scores: the published ones shifted (same order), split over two files, plus a failed row.
        let same = zip(scales, scores).map { (scale: $0, score: $1 - 1e-3, status: "ok") }
        let a = try write("a.csv", rows: Array(same.prefix(2)))
        let b = try write("b.csv", rows: Array(same.dropFirst(2)) + [(scale: "0.5", score: 0, status: "failed")])
        let joined = dir.appendingPathComponent("joined.csv").path
        let r = try CommandRunner.run(script, [a, b, published, "--out", joined])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("4 configurations in both tables"), r.stdout)
        XCTAssertTrue(r.stdout.contains("Spearman rank correlation of mean_test_score: 1.000"), r.stdout)
        XCTAssertTrue(r.stdout.contains("mean fit time per configuration: ours 2.5 s"), r.stdout)

        let rows = try CommandRunner.csvNumbers(joined)
        XCTAssertEqual(rows.count, 4)
        for row in rows {      // ours, published, …, ours_mmd2, published_mmd2
            XCTAssertEqual(row[9], -row[5], accuracy: 1e-15)
            XCTAssertEqual(row[10], -row[6], accuracy: 1e-15)
            XCTAssertEqual(row[5], row[6] - 1e-3, accuracy: 1e-12)
        }
        XCTAssertEqual(rows.map { $0[10] }, rows.map { $0[10] }.sorted())

        // Minus the published scores: the reverse order, ρ = −1 (the four scores are distinct).
        XCTAssertEqual(Set(scores).count, 4)
        let c = try write("c.csv", rows: zip(scales, scores).map { (scale: $0, score: -$1, status: "ok") })
        let r2 = try CommandRunner.run(script, [c, published])
        XCTAssertEqual(r2.status, 0, r2.stderr)
        XCTAssertTrue(r2.stdout.contains("Spearman rank correlation of mean_test_score: -1.000"), r2.stdout)
    }
}
