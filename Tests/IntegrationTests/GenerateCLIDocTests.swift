import Foundation
import XCTest

/// docs/generate-cli-md, run in a scratch copy of the repository layout: with the built binary
/// it writes a section for every command and subcommand the binary lists; with a binary that
/// prints nothing or fails it exits 1 and leaves the existing docs/cli.md as it was.
final class GenerateCLIDocTests: XCTestCase {
    func generate(in directory: URL, binary: String) throws -> CommandRunner.Result {
        let script = QiskitExportTests.packageRoot.appendingPathComponent("docs/generate-cli-md").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", "cd \"$1\" && \"$2\"", "generate", directory.path, script]
        var environment = CommandRunner.childEnvironment()
        environment["IQP_BIN"] = binary
        process.environment = environment
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CommandRunner.Result(status: process.terminationStatus, stdout: "",
                                    stderr: String(decoding: stderr, as: UTF8.self), seconds: 0)
    }

    func testWritesEveryCommandAndRefusesAnEmptyPage() throws {
        let directory = try CommandRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("docs"), withIntermediateDirectories: true)
        let page = directory.appendingPathComponent("docs/cli.md")
        try "old page\n".write(to: page, atomically: true, encoding: .utf8)

        for (name, body) in [("silent", "exit 0"), ("failing", "echo boom >&2; exit 3")] {
            let fake = directory.appendingPathComponent(name).path
            try "#!/bin/sh\n\(body)\n".write(toFile: fake, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: fake)
            let r = try generate(in: directory, binary: fake)
            XCTAssertEqual(r.status, 1, "\(name): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains("docs/generate-cli-md: error:"), r.stderr)
            XCTAssertEqual(try String(contentsOf: page, encoding: .utf8), "old page\n", name)
        }
        let left = try FileManager.default.contentsOfDirectory(atPath: directory.appendingPathComponent("docs").path)
        XCTAssertEqual(left, ["cli.md"], "no temporary page left behind")

        let r = try generate(in: directory, binary: CommandRunner.iqp)
        XCTAssertEqual(r.status, 0, r.stderr)
        let text = try String(contentsOf: page, encoding: .utf8)
        for command in ["train", "eval", "expval", "data ising", "sample", "serve", "info", "bench", "plot loss", "export"] {
            XCTAssertTrue(text.contains("\n## iqp \(command)\n"), "no section for iqp \(command)")
        }
        XCTAssertTrue(text.contains("--print-every"))
    }
}
