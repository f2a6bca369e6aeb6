import Foundation
import XCTest

/// The study's settings from the command line, as a user runs them: `--sigma median`,
/// `--init-params`, `nn:`/`covariance:` gates, `--convergence-on`, `iqp data ising --couplings`.
final class StudySettingsTests: XCTestCase {
    var directory: URL!
    override func setUpWithError() throws { directory = try CommandRunner.temporaryDirectory() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: directory) }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    func write(_ name: String, _ text: String) throws -> String {
        try text.write(toFile: path(name), atomically: true, encoding: .utf8)
        return path(name)
    }

    func testSampleAGivenModelAndTrainWithTheStudysOptions() throws {
        // A 3×3 model from files, sampled without global flips.
        let edges = try write("edges.txt", "0 1 0.8\n1 2 0.5\n0 3 0.7\n3 4 0.6\n4 5 0.9\n2 5 0.4\n3 6 0.5\n6 7 0.8\n7 8 0.3\n5 8 0.6\n")
        let bias = try write("bias.txt", (0..<9).map { _ in "-0.05" }.joined(separator: "\n") + "\n")
        let data = try CommandRunner.iqp(["data", "ising", "--couplings", edges, "--bias-file", bias, "--temperature", "1",
                                          "--burn-in", "50", "--thin", "2", "--chains", "2", "--no-global-flips",
                                          "--count", "400", "--test-count", "100", "--seed", "3",
                                          "--out", path("train.csv"), "--test-out", path("val.csv")])
        XCTAssertEqual(data.status, 0, data.stderr)
        XCTAssertEqual(try String(contentsOfFile: path("train.csv"), encoding: .utf8).split(separator: "\n").count, 400)

        // Median σ, IQPopt's nearest-neighbour gates, the convergence rule on the validation loss.
        let first = try CommandRunner.iqp(["train", "--data", path("train.csv"), "--val", path("val.csv"), "--val-every", "1",
                                           "--gates", "nn:1:2:lattice:3x3", "--sigma", "median", "--steps", "30",
                                           "--convergence-interval", "5", "--convergence-on", "validation",
                                           "--ops", "50", "--samples", "50", "--eval-ops", "0",
                                           "--out", path("first.json")])
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertTrue(first.stderr.contains("(median = IQPopt's median heuristic of the first 400 training rows)"), first.stderr)
        let model = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path("first.json")))) as! [String: Any]
        let training = model["training"] as! [String: Any]
        XCTAssertEqual(training["sigma_rule"] as? String, "median = IQPopt's median heuristic of the first 400 training rows")
        XCTAssertEqual((model["gates"] as! [Any]).count, 9 + 18)

        // Continue from its parameters.
        let second = try CommandRunner.iqp(["train", "--data", path("train.csv"), "--gates", "nn:1:2:lattice:3x3",
                                            "--init-params", path("first.json"), "--steps", "0", "--eval-ops", "0",
                                            "--quiet", "--out", path("second.json")])
        XCTAssertEqual(second.status, 0, second.stderr)
        XCTAssertEqual(try CommandRunner.params(path("second.json")), try CommandRunner.params(path("first.json")))

        // The same file with other gates is refused in one line, naming the gate.
        let other = try CommandRunner.iqp(["train", "--data", path("train.csv"), "--gates", "lattice:3x3",
                                           "--init-params", path("first.json"), "--steps", "0", "--eval-ops", "0",
                                           "--quiet", "--out", path("third.json")])
        XCTAssertNotEqual(other.status, 0)
        XCTAssertEqual(other.stderr.split(separator: "\n").count, 1, other.stderr)
        XCTAssertTrue(other.stderr.contains("first.json:") && other.stderr.contains("field 'gates[1]'"), other.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("third.json")))
    }

    func testBadCouplingsFileIsOneLine() throws {
        let edges = try write("edges.txt", "0 1 0.8\n1 2 oops\n")
        let r = try CommandRunner.iqp(["data", "ising", "--couplings", edges, "--count", "10", "--seed", "1",
                                       "--out", path("x.csv")])
        XCTAssertNotEqual(r.status, 0)
        XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("edges.txt:2: field 'J_ij'"), r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("x.csv")))
    }
}
