import Foundation
import XCTest

/// Runs every case of `BadInputCorpus` once against one fixture folder and checks the error
/// contract of docs/cli.md: the documented exit status, exactly one line `iqp: error: …` on
/// standard error containing the expected words, nothing on standard output, and the fixture
/// folder byte for byte as before (no output, no temporary file, no input replaced).
final class BadInputCorpusTests: XCTestCase {
    func testCorpus() throws {
        let directory = try CommandRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let d = directory.path
        try BadInputFixtures.write(in: d)
        XCTAssertGreaterThanOrEqual(BadInputCorpus.cases.count, 60)
        XCTAssertEqual(Set(BadInputCorpus.cases.map(\.name)).count, BadInputCorpus.cases.count, "case names repeat")
        for c in BadInputCorpus.cases {
            let before = try BadInputFixtures.snapshot(d)
            let arguments = c.arguments.map { $0.replacingOccurrences(of: "$D", with: d) }
            let r = try CommandRunner.iqp(arguments, timeout: 60)
            let lines = r.stderr.split(separator: "\n")
            let context = "[\(c.name)] iqp \(arguments.joined(separator: " ")) → \(r.status): \(r.stderr)"
            XCTAssertEqual(r.status, c.status, context)
            XCTAssertEqual(lines.count, 1, context)
            XCTAssertTrue(r.stderr.hasPrefix("iqp: error: "), context)
            XCTAssertEqual(r.stdout, "", context)
            for word in c.message where !r.stderr.contains(word.replacingOccurrences(of: "$D", with: d)) {
                XCTFail("'\(word)' missing: \(context)")
            }
            XCTAssertEqual(try BadInputFixtures.snapshot(d), before, "files changed: \(context)")
        }
    }
}

/// The files the corpus runs against: good inputs, damaged copies, and a real checkpoint
/// written by `iqp train` with damaged copies of it.
enum BadInputFixtures {
    static func write(in d: String) throws {
        let rows = (0..<24).map { i in (0..<4).map { "\((i >> $0 ^ i >> 2) & 1)" }.joined(separator: ",") }
        let files: [String: String] = [
            "good.csv": rows.joined(separator: "\n") + "\n",
            "good4.csv": rows.reversed().dropFirst().joined(separator: "\n") + "\n",
            "tiny.csv": rows.prefix(5).joined(separator: "\n") + "\n",
            "wide.csv": rows.map { $0 + ",1" }.joined(separator: "\n") + "\n",
            "narrow.csv": "0,1\n1,0\n",
            "ragged.csv": "0,1,1,0\n1,0,1,0\n1,1\n",
            "symbol.csv": "0,1,1,0\n1,2,1,0\n",
            "empty.csv": "",
            "ops.csv": "1,0,0,0\n0,1,1,0\n",
            "gates-range.json": "[[[0]],\n [[1]],\n [[5]]]",
            "gates-dup.json": "[[[0]],\n [[1, 1]]]",
            "model.json": "{\"n_qubits\": 4, \"gates\": [[[0]], [[1]], [[2]], [[3]], [[0, 1]]], \"params\": [0.1, 0.2, 0.3, 0.4, 0.5]}",
            "inf.json": "{\"n_qubits\": 4,\n \"gates\": [[[0]], [[1]], [[2]], [[3]]],\n \"params\": [0.1, 1e400, 0.2, 0.3]}",
            "typed.json": "{\"n_qubits\": 4,\n \"gates\": [[[0]], [[1]], [[2]], [[3]]],\n \"params\": [0.1, 0.2, 0.3, 0.4],\n \"spin_sym\": 1}",
            "graph.adjlist": "0 1 2\n1 2\n2\n",
            "bad.adjlist": "0 1\n1 x\n",
            "huge-n.json": "{\"n_qubits\": 10000000000, \"gates\": [[[0]], [[1]]], \"params\": [0.1, 0.2]}",
            "big-n.json": "{\"n_qubits\": 1000000000, \"gates\": [[[0]], [[1]]], \"params\": [0.1, 0.2]}",
            "huge-params.json": "{\"n_qubits\": 4, \"gates\": [[[0]], [[1]], [[2]], [[3]], [[0, 1]]], "
                + "\"params\": [1e308, -1e308, 1e308, -1e308, 1e308]}",
            "init.json": "[0.1, 0.2, 0.3]",
            "escape.csv": "0,1,1,0\n1,\u{1B}[31m,1,0\n",
            "long-label.adjlist": "0 88888888888888888888888888\n",
        ]
        for (name, text) in files { try text.write(toFile: d + "/" + name, atomically: true, encoding: .utf8) }
        // A .npy header with a key numpy does not write (numpy refuses it too).
        var npy = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
        var header = "{'descr': '|u1', 'fortran_order': False, 'shape': (2, 4), 'extra': 1, }"
        while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        npy.append(contentsOf: [UInt8(header.utf8.count & 0xFF), UInt8(header.utf8.count >> 8)])
        npy.append(Data(header.utf8))
        npy.append(Data([0, 1, 1, 0, 1, 0, 0, 1]))
        try npy.write(to: URL(fileURLWithPath: d + "/extra-key.npy"))
        try FileManager.default.createDirectory(atPath: d + "/sub", withIntermediateDirectories: false)
        try FileManager.default.createSymbolicLink(atPath: d + "/link.csv", withDestinationPath: d + "/good.csv")
        try writeCheckpoints(in: d)
    }

    /// `ckpt.json` from a real three-step run, and one damaged copy per checkpoint case.
    static func writeCheckpoints(in d: String) throws {
        let r = try CommandRunner.iqp(["train", "--data", d + "/good.csv", "--steps", "3", "--ops", "10", "--samples", "10",
                                       "--eval-ops", "0", "--quiet", "--out", d + "/trained.json",
                                       "--checkpoint", d + "/ckpt.json"])
        guard r.status == 0 else { throw FixtureError(reason: "the fixture run failed: \(r.stderr)") }
        let text = try String(contentsOfFile: d + "/ckpt.json", encoding: .utf8)
        try FileManager.default.removeItem(atPath: d + "/trained.json")
        let edits: [String: (String, String)] = [
            "format": ("\"format\": \"iqp-checkpoint-1\"", "\"format\": \"iqp-checkpoint-9\""),
            "step": ("\"step\": 3,", "\"step\": 5,"),
            "negstep": ("\"step\": 3,", "\"step\": -1,"),
            "seed": ("\"seed\": \"0\"", "\"seed\": \"zero\""),
            "lr": ("\"learning_rate\": 0.001", "\"learning_rate\": 0"),
            "sigma": ("\"sigma\": \\[1\\]", "\"sigma\": [-1]"),
            "samples": ("\"samples\": 10,", "\"samples\": 1,"),
            "fingerprint": ("\"data_fingerprint\": \"[0-9a-f]+\"", "\"data_fingerprint\": \"not-hex\""),
            "adam-count": ("\"adam_count\": 3", "\"adam_count\": 2"),
            "adam-v": ("(\"adam_v\": \\[\\s*)[-0-9.e]+", "$1-1"),
            "adam-m": ("(\"adam_m\": \\[\\s*)[-0-9.e]+,\\s*", "$1"),
            "adam-huge": ("(\"adam_m\": \\[\\s*)[-0-9.e]+", "$1 1e308"),
            "huge-n": ("\"n_qubits\": 4", "\"n_qubits\": 10000000000"),
        ]
        for (name, (pattern, replacement)) in edits {
            let changed = text.replacingOccurrences(of: pattern, with: replacement, options: .regularExpression)
            guard changed != text else { throw FixtureError(reason: "checkpoint edit '\(name)' found nothing to change") }
            try changed.write(toFile: d + "/ckpt-\(name).json", atomically: true, encoding: .utf8)
        }
        try String(text.prefix(text.count / 2)).write(toFile: d + "/ckpt-truncated.json", atomically: true, encoding: .utf8)
    }

    struct FixtureError: Error { var reason: String }

    /// Every entry under `d` (links not followed) with its content.
    static func snapshot(_ d: String) throws -> [String: Data] {
        var result: [String: Data] = [:]
        for name in try FileManager.default.subpathsOfDirectory(atPath: d) {
            let path = d + "/" + name
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            switch attributes[.type] as? FileAttributeType {
            case .typeRegular?: result[name] = try Data(contentsOf: URL(fileURLWithPath: path))
            case .typeSymbolicLink?: result[name] = Data(try FileManager.default.destinationOfSymbolicLink(atPath: path).utf8)
            default: result[name] = Data()
            }
        }
        return result
    }
}
