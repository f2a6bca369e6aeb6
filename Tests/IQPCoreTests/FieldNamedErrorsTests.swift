import Foundation
import IQPCore
import XCTest

/// IQPCore knows no command line: its errors name fields (`learningRate`, `IQPError.ref`), and
/// a front end renames them (`IQPError.renamingFields`; `iqp`: Sources/iqp/FieldFlags.swift).
final class FieldNamedErrorsTests: XCTestCase {
    private static var coreSources: URL {
        // This file is <package>/Tests/IQPCoreTests/FieldNamedErrorsTests.swift.
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/IQPCore")
    }

    /// The string literals of a line of Swift (none in a `//` comment line).
    static func stringLiterals(in line: Substring) -> [String] {
        guard !line.trimmingCharacters(in: .whitespaces).hasPrefix("//") else { return [] }
        var literals: [String] = [], current: String? = nil, escaped = false
        for c in line {
            if var text = current {
                if escaped { escaped = false; text.append(c) }
                else if c == "\\" { escaped = true; text.append(c) }
                else if c == "\"" { literals.append(text); current = nil; continue }
                else { text.append(c) }
                current = text
            } else if c == "\"" {
                current = ""
            }
        }
        return literals
    }

    func testStringLiteralsAreFound() {
        XCTAssertEqual(Self.stringLiterals(in: #"throw IQPError("a \"b\" --c", field: "d") // "--e""#),
                       [#"a \"b\" --c"#, "d", "--e"])
        XCTAssertEqual(Self.stringLiterals(in: #"    /// `iqp train --lr` in "a doc""#), [])
    }

    /// No string literal of IQPCore holds an option (`--lr`): messages name fields.
    func testIQPCoreSourcesHoldNoOptionNames() throws {
        let files = FileManager.default
        guard let walker = files.enumerator(atPath: Self.coreSources.path) else { return XCTFail("no Sources/IQPCore") }
        var found: [String] = [], sources = 0
        for case let relative as String in walker where relative.hasSuffix(".swift") {
            sources += 1
            let text = try String(contentsOf: Self.coreSources.appendingPathComponent(relative), encoding: .utf8)
            for (k, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                for literal in Self.stringLiterals(in: line) where literal.range(of: "--[A-Za-z]", options: .regularExpression) != nil {
                    found.append("Sources/IQPCore/\(relative):\(k + 1): \"\(literal)\"")
                }
            }
        }
        XCTAssertGreaterThan(sources, 50)
        XCTAssertEqual(found, [], "IQPCore's messages name fields (IQPError.ref), not options")
    }

    func testRenamingFieldsRenamesTheFieldAndTheReferences() {
        let error = IQPError("needs \(IQPError.ref("checkpointPath")) and `iqp blas` (\(IQPError.ref("checkpointPath")))",
                             file: "a.json", field: "checkpointEvery[2]")
        let renamed = error.renamingFields { field in
            ["checkpointPath": ("checkpoint", "--checkpoint"), "checkpointEvery": ("checkpoint-every", "--checkpoint-every")][field]
        }
        XCTAssertEqual(renamed.description, "a.json: field 'checkpoint-every[2]': needs --checkpoint and `iqp blas` (--checkpoint)")
        XCTAssertEqual(error.description, "a.json: field 'checkpointEvery[2]': needs `checkpointPath` and `iqp blas` (`checkpointPath`)")
    }

    /// A front end's line: a setting without a file starts with the setting as the front end
    /// spells it; an error about a file, or about a field the front end does not rename, keeps
    /// its form.
    func testDescribedStartsWithTheSettingOrKeepsTheFileForm() {
        let names = ["learningRate": "lr", "memoryBudget": "memory-budget"]
        func line(_ error: IQPError) -> String {
            error.described(renaming: names, reference: { "--" + $0 }, setting: { "--" + $0 })
        }
        XCTAssertEqual(line(IQPError("must be positive, got -1.0; see \(IQPError.ref("memoryBudget"))", field: "learningRate")),
                       "--lr: must be positive, got -1.0; see --memory-budget")
        XCTAssertEqual(line(IQPError("not finite", field: "learningRate[3]")), "--lr[3]: not finite")
        XCTAssertEqual(line(IQPError("must be positive", file: "run.yaml", line: 4, field: "learningRate")),
                       "run.yaml:4: field 'lr': must be positive")
        XCTAssertEqual(line(IQPError("is not 0 or 1", field: "column 5")), "field 'column 5': is not 0 or 1")
        let python = IQPError("is too small", field: "memoryBudget").described(
            renaming: ["memoryBudget": "memory_budget", "learningRate": "stepsize"], reference: { "`\($0)`" }, setting: { $0 })
        XCTAssertEqual(python, "memory_budget: is too small")
    }

    /// A training job's errors name its fields.
    func testTrainingJobErrorsNameFields() {
        var job = TrainingJob()
        job.options.checkpointEvery = 5
        XCTAssertThrowsError(try job.validate()) {
            XCTAssertEqual("\($0)", "field 'checkpointEvery': needs a checkpoint file (`checkpointPath`)")
        }
        job = TrainingJob()
        job.options.learningRate = -1
        XCTAssertThrowsError(try job.validate()) { XCTAssertEqual(($0 as? IQPError)?.field, "learningRate") }
        XCTAssertThrowsError(try LossSettings.validate(bandwidths: [.median, .value(0)], stringsPerSigma: 1, samples: 2)) {
            XCTAssertEqual("\($0)", "field 'sigmas': bandwidth 0.0 must be positive and finite")
        }
    }
}
