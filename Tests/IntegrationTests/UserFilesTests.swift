import Foundation
import XCTest

/// A user's own files and guessable commands (issue "Users II", items 7 and 8): IQPopt's
/// `np.save(params)` as `--init-params`, `-` for standard input, Qiskit/IBM counts as
/// `eval --samples-file` in either bit order, `iqp sample --format counts`, `iqp plot FILE`
/// with its default `--out`, and `iqp data` without `--seed`.
final class UserFilesTests: XCTestCase {
    static let folder = BarsAndStripesFolder(seed: 6)

    override class func tearDown() {
        folder.remove()
        super.tearDown()
    }

    func path(_ name: String) -> String { Self.folder.path(name) }

    /// `iqp` through bash, so that `<` and `|` work as a user types them.
    func shell(_ command: String) throws -> CommandRunner.Result {
        try CommandRunner.run("/bin/bash", ["-c", "cd '\(Self.folder.directory.path)' && " + command], timeout: 300,
                              environment: ["IQP": CommandRunner.iqp])
    }

    func train(_ out: String, _ extra: [String] = []) throws -> CommandRunner.Result {
        try CommandRunner.iqp(["train", "--data", Self.folder.data, "--steps", "5", "--ops", "40", "--samples", "40",
                               "--estimator", "fast", "--eval-ops", "0", "--quiet", "--lr", "0.05",
                               "--out", path(out)] + extra)
    }

    /// A .npy file of float64 values, as `np.save` writes it (format 1.0).
    static func npy(_ values: [Double]) -> Data {
        var header = "{'descr': '<f8', 'fortran_order': False, 'shape': (\(values.count),), }"
        while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
        let length = UInt16(header.utf8.count)
        data.append(contentsOf: [UInt8(length & 0xff), UInt8(length >> 8)])
        data.append(contentsOf: Array(header.utf8))
        for v in values { withUnsafeBytes(of: v.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
        return data
    }

    func testInitParamsFromNumpySave() throws {
        let first = try train("a.json")
        XCTAssertEqual(first.status, 0, first.stderr)
        let params = try CommandRunner.params(path("a.json"))
        try Self.npy(params).write(to: URL(fileURLWithPath: path("params.npy")))
        let zeroSteps = try train("b.json", ["--init-params", path("params.npy"), "--steps", "0"])
        XCTAssertEqual(zeroSteps.status, 0, zeroSteps.stderr)
        for (x, y) in zip(try CommandRunner.params(path("b.json")), params) { XCTAssertEqual(x, y, accuracy: 1e-14) }
        try Self.npy(Array(params.dropLast())).write(to: URL(fileURLWithPath: path("short.npy")))
        let short = try train("c.json", ["--init-params", path("short.npy")])
        XCTAssertEqual(short.status, 1)
        XCTAssertTrue(short.stderr.contains("has \(params.count - 1) parameters but the circuit has \(params.count)"), short.stderr)
    }

    func testStandardInputForDataAndSamples() throws {
        let fromFile = try CommandRunner.iqp(["train", "--data", Self.folder.data, "--steps", "3", "--ops", "30", "--samples", "30",
                                              "--estimator", "fast", "--eval-ops", "0", "--quiet", "--out", path("f.json")])
        XCTAssertEqual(fromFile.status, 0, fromFile.stderr)
        let fromStdin = try shell("\"$IQP\" train --data - --steps 3 --ops 30 --samples 30 --estimator fast --eval-ops 0 "
                                  + "--quiet --out s.json < '\(Self.folder.data)'")
        XCTAssertEqual(fromStdin.status, 0, fromStdin.stderr)
        XCTAssertEqual(try CommandRunner.params(path("s.json")), try CommandRunner.params(path("f.json")))
        let eval = try shell("\"$IQP\" sample --model f.json --shots 200 --out shots.csv && "
                             + "cat shots.csv | \"$IQP\" eval --samples-file - --data '\(Self.folder.data)' --model f.json")
        let direct = try shell("\"$IQP\" eval --samples-file shots.csv --data '\(Self.folder.data)' --model f.json")
        XCTAssertEqual(eval.status, 0, eval.stderr)
        XCTAssertEqual(eval.stdout, direct.stdout)
    }

    /// Counts in Qiskit's order (qubit 0 rightmost) and in wire order give the same score as the CSV shots.
    func testCountsFilesInEitherBitOrder() throws {
        XCTAssertEqual(try train("m.json").status, 0)
        let csv = try CommandRunner.iqp(["sample", "--model", path("m.json"), "--shots", "300", "--seed", "4", "--out", path("shots.csv")])
        XCTAssertEqual(csv.status, 0, csv.stderr)
        let counts = try CommandRunner.iqp(["sample", "--model", path("m.json"), "--shots", "300", "--seed", "4",
                                            "--format", "counts", "--out", path("counts.json")])
        XCTAssertEqual(counts.status, 0, counts.stderr)
        // Qiskit's order by hand: the first CSV row reversed is a key of the counts.
        let firstRow = try String(contentsOfFile: path("shots.csv"), encoding: .utf8).split(separator: "\n")[0]
            .split(separator: ",").joined()
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path("counts.json")))) as! [String: Int]
        XCTAssertNotNil(object[String(firstRow.reversed())], "\(firstRow) reversed in \(object.keys)")
        XCTAssertEqual(object.values.reduce(0, +), 300)
        let wires = try CommandRunner.iqp(["sample", "--model", path("m.json"), "--shots", "300", "--seed", "4",
                                           "--format", "counts", "--bit-order", "wires", "--out", path("wires.json")])
        XCTAssertEqual(wires.status, 0, wires.stderr)

        func score(_ file: String, _ extra: [String] = []) throws -> String {
            let r = try CommandRunner.iqp(["eval", "--samples-file", path(file), "--data", Self.folder.data, "--model", path("m.json")] + extra)
            XCTAssertEqual(r.status, 0, r.stderr)
            return r.stdout
        }
        // A counts file lists each bitstring's shots together, in first-seen order: the same
        // shots as the CSV grouped so (eval's batches take rows in file order).
        let rows = try String(contentsOfFile: path("shots.csv"), encoding: .utf8).split(separator: "\n").map(String.init)
        var seen: [String] = [], groups: [String: [String]] = [:]
        for row in rows {
            if groups[row] == nil { seen.append(row) }
            groups[row, default: []].append(row)
        }
        try (seen.flatMap { groups[$0]! }.joined(separator: "\n") + "\n").write(toFile: path("grouped.csv"), atomically: true, encoding: .utf8)
        let reference = try score("grouped.csv")
        XCTAssertEqual(try score("counts.json"), reference)
        XCTAssertEqual(try score("wires.json", ["--bit-order", "wires"]), reference)
    }

    func testPlotGuessesTheKindAndWritesNextToTheInput() throws {
        XCTAssertEqual(try train("p.json", ["--log", path("loss.csv")]).status, 0)
        let loss = try CommandRunner.iqp(["plot", path("loss.csv")])
        XCTAssertEqual(loss.status, 0, loss.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: path("loss.svg")), loss.stderr)
        XCTAssertTrue(loss.stderr.contains("wrote \(path("loss.svg"))"), loss.stderr)
        let eval = try CommandRunner.iqp(["eval", "--model", path("p.json"), "--data", Self.folder.data, "--ops", "100",
                                          "--samples", "100", "--out", path("eval.csv")])
        XCTAssertEqual(eval.status, 0, eval.stderr)
        let picture = try CommandRunner.iqp(["plot", path("eval.csv"), "--out", path("e.svg")])
        XCTAssertEqual(picture.status, 0, picture.stderr)
        XCTAssertTrue(try String(contentsOfFile: path("e.svg"), encoding: .utf8).contains("<svg"))
        let png = try CommandRunner.iqp(["plot", "loss", path("loss.csv"), "--out", path("loss.png")])
        XCTAssertEqual(png.status, 64, png.stderr)
        XCTAssertTrue(png.stderr.contains("SVG only"), png.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("loss.png")))
        let other = try CommandRunner.iqp(["plot", Self.folder.data])
        XCTAssertEqual(other.status, 1, other.stderr)
    }

    /// `iqp train --help` lists its options under headings, data first.
    func testTrainHelpIsGrouped() throws {
        let help = try CommandRunner.iqp(["train", "--help"])
        XCTAssertEqual(help.status, 0)
        let headings = help.stdout.split(separator: "\n").filter { $0.hasSuffix(":") && $0.uppercased() == $0 && !$0.hasPrefix(" ") }
        XCTAssertEqual(headings.map(String.init), ["DATA:", "THE MODEL AND ITS START:", "THE LOSS (MMD² ESTIMATE OF ONE STEP):",
                                                   "HOW THE ESTIMATE IS COMPUTED:", "OPTIMISATION (ADAM):",
                                                   "FILES: THE MODEL, THE LOG, CHECKPOINTS, RUN FILES:",
                                                   "DEPLOY: SHOTS OR A CIRCUIT OF THE TRAINED MODEL:", "OPTIONS:"])
    }

    func testDataSeedDefaultsAsInTrain() throws {
        let a = try CommandRunner.iqp(["data", "bars-and-stripes", "--rows", "2", "--columns", "2", "--count", "20",
                                       "--out", path("d0.csv")])
        XCTAssertEqual(a.status, 0, a.stderr)
        let b = try CommandRunner.iqp(["data", "bars-and-stripes", "--rows", "2", "--columns", "2", "--count", "20",
                                       "--seed", "0", "--out", path("d1.csv")])
        XCTAssertEqual(b.status, 0, b.stderr)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path("d0.csv"))),
                       try Data(contentsOf: URL(fileURLWithPath: path("d1.csv"))))
    }
}
