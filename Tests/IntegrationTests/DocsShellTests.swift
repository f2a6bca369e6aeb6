import Foundation
import XCTest

/// The shell a user pastes from the docs runs: every fenced ```bash (or sh, shell) block of
/// README.md and docs/*.md, the blocks of one page in order in one bash session (`set -euo
/// pipefail`) in an empty folder, with `iqp` on the PATH, `.build/release/iqp` the binary under
/// test and `launch/` and `docs/` the repository's (read only: the pages write in the folder).
/// A block whose info string has a second word cannot run here and is skipped and listed:
/// ```bash cluster (real nodes), ```bash setup (installs or builds: what .ci/run does),
/// ```bash long (benchmarks and study runs of minutes to hours); so is the README's set-up
/// block (apt-get and the build).
final class DocsShellTests: XCTestCase {
    static let packageRoot = QiskitExportTests.packageRoot

    struct Block {
        var file: String
        var line: Int
        var info: String
        var text: String
    }

    /// The shell blocks of a Markdown page, in order.
    static func shellBlocks(_ markdown: String, file: String) -> [Block] {
        var blocks: [Block] = [], current: [Substring]?, info = "", start = 0
        for (index, line) in markdown.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if current == nil, line.hasPrefix("```") {
                let words = line.dropFirst(3).split(separator: " ")
                if let language = words.first, ["bash", "sh", "shell"].contains(language) {
                    current = []
                    info = words.joined(separator: " ")
                    start = index + 1
                } else if !line.dropFirst(3).isEmpty || true {
                    // another language or a plain fence: skip to its end
                    current = nil
                }
            } else if current != nil, line == "```" {
                blocks.append(Block(file: file, line: start, info: info, text: current!.joined(separator: "\n")))
                current = nil
            } else {
                current?.append(line)
            }
        }
        return blocks
    }

    /// Every page's blocks, split into those to run and those skipped (with the reason).
    static func pages() throws -> [(file: String, run: [Block], skipped: [Block])] {
        let docs = packageRoot.appendingPathComponent("docs")
        let names = try FileManager.default.contentsOfDirectory(atPath: docs.path).filter { $0.hasSuffix(".md") }.sorted()
        return try (["README.md"] + names.map { "docs/" + $0 }).compactMap { file in
            let text = try String(contentsOf: packageRoot.appendingPathComponent(file), encoding: .utf8)
            let blocks = shellBlocks(text, file: file)
            guard !blocks.isEmpty else { return nil }
            let skip: (Block) -> Bool = { $0.info.contains(" ") || $0.text.contains("apt-get install") }
            return (file, blocks.filter { !skip($0) }, blocks.filter(skip))
        }
    }

    /// docs/cli.md is the binary's help as docs/generate-cli-md writes it now, and the examples
    /// in `--help` paste as whole commands: a long one is continued with `\`, none is wrapped by
    /// the help formatter to column 0.
    func testCLIPageIsCurrentAndHelpExamplesPasteAsWholeCommands() throws {
        let directory = try CommandRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("docs"), withIntermediateDirectories: true)
        let script = Self.packageRoot.appendingPathComponent("docs/generate-cli-md").path
        let r = try CommandRunner.run("/bin/bash", ["-c", "cd \"$1\" && \"$2\"", "generate", directory.path, script],
                                      environment: ["IQP_BIN": CommandRunner.iqp])
        XCTAssertEqual(r.status, 0, r.stderr)
        let page = try String(contentsOf: directory.appendingPathComponent("docs/cli.md"), encoding: .utf8)
        let committed = try String(contentsOf: Self.packageRoot.appendingPathComponent("docs/cli.md"), encoding: .utf8)
        XCTAssertTrue(page == committed, "docs/cli.md is not the binary's help: run docs/generate-cli-md after a build")
        let lines = page.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var examples = 0
        for (i, line) in lines.enumerated() where line.hasPrefix("  iqp ") || line.hasPrefix("  mpirun ") {
            examples += 1
            let next = i + 1 < lines.count ? lines[i + 1] : ""
            if line.hasSuffix("\\") {
                XCTAssertTrue(next.hasPrefix("      "), "docs/cli.md:\(i + 1): the continuation of '\(line)' is '\(next)'")
            } else if let first = next.first, first != " " {
                XCTAssertTrue(next.hasSuffix(":") || next.hasPrefix("```") || next.hasPrefix("#"),
                              "docs/cli.md:\(i + 2): '\(next)' is the wrapped end of '\(line)'")
            }
        }
        XCTAssertGreaterThan(examples, 10)
    }

    func testEveryShellBlockOfTheDocsRuns() throws {
        let pages = try Self.pages()
        XCTAssertTrue(pages.contains { $0.file == "docs/walkthrough.md" && $0.run.count >= 6 })
        XCTAssertTrue(pages.contains { $0.file == "README.md" && !$0.run.isEmpty })
        var skippedList: [String] = []
        for page in pages {
            for block in page.skipped {
                skippedList.append("\(block.file):\(block.line) (```\(block.info))")
            }
            guard !page.run.isEmpty else { continue }
            let directory = try CommandRunner.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let bin = directory.appendingPathComponent(".bin")
            let release = directory.appendingPathComponent(".build/release")
            try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
            try FileManager.default.createDirectory(at: release, withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(atPath: bin.appendingPathComponent("iqp").path,
                                                       withDestinationPath: CommandRunner.iqp)
            try FileManager.default.createSymbolicLink(atPath: release.appendingPathComponent("iqp").path,
                                                       withDestinationPath: CommandRunner.iqp)
            for shared in ["launch", "docs"] {    // what the pages name from the repository's root
                try FileManager.default.createSymbolicLink(atPath: directory.appendingPathComponent(shared).path,
                                                           withDestinationPath: Self.packageRoot.appendingPathComponent(shared).path)
            }
            // A page that starts a service in the background and fails before it stops it leaves nothing running.
            var script = "set -euo pipefail\ntrap 'kill $(jobs -p) 2>/dev/null || true' EXIT\ncd '\(directory.path)'\n"
            for block in page.run {
                script += "echo '### \(block.file):\(block.line)' >&2\n" + block.text + "\n"
            }
            let path = directory.appendingPathComponent(".page.sh").path
            try script.write(toFile: path, atomically: true, encoding: .utf8)
            let environment = ["PATH": bin.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")]
            let r = try CommandRunner.run("/bin/bash", [path], timeout: 900, environment: environment)
            let lastBlock = r.stderr.components(separatedBy: "### ").last?.split(separator: "\n").first ?? "?"
            XCTAssertEqual(r.status, 0, "\(page.file): the block at \(lastBlock) failed:\n\(r.stderr.suffix(3000))\n\(r.stdout.suffix(2000))")
        }
        print("DocsShellTests: skipped (cannot run here): " + skippedList.joined(separator: ", "))
        // What is skipped is what is marked so, and nothing else.
        XCTAssertTrue(skippedList.allSatisfy { $0.contains(" ") }, "\(skippedList)")
    }
}
