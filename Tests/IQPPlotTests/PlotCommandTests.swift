import Foundation
import IQPTestSupport
import XCTest

/// `iqp plot` run as a user would: on the loss log of a real (short) training run, and on
/// bad input (one-line error, nothing written).
final class PlotCommandTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("iqp-plot-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    private func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    /// Runs `iqp` with its output in files (no pipe to drain); returns status, stdout, stderr.
    private func iqp(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ChildProcess.iqpBinary)
        process.arguments = arguments
        process.environment = ChildProcess.cleanEnvironment()
        let out = path("stdout-\(UUID().uuidString)"), err = path("stderr-\(UUID().uuidString)")
        for file in [out, err] { XCTAssertTrue(FileManager.default.createFile(atPath: file, contents: nil)) }
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: err))
        try process.run()
        process.waitUntilExit()
        defer { try? FileManager.default.removeItem(atPath: out); try? FileManager.default.removeItem(atPath: err) }
        return (process.terminationStatus, try String(contentsOfFile: out, encoding: .utf8),
                try String(contentsOfFile: err, encoding: .utf8))
    }

    func testLossCurveOfARealTrainingRun() throws {
        let train = try iqp(["train", "--steps", "12", "--ops", "64", "--samples", "128", "--eval-ops", "0", "--quiet",
                             "--seed", "3", "--log", path("loss.csv"), "--out", path("model.json")])
        XCTAssertEqual(train.status, 0, train.stderr)
        let plot = try iqp(["plot", "loss", path("loss.csv"), "--out", path("loss.svg")])
        XCTAssertEqual(plot.status, 0, plot.stderr)
        XCTAssertEqual(plot.stdout, "")

        let svg = try SVGReader(String(contentsOfFile: path("loss.svg"), encoding: .utf8))
        XCTAssertEqual(svg.all("text", class: "title").map(\.text), ["Training loss: loss"])
        XCTAssertTrue(svg.all("text", class: "axis-label").map(\.text).contains("MMD² loss"))
        // The curve has one point per step, each where the drawn (log) y axis puts its loss.
        let rows = try String(contentsOfFile: path("loss.csv"), encoding: .utf8).split(separator: "\n").dropFirst()
        let losses = rows.map { Double($0.split(separator: ",", omittingEmptySubsequences: false)[1])! }
        let line = try XCTUnwrap(svg.all("polyline", class: "series").first?.attributes["points"])
        let ys = line.split(separator: " ").map { Double($0.split(separator: ",")[1])! }
        XCTAssertEqual(ys.count, 12)
        let ticks = svg.ticks("y")
        let (a, b) = try (XCTUnwrap(ticks.first), XCTUnwrap(ticks.last))
        for (loss, y) in zip(losses, ys) {
            let expected = a.pixel + (log10(loss) - log10(a.value)) / (log10(b.value) - log10(a.value)) * (b.pixel - a.pixel)
            XCTAssertEqual(y, expected, accuracy: 0.02)
        }

        // The same picture on standard output.
        let stdout = try iqp(["plot", "loss", path("loss.csv"), "--out", "-"])
        XCTAssertEqual(stdout.stdout, try String(contentsOfFile: path("loss.svg"), encoding: .utf8))
    }

    func testBadInputIsOneLineAndWritesNothing() throws {
        try "step,loss,validation_loss,seconds\n0,0.5,,0.1\n1,abc,,0.2\n".write(toFile: path("bad.csv"), atomically: true,
                                                                               encoding: .utf8)
        let bad = try iqp(["plot", "loss", path("bad.csv"), "--out", path("bad.svg")])
        XCTAssertEqual(bad.status, 1)
        XCTAssertEqual(bad.stderr, "iqp: error: \(path("bad.csv")):3: field 'loss': 'abc' is not a number\n")
        try "step,loss\n0,0.5\n".write(toFile: path("short.csv"), atomically: true, encoding: .utf8)
        let missing = try iqp(["plot", "loss", path("short.csv"), "--x", "seconds", "--out", path("bad.svg")])
        XCTAssertEqual(missing.status, 1)
        XCTAssertEqual(missing.stderr,
                       "iqp: error: \(path("short.csv")):1: field 'seconds': no such column (the columns are step, loss)\n")
        try "".write(toFile: path("empty.csv"), atomically: true, encoding: .utf8)
        let empty = try iqp(["plot", "columns", path("empty.csv"), "--x", "a", "--y", "b", "--out", path("bad.svg")])
        XCTAssertEqual(empty.stderr, "iqp: error: \(path("empty.csv")): the file is empty\n")
        // Nothing written: no picture, no temporary file.
        let left = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.contains("svg") }
        XCTAssertEqual(left, [])
    }
}
