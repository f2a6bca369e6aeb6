import Foundation
import XCTest

/// The layering each target's README.md states: the modules a target's sources may import.
/// SwiftPM lets a target import a module it does not declare when that module happens to be
/// built first, so the rule is checked here on the source text.
final class ModuleBoundaryTests: XCTestCase {
    /// The C library and the standard runtime modules, allowed everywhere.
    private static let system: Set<String> = ["Foundation", "FoundationNetworking", "Dispatch", "Glibc", "Musl", "Darwin", "Synchronization"]

    /// What each target may import besides `system`.
    private static let allowed: [String: Set<String>] = [
        "Sources/IQPCore": ["COpenBLAS", "CIQPKernels", "CZlib"],
        "Sources/IQPMPI": ["IQPCore", "CMPI"],
        "Sources/IQPSampler": ["IQPCore"],
        "Sources/IQPService": ["IQPCore", "IQPSampler", "Hummingbird", "HTTPTypes", "NIOCore", "NIOHTTPTypes", "Logging",
                               "ServiceLifecycle", "UnixSignals"],
        "Sources/IQPPlot": [],
        "Sources/IQPBench": ["IQPCore", "COpenBLAS"],
        "Sources/IQPPython": ["IQPCore", "IQPSampler"],
        "Sources/iqp": ["IQPCore", "IQPMPI", "IQPSampler", "IQPService", "IQPPlot", "IQPBench", "ArgumentParser", "Yams"],
        "Tests/IQPTestSupport": ["IQPCore"],
    ]

    private static var packageRoot: URL {
        // This file is <package>/Tests/IQPCoreTests/ModuleBoundaryTests.swift.
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }

    /// The modules named by `import` lines (plain, `@testable`, `@_exported`, `import struct M.T`).
    static func imports(in source: String) -> Set<String> {
        var modules = Set<String>()
        for line in source.split(separator: "\n") {
            let words = line.split(separator: " ").filter { !$0.hasPrefix("@") }
            guard words.first == "import", words.count >= 2 else { continue }
            let path = words.count >= 3 && ["struct", "class", "enum", "func", "protocol", "typealias", "var", "let"]
                .contains(String(words[1])) ? words[2] : words[1]
            modules.insert(String(path.split(separator: ".")[0]))
        }
        return modules
    }

    func testImportsFindsEveryForm() {
        let source = "import Foundation\n@testable import IQPCore\n  import struct IQPMPI.BuildTarget\n// import Nope\n"
        XCTAssertEqual(Self.imports(in: source), ["Foundation", "IQPCore", "IQPMPI"])
    }

    func testEveryTargetImportsOnlyWhatItsREADMEAllows() throws {
        let files = FileManager.default
        for (target, permitted) in Self.allowed.sorted(by: { $0.key < $1.key }) {
            let folder = Self.packageRoot.appendingPathComponent(target)
            XCTAssertTrue(files.fileExists(atPath: folder.appendingPathComponent("README.md").path),
                          "\(target) has no README.md")
            guard let walker = files.enumerator(atPath: folder.path) else {
                XCTFail("\(target) is missing"); continue
            }
            var sources = 0
            for case let relative as String in walker where relative.hasSuffix(".swift") {
                sources += 1
                let text = try String(contentsOf: folder.appendingPathComponent(relative), encoding: .utf8)
                let forbidden = Self.imports(in: text).subtracting(Self.system).subtracting(permitted)
                XCTAssertTrue(forbidden.isEmpty, "\(target)/\(relative) imports \(forbidden.sorted())")
            }
            XCTAssertGreaterThan(sources, 0, "\(target) has no sources")
        }
    }

    /// Inside IQPCore, the folders follow the data flow of a step (docs/architecture.md, "Who may
    /// use whom inside IQPCore"): a type of a later stage is named only in the folders that run
    /// that stage. The math below the step (circuit, data, random streams, estimators, the loss
    /// formula, the exact transforms' pieces, Adam) holds no collective and no timer.
    static let folderRules: [(types: Set<String>, folders: Set<String>, why: String)] = [
        (["Communicator"], ["Distributed", "Step", "Training", "Exact", "Evaluation"],
         "collectives run in the step, the training loop, and the exact path's split over ranks"),
        (["PhaseRecorder", "PhaseTimer"], ["Distributed", "Step", "Training"],
         "phases are observed from outside the math: the step and the loop report to a recorder"),
        (["Trainer", "TrainingJob", "GridSearch", "OptimizerStep", "RootAdam", "ShardedAdam", "CheckpointSchedule"],
         ["Training"], "the loop and the jobs are the last stage"),
        (["MMDObjective", "StepExchange", "StepSums", "LocalComputation", "StepDraw"],
         ["Step", "Training", "Diagnostics"], "the step is run by the loop (and measured by the gradient diagnostics)"),
    ]

    /// The identifiers of a Swift source with its `//` comments and string literals removed.
    static func identifiers(in source: String) -> Set<String> {
        var names = Set<String>()
        for line in source.split(separator: "\n") {
            var code = Substring(line)
            if let comment = code.range(of: "//") { code = code[..<comment.lowerBound] }
            let parts = code.split(separator: "\"", omittingEmptySubsequences: false)
            for (index, part) in parts.enumerated() where index % 2 == 0 {
                var word = ""
                for c in part {
                    if c.isLetter || c.isNumber || c == "_" { word.append(c) } else {
                        if !word.isEmpty { names.insert(word) }
                        word = ""
                    }
                }
                if !word.isEmpty { names.insert(word) }
            }
        }
        return names
    }

    func testIdentifiersSkipCommentsAndStrings() {
        let source = "let a = Trainer() // MMDObjective\n/// Communicator\nlet s = \"GridSearch\"; let b = StepSums.zero\n"
        XCTAssertEqual(Self.identifiers(in: source).intersection(["Trainer", "MMDObjective", "Communicator", "GridSearch", "StepSums"]),
                       ["Trainer", "StepSums"])
    }

    func testIQPCoreFoldersNameOnlyTheStagesTheyRun() throws {
        let core = Self.packageRoot.appendingPathComponent("Sources/IQPCore")
        guard let walker = FileManager.default.enumerator(atPath: core.path) else { return XCTFail("no IQPCore") }
        var checked = 0
        for case let relative as String in walker where relative.hasSuffix(".swift") {
            let folder = String(relative.split(separator: "/")[0])
            let names = Self.identifiers(in: try String(contentsOf: core.appendingPathComponent(relative), encoding: .utf8))
            for rule in Self.folderRules where !rule.folders.contains(folder) {
                let found = names.intersection(rule.types)
                XCTAssertTrue(found.isEmpty, "IQPCore/\(relative) names \(found.sorted()): \(rule.why)")
            }
            checked += 1
        }
        XCTAssertGreaterThan(checked, 100)
    }
}
