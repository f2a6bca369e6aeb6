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
        "Sources/IQPBench": ["IQPCore"],
        "Sources/IQPPython": ["IQPCore", "IQPSampler"],
        "Sources/iqp": ["IQPCore", "IQPMPI", "IQPSampler", "IQPService", "IQPPlot", "IQPBench", "ArgumentParser", "Yams", "COpenBLAS"],
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
}
