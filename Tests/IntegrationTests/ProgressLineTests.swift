import Foundation
import XCTest

/// `iqp train`'s progress on stderr as a user sees it: on a terminal (a pseudo-terminal made by
/// util-linux `script`) one line redrawn in place with the rate and the ETA; without one, a
/// line every `--print-every K` steps; `--quiet` none; the header names σ.
final class ProgressLineTests: XCTestCase {
    /// Without a terminal, `--print-every 7` prints steps 1, 7, 14 and 20 of 20, each with the
    /// rate and elapsed time, then the summary; `--quiet` prints no step line.
    func testPrintEveryWithoutATerminal() throws {
        var arguments = StopSignalTests.trainArguments("every", steps: 20)
        arguments.removeAll { $0 == "--quiet" }
        let r = try CommandRunner.iqp(arguments + ["--print-every", "7"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let lines = r.stderr.split(separator: "\n").filter { $0.hasPrefix("step") }
        XCTAssertEqual(lines.map { String($0.split(separator: " ")[1]) }, ["1/20", "7/20", "14/20", "20/20"], r.stderr)
        XCTAssertTrue(lines[1].contains("steps/s") || lines[1].contains("s/step"), String(lines[1]))
        XCTAssertTrue(lines[1].contains("ETA"), String(lines[1]))
        XCTAssertTrue(r.stdout.hasPrefix("trained 20 steps"), r.stdout)
        XCTAssertTrue(r.stderr.contains("σ = 0.8,1.6,"), r.stderr)
        let quiet = try CommandRunner.iqp(StopSignalTests.trainArguments("quiet", steps: 5))
        XCTAssertFalse(quiet.stderr.contains("step "), quiet.stderr)
        let bad = try CommandRunner.iqp(arguments + ["--print-every", "0"])
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertTrue(bad.stderr.contains("--print-every must be at least 1"), bad.stderr)
    }

    /// On a terminal: redraws (`\r` + erase line), at most 5 a second plus the first and last
    /// step, counted against the run's own wall time (so the bound holds on a loaded machine),
    /// hence fewer than 3000 for 3000 steps; steps/s and ETA shown while it runs (3000 steps take
    /// over a second even on a quiet machine with the vector kernels, so a redraw falls between
    /// the first and the last); the line ends before the summary.
    func testLiveLineOnATerminal() throws {
        let script = "/usr/bin/script"
        guard FileManager.default.isExecutableFile(atPath: script) else { throw XCTSkip("util-linux script is not installed") }
        let command = ([CommandRunner.iqp] + StopSignalTests.trainArguments("live", steps: 3000).filter { $0 != "--quiet" })
            .map { "'\($0)'" }.joined(separator: " ")
        let r = try CommandRunner.run(script, ["-q", "-e", "-c", command, "/dev/null"], timeout: 120)
        XCTAssertEqual(r.status, 0, r.stdout)
        let redraws = r.stdout.components(separatedBy: "\r\u{1B}[K").dropFirst()
        XCTAssertGreaterThanOrEqual(redraws.count, 2, r.stdout)
        XCTAssertLessThanOrEqual(redraws.count, Int(5 * r.seconds) + 2, "more than 5 redraws a second")
        XCTAssertLessThan(redraws.count, 3000, "redrawn at every step")
        XCTAssertTrue(redraws.last!.hasPrefix("step 3000/3000"), r.stdout)
        XCTAssertTrue(redraws.contains { $0.contains("steps/s") && $0.contains("ETA") }, r.stdout)
        XCTAssertTrue(r.stdout.contains("\ntrained 3000 steps"), r.stdout)
    }
}
