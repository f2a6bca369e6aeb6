import Foundation
import XCTest

/// `-` as an output is standard output, carrying only that output (docs/reliability.md, "CLI").
final class StandardOutputTests: XCTestCase {
    func testDashWritesTheOutputAloneToStandardOutput() throws {
        let directory = try CommandRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let data = directory.appendingPathComponent("data.csv").path

        let generated = try CommandRunner.iqp(["data", "bars-and-stripes", "--rows", "2", "--columns", "2", "--count", "30",
                                               "--seed", "3", "--out", "-"])
        XCTAssertEqual(generated.status, 0, generated.stderr)
        let rows = generated.stdout.split(separator: "\n")
        XCTAssertEqual(rows.count, 30)
        XCTAssertTrue(rows.allSatisfy { $0.split(separator: ",").count == 4 }, generated.stdout)
        try generated.stdout.write(toFile: data, atomically: true, encoding: .utf8)

        // The model alone on standard output: it parses as JSON, with one parameter per gate.
        let trained = try CommandRunner.iqp(["train", "--data", data, "--steps", "3", "--ops", "10", "--samples", "10",
                                             "--eval-ops", "0", "--quiet", "--out", "-"])
        XCTAssertEqual(trained.status, 0, trained.stderr)
        let model = try JSONSerialization.jsonObject(with: Data(trained.stdout.utf8)) as! [String: Any]
        XCTAssertEqual(model["n_qubits"] as? Int, 4)
        XCTAssertEqual((model["params"] as! [Any]).count, (model["gates"] as! [Any]).count)
        XCTAssertTrue(trained.stderr.contains("model written to standard output"), trained.stderr)

        // The loss log alone on standard output: a header and one line per step.
        let logged = try CommandRunner.iqp(["train", "--data", data, "--steps", "3", "--ops", "10", "--samples", "10",
                                            "--eval-ops", "0", "--quiet", "--out", directory.appendingPathComponent("m.json").path,
                                            "--log", "-"])
        XCTAssertEqual(logged.status, 0, logged.stderr)
        let lines = logged.stdout.split(separator: "\n")
        XCTAssertEqual(lines.first, "step,loss,validation_loss,seconds")
        XCTAssertEqual(lines.dropFirst().map { Int($0.split(separator: ",")[0]) }, [0, 1, 2])

        // eval's CSV on standard output is the same as in a file.
        let modelPath = directory.appendingPathComponent("m.json").path
        let evalArguments = ["eval", "--model", modelPath, "--data", data, "--ops", "20", "--samples", "10", "--seed", "5"]
        let toStdout = try CommandRunner.iqp(evalArguments + ["--out", "-"])
        let csv = directory.appendingPathComponent("eval.csv").path
        let toFile = try CommandRunner.iqp(evalArguments + ["--out", csv])
        XCTAssertEqual(toStdout.status, 0, toStdout.stderr)
        XCTAssertEqual(toFile.status, 0, toFile.stderr)
        XCTAssertEqual(toStdout.stdout, try String(contentsOfFile: csv, encoding: .utf8))
        XCTAssertTrue(toStdout.stdout.hasPrefix("sigma,mmd2,stderr\n"))
    }
}
