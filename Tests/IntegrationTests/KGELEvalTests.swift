import Foundation
import IQPTestSupport
import XCTest

/// `iqp eval --kgel` as a user runs it: the study's split of the test file, a CSV sigma,kgel,
/// samples or a model (exact), and inf with a message where no reweighting can match.
final class KGELEvalTests: XCTestCase {
    func testSamplesAndModelsGiveTheCSVAndInfeasibleSaysWhy() throws {
        let directory = try CommandRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = { (name: String) in directory.appendingPathComponent(name).path }
        // Ground truth 0000/0001 rows, the witness (last row) 0000; samples 1111 have a smaller
        // kernel at the witness than any ground-truth row: infeasible.
        try String(repeating: "0,0,0,0\n0,0,0,1\n", count: 10).appending("0,0,0,0\n").write(toFile: path("data.csv"), atomically: true, encoding: .utf8)
        try String(repeating: "1,1,1,1\n", count: 5).write(toFile: path("far.csv"), atomically: true, encoding: .utf8)
        try String(repeating: "0,0,0,1\n0,0,0,0\n0,0,0,0\n", count: 4).write(toFile: path("near.csv"), atomically: true, encoding: .utf8)
        let far = try CommandRunner.iqp(["eval", "--kgel", "--samples-file", path("far.csv"), "--data", path("data.csv"),
                                         "--witnesses", "1", "--sigma", "1.0"])
        XCTAssertEqual(far.status, 0, far.stderr)
        XCTAssertEqual(far.stdout, "sigma,kgel\n1.0,inf\n")
        XCTAssertTrue(far.stderr.contains("KGEL at σ = 1.0 is inf: no reweighting of the 21 ground-truth rows"), far.stderr)
        // 2/3 of the samples at 0000: π puts 2/3 on the 0000 rows, KL = Σ π log(N π) with N = 21
        // rows (11 of them 0000), i.e. (2/3) log(21·(2/3)/11) + (1/3) log(21·(1/3)/10).
        let near = try CommandRunner.iqp(["eval", "--kgel", "--samples-file", path("near.csv"), "--data", path("data.csv"),
                                          "--witnesses", "1", "--sigma", "1.0", "--out", path("near-kgel.csv")])
        XCTAssertEqual(near.status, 0, near.stderr)
        let text = try String(contentsOfFile: path("near-kgel.csv"), encoding: .utf8)
        let value = Double(text.split(separator: "\n")[1].split(separator: ",")[1])!
        let expected = 2.0 / 3 * log(21 * (2.0 / 3) / 11) + 1.0 / 3 * log(21 * (1.0 / 3) / 10)
        XCTAssertEqual(value, expected, accuracy: 1e-10)

        // A model, exactly: the uniform model's mean kernel is ((1 + e^{-1/(2σ²)})/2)^n at every witness.
        let uniform = try CommandRunner.run(URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("launch/uniform-model").path,
            ["4", path("uniform.json")], environment: ["IQP_BIN": CommandRunner.iqp])
        XCTAssertEqual(uniform.status, 0, uniform.stderr)
        // Ground truth 0000/1111 rows (kernels 1 and e^{-2} at the witness 0000), between which
        // the uniform model's μ = ((1 + e^{-1/2})/2)^4 = 0.416 lies: π(0000) = (μ − e^{-2})/(1 − e^{-2}).
        try String(repeating: "0,0,0,0\n1,1,1,1\n", count: 10).appending("0,0,0,0\n").write(toFile: path("data2.csv"), atomically: true, encoding: .utf8)
        let model = try CommandRunner.iqp(["eval", "--kgel", "--exact", "--model", path("uniform.json"), "--data", path("data2.csv"),
                                           "--witnesses", "1", "--sigma", "1.0"])
        XCTAssertEqual(model.status, 0, model.stderr)
        let mu = pow((1 + exp(-0.5)) / 2, 4), p = (mu - exp(-2)) / (1 - exp(-2))
        let exact = p * log(21 * p / 11) + (1 - p) * log(21 * (1 - p) / 10)
        XCTAssertEqual(Double(model.stdout.split(separator: "\n")[1].split(separator: ",")[1])!, exact, accuracy: 1e-9)
    }
}
