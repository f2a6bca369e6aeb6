import Foundation
import XCTest

/// Every malformed input is one line on stderr naming the file, line and field, a non-zero
/// exit status, and no output file.
final class BadInputTests: XCTestCase {
    var directory: URL!
    override func setUpWithError() throws { directory = try CommandRunner.temporaryDirectory() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: directory) }

    func write(_ name: String, _ text: String) throws -> String {
        let p = directory.appendingPathComponent(name).path
        try text.write(toFile: p, atomically: true, encoding: .utf8)
        return p
    }

    var out: String { directory.appendingPathComponent("out.json").path }

    /// Runs `arguments` and checks the failure contract; `expect` are substrings of the message.
    func assertRejected(_ arguments: [String], _ expect: [String], output: String? = nil,
                        file: StaticString = #filePath, line: UInt = #line) throws {
        let r = try CommandRunner.iqp(arguments, timeout: 120)
        XCTAssertNotEqual(r.status, 0, "accepted: \(arguments)", file: file, line: line)
        let lines = r.stderr.split(separator: "\n")
        XCTAssertEqual(lines.count, 1, "not one line: \(r.stderr)", file: file, line: line)
        for e in expect { XCTAssertTrue(r.stderr.contains(e), "'\(e)' missing in: \(r.stderr)", file: file, line: line) }
        XCTAssertFalse(FileManager.default.fileExists(atPath: output ?? out), "output written", file: file, line: line)
    }

    func train(_ data: String, _ extra: [String] = []) -> [String] {
        ["train", "--data", data, "--steps", "2", "--ops", "10", "--samples", "10", "--eval-ops", "0", "--quiet", "--out", out] + extra
    }

    func testDataFiles() throws {
        try assertRejected(train(try write("ragged.csv", "0,1,1\n1,0,1\n1,1\n")), ["ragged.csv:3:", "2 values", "expected 3"])
        try assertRejected(train(try write("symbol.csv", "0,1,1\n1,2,1\n")), ["symbol.csv:2:", "column 2", "'2'"])
        try assertRejected(train(try write("empty.csv", "")), ["empty.csv", "no data"])
        let good = try write("good.csv", "0,1,1\n1,0,1\n1,1,0\n")
        try assertRejected(train(good, ["--test", try write("narrow.csv", "0,1\n1,0\n")]), ["narrow.csv", "2 columns", "3"])
    }

    func testGateFiles() throws {
        let good = try write("good.csv", "0,1,1\n1,0,1\n1,1,0\n")
        try assertRejected(train(good, ["--gates-file", try write("range.json", "[[[0]],\n [[1]],\n [[5]]]")]),
                           ["range.json:3:", "gates[2][0]", "out of range"])
        try assertRejected(train(good, ["--gates-file", try write("dup.json", "[[[0]],\n [[1, 1]]]")]),
                           ["dup.json:2:", "gates[1][0]", "twice"])
    }

    func testModelFiles() throws {
        let ops = try write("ops.csv", "1,0,0\n0,1,1\n")
        let csv = directory.appendingPathComponent("ev.csv").path
        let nan = try write("inf.json", "{\"n_qubits\": 3,\n \"gates\": [[[0]], [[1]], [[2]]],\n \"params\": [0.1, 1e400, 0.2]}")
        try assertRejected(["expval", "--model", nan, "--ops", ops, "--out", csv], ["inf.json:3:"], output: csv)
        let typed = try write("typed.json", "{\"n_qubits\": 3,\n \"gates\": [[[0]], [[1]], [[2]]],\n \"params\": [0.1, 0.2, 0.3],\n \"spin_sym\": 1}")
        try assertRejected(["expval", "--model", typed, "--ops", ops, "--out", csv], ["typed.json:4:", "spin_sym"], output: csv)
        let good = try write("good.json", "{\"n_qubits\": 3, \"gates\": [[[0]], [[1]], [[2]]], \"params\": [0.1, 0.2, 0.3]}")
        try assertRejected(["expval", "--model", good, "--ops", try write("wide.csv", "1,0,0,1\n"), "--out", csv],
                           ["wide.csv", "4 columns"], output: csv)
        // And the good files work.
        let r = try CommandRunner.iqp(["expval", "--model", good, "--ops", ops, "--exact"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let lines = r.stdout.split(separator: "\n")
        XCTAssertEqual(lines.first, "expval,stderr")
        // <Z_0> = cos(2·0.1) for a product state exp(iθX)|0>.
        XCTAssertEqual(Double(lines[1].split(separator: ",")[0])!, cos(0.2), accuracy: 1e-12)
        XCTAssertEqual(Double(lines[2].split(separator: ",")[0])!, cos(0.4) * cos(0.6), accuracy: 1e-12)
    }
}
