import Foundation
import IQPTestSupport
import XCTest

/// `launch/reproduce-study --quick`: the whole pipeline (train both models on two of the
/// study's sets, evaluate them and the baselines as the study did, join the published numbers,
/// draw) on 300 rows with tiny settings, through the real `iqp`.
final class ReproduceStudyTests: XCTestCase {
    private let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    func testQuickRunWritesResultsNextToThePublishedValues() throws {
        let runs = try CommandRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: runs) }
        let script = root.appendingPathComponent("launch/reproduce-study").path
        let r = try CommandRunner.run(script, ["--quick"], timeout: 600, environment: [
            "IQP_BIN": CommandRunner.iqp, "RUN_DIR": runs.path,
        ])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)

        let text = try String(contentsOf: runs.appendingPathComponent("results.csv"), encoding: .utf8)
        let rows = text.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        // 2 sets × (iqp, bitflip, rbm, ebm, train-rows, uniform-random) × 3 σ of the grid 0.6 … 1.3.
        XCTAssertEqual(rows.count, 2 * 6 * 3, text)
        let samples: Set<Substring> = ["rbm", "ebm", "train-rows"]
        for row in rows {
            XCTAssertEqual(row.count, 10, String(row.joined(separator: ",")))
            // 16 qubits: EVAL=auto evaluates the models exactly; samples (the study's RBM and EBM,
            // the training rows) by the U-statistic.
            XCTAssertEqual(row[9], samples.contains(row[1]) ? "u-statistic" : "exact", String(row.joined(separator: ",")))
            XCTAssertNotNil(Double(row[3]).flatMap { $0.isFinite ? $0 : nil }, String(row.joined(separator: ",")))
            XCTAssertGreaterThan(Double(row[4]) ?? -1, 0)
        }
        // σ = 0.6 and 1.3 are on the study's grid: the published values are joined there.
        let published = rows.first { $0[0] == "ising-4x4" && $0[1] == "uniform-random" && $0[2] == "1.3" }
        XCTAssertEqual(published.map { String($0[5]) }, "0.0686587521177226")
        // The classical baselines are scored from the study's samples and joined with its values
        // (published at σ = 0.6 on blobs-8: RBM 2.7e−2, EBM −1.1e−4).
        let rbm = rows.first { $0[0] == "blobs-8" && $0[1] == "rbm" && $0[2] == "0.6" }
        XCTAssertEqual(rbm.map { String($0[5]) }, "0.0268158543830853")
        // The trained models record their steps and wall time; the baselines do not.
        for row in rows where row[1] == "iqp" || row[1] == "bitflip" { XCTAssertEqual(row[8], "3") }
        // The training rows are much closer to the test rows than the uniform distribution is
        // (published at σ = 1.3: −1.3e−4 and 6.9e−2 on ising-4x4).
        func value(_ set: String, _ model: String) -> Double {
            Double(rows.first { $0[0] == set && $0[1] == model && $0[2] == "1.3" }![3])!
        }
        for set in ["ising-4x4", "blobs-8"] {
            XCTAssertLessThan(value(set, "train-rows"), value(set, "uniform-random") / 3, set)
        }
        // The KGEL of every model and baseline on the study's 3-point grid, next to its values.
        let kgel = try String(contentsOf: runs.appendingPathComponent("kgel.csv"), encoding: .utf8)
        let kgelRows = kgel.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        XCTAssertEqual(kgelRows.count, 2 * 6 * 3, kgel)
        for row in kgelRows {
            let value = Double(row[3])
            XCTAssertTrue(value.map { $0 >= 0 && !$0.isNaN } ?? false, String(row.joined(separator: ",")))
        }
        XCTAssertEqual(kgelRows.first { $0[0] == "blobs-8" && $0[1] == "ebm" && $0[2] == "0.95" }.map { String($0[4]) },
                       "0.0026119961720227894")
        for name in ["results.md", "ising-4x4-eval.svg", "ising-4x4-loss.svg", "blobs-8-eval.svg"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: runs.appendingPathComponent(name).path), name)
        }
        XCTAssertTrue(r.stdout.contains("| ising-4x4 | iqp | 0.6 |"), r.stdout)
    }

    /// SEEDS trains each model once per seed and summarises the spread; EVAL=mc is the study's
    /// Monte Carlo evaluation.
    func testQuickRunOverSeedsWithMonteCarloEvaluation() throws {
        let runs = try CommandRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: runs) }
        let script = root.appendingPathComponent("launch/reproduce-study").path
        let r = try CommandRunner.run(script, ["--quick", "--sets", "blobs-8", "--models", "iqp"], timeout: 600, environment: [
            "IQP_BIN": CommandRunner.iqp, "RUN_DIR": runs.path,
            "SEEDS": "3,4", "EVAL": "mc",
        ])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        let results = try String(contentsOf: runs.appendingPathComponent("results.csv"), encoding: .utf8)
        let rows = results.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        let seeded = rows.filter { $0[1].hasPrefix("iqp-seed") }
        XCTAssertEqual(Set(seeded.map { String($0[1]) }), ["iqp-seed3", "iqp-seed4"], results)
        // EVAL=mc: every model by Monte Carlo; samples (RBM, EBM, training rows) by the U-statistic.
        let samples: Set<Substring> = ["rbm", "ebm", "train-rows"]
        XCTAssertTrue(rows.allSatisfy { $0[9] == (samples.contains($0[1]) ? "u-statistic" : "mc") }, results)
        // The two seeds start from different parameters: different models, different MMD².
        let a = seeded.filter { $0[1] == "iqp-seed3" }.map { Double($0[3])! }
        let b = seeded.filter { $0[1] == "iqp-seed4" }.map { Double($0[3])! }
        XCTAssertNotEqual(a, b)

        let spread = try String(contentsOf: runs.appendingPathComponent("seeds.csv"), encoding: .utf8)
        let lines = spread.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        XCTAssertEqual(lines.count, 3, spread)
        for (k, line) in lines.enumerated() {
            let mean = Double(line[4])!, sd = Double(line[5])!
            XCTAssertEqual(line[3], "2")
            XCTAssertEqual(mean, (a[k] + b[k]) / 2, accuracy: 1e-12 * max(1, abs(mean)))
            XCTAssertEqual(sd, abs(a[k] - b[k]) / 2.0.squareRoot(), accuracy: 1e-9 * max(1e-12, sd))
        }
    }
}
