import Foundation
import IQPTestSupport
import XCTest

/// The README's two set-up commands are what CI runs (`.ci/run` reads them from the README's
/// first bash block): command 1 installs, builds and trains; command 2 is `launch/test`, which
/// installs the test extras and runs every test. Nothing a test, a launch script or a documented
/// command reads lies outside the clone.
final class SetUpCommandsTests: XCTestCase {
    private let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The README's first bash block, as `.ci/run` reads it.
    func setUpCommands() throws -> [String] {
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        let r = try CommandRunner.run("/usr/bin/awk", [
            #"/^```bash$/ && !seen { inside = 1; seen = 1; next } inside && /^```$/ { exit } inside && !/^#/ && NF { print }"#,
            root.appendingPathComponent("README.md").path,
        ])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(readme.contains("```bash\n# 1. "), "the set-up block comes first")
        return r.stdout.split(separator: "\n").map(String.init)
    }

    func testTheREADMEHasTwoSetUpCommandsAndCIRunsExactlyThem() throws {
        let commands = try setUpCommands()
        XCTAssertEqual(commands.count, 2, commands.joined(separator: "\n"))
        XCTAssertTrue(commands[0].contains("swift build -c release"), commands[0])
        XCTAssertTrue(commands[0].contains("zlib1g-dev"), "the gzip data files need zlib: " + commands[0])
        XCTAssertEqual(commands.last, "launch/test")
        // .ci/run runs the block's commands, nothing of its own.
        let ci = try String(contentsOf: root.appendingPathComponent(".ci/run"), encoding: .utf8)
        XCTAssertTrue(ci.contains("README.md"))
        XCTAssertFalse(ci.contains("swift test"), "CI must run launch/test through the README, not swift test itself")
        XCTAssertFalse(ci.contains("pip install"), "CI must not install what the README's commands do not")
    }

    /// `launch/test --extras-only` with a Python given: no install, a clear line; an unknown
    /// Python is not checked by the script, but the tests that need it fail naming the fix.
    func testLaunchTestExplainsItselfAndHonoursIQPPython() throws {
        let script = root.appendingPathComponent("launch/test").path
        let help = try CommandRunner.run(script, ["--help"])
        XCTAssertEqual(help.status, 0, help.stderr)
        XCTAssertTrue(help.stdout.contains("Tests/requirements.txt"), help.stdout)
        let python = try TestPython.path()
        let extras = try CommandRunner.run(script, ["--extras-only"], environment: ["IQP_PYTHON": python])
        XCTAssertEqual(extras.status, 0, extras.stderr)
        XCTAssertTrue(extras.stdout.contains("IQP_PYTHON=\(python)"), extras.stdout)
        XCTAssertTrue(TestPython.fix.hasPrefix("run launch/test"))
    }

    /// No test, launch script or document names a path outside the clone (`../shared` was the
    /// workspace folder the data sets came from; the repository carries them in launch/datasets).
    func testNothingReadsOutsideTheClone() throws {
        var offenders: [String] = []
        for folder in ["Sources", "Tests", "launch", "cluster", "docs"] {
            let enumerator = FileManager.default.enumerator(at: root.appendingPathComponent(folder),
                                                            includingPropertiesForKeys: nil)
            while let url = enumerator?.nextObject() as? URL {
                guard ["swift", "md", "py", "sh", "sbatch", "yaml", ""].contains(url.pathExtension),
                      url.path.contains("/launch/datasets/") == false,
                      let text = try? String(contentsOf: url, encoding: .utf8) else { continue }
                // This file names the pattern it looks for.
                if url.lastPathComponent == "SetUpCommandsTests.swift" { continue }
                if text.contains("../" + "shared") { offenders.append(url.path) }
            }
        }
        for file in ["README.md", ".ci/run"] {
            let text = try String(contentsOf: root.appendingPathComponent(file), encoding: .utf8)
            if text.contains("../" + "shared") { offenders.append(file) }
        }
        XCTAssertEqual(offenders, [])
        for name in ["ising-4x4/ising_4_4_T_3_train.csv", "ising-4x4/ising_4_4_T_3_test.csv",
                     "blobs-8/16_spins_8_blobs_train.csv", "blobs-8/16_spins_8_blobs_test.csv",
                     "scale-free-1000/train.csv.gz", "scale-free-1000/test.csv.gz", "scale-free-1000/graph.adjlist",
                     "scale-free-1000/couplings.txt", "scale-free-1000/bias.txt", "LICENSE", "README.md"] {
            XCTAssertNoThrow(try ShippedDatasets.path(name), name)
        }
    }
}
