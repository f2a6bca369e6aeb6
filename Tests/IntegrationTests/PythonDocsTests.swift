import Foundation
import IQPTestSupport
import XCTest

/// The Python a user copies from the docs runs: every `python` block of docs/python.md in
/// order in one session (the blocks assert their own results: the loss went down, the service's
/// unpacked shots equal `iqp sample`'s, `iqp expval --exact` equals a numpy state vector of the
/// IQPopt circuit with its init gates, training keeps IQPopt's gate order), and the README's
/// IQPopt export line writes a file that `iqp` reads from IQPopt's own `local_gates`
/// (`np.int64` indices). Needs Python with numpy (`launch/test` provides it); fails without, naming that command.
final class PythonDocsTests: XCTestCase {
    static let packageRoot = QiskitExportTests.packageRoot

    /// The tests' Python (`TestPython`: `$IQP_PYTHON` or launch/test's `.build/test-venv`), which
    /// must have numpy.
    func python() throws -> String {
        try TestPython.path(importing: ["numpy"])
    }

    /// The `python` fenced blocks of a Markdown file, in order.
    static func pythonBlocks(_ markdown: String) -> [String] {
        var blocks: [String] = [], current: [Substring]?
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            if current == nil, line == "```python" { current = [] }
            else if current != nil, line == "```" { blocks.append(current!.joined(separator: "\n")); current = nil }
            else { current?.append(line) }
        }
        return blocks
    }

    func runScript(_ script: String, in directory: URL) throws -> CommandRunner.Result {
        let path = directory.appendingPathComponent("script.py").path
        try script.write(toFile: path, atomically: true, encoding: .utf8)
        return try CommandRunner.run(try python(), [path], timeout: 300,
                                     environment: ["IQP": CommandRunner.iqp])
    }

    func testEverySnippetOfPythonDocsRuns() throws {
        let page = try String(contentsOf: Self.packageRoot.appendingPathComponent("docs/python.md"), encoding: .utf8)
        let blocks = Self.pythonBlocks(page)
        XCTAssertGreaterThanOrEqual(blocks.count, 8)
        let directory = try CommandRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let script = "import os\nos.chdir(\(quoted(directory.path)))\n" + blocks.joined(separator: "\n\n")
            + "\nprint('all snippets ran')\n"
        let r = try runScript(script, in: directory)
        XCTAssertEqual(r.status, 0, r.stderr + r.stdout)
        XCTAssertTrue(r.stdout.contains("all snippets ran"), r.stdout)
    }

    func testREADMEExportLineWorksWithIQPoptsInt64Gates() throws {
        let readme = try String(contentsOf: Self.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        guard let line = readme.split(separator: "\n").first(where: { $0.contains("json.dump(") }),
              let start = line.range(of: "`json.dump("), let end = line[start.upperBound...].range(of: "`") else {
            return XCTFail("README.md has no `json.dump(…)` export line")
        }
        let export = String(line[line.index(after: start.lowerBound)..<end.lowerBound])
        let directory = try CommandRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let model = directory.appendingPathComponent("iqpopt.json").path
        let script = """
            import itertools, json
            import numpy as np
            gates = []                      # iqpopt.utils.local_gates(4, 2)
            for weight in np.arange(1, 3):
                for gate in itertools.combinations(np.arange(4), weight):
                    gates.append([list(gate)])
            assert isinstance(gates[0][0][0], np.int64)
            n, params = 4, np.linspace(-0.5, 0.5, len(gates))
            with open(\(quoted(model)), "w") as f:
                \(export)
            """
        let r = try runScript(script, in: directory)
        XCTAssertEqual(r.status, 0, "the README line \(export) fails: \(r.stderr)")
        let read = try CommandRunner.iqp(["export", "--model", model, "--out", directory.appendingPathComponent("m.qasm").path])
        XCTAssertEqual(read.status, 0, read.stderr)
        XCTAssertEqual(try CommandRunner.params(model).count, 10)
    }

    func quoted(_ s: String) -> String {
        "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
