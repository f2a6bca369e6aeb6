import Foundation
#if canImport(Glibc)
import Glibc
#endif
import XCTest
@testable import IQPCore

/// A failed write never destroys the loss log (docs/reliability.md, "Outputs"): the file size
/// limit (RLIMIT_FSIZE, with SIGXFSZ ignored) stands in for a full disk.
final class LossLogFailureTests: XCTestCase {
    func records(_ count: Int) -> [TrainingRecord] {
        (0..<count).map { TrainingRecord(step: $0, loss: 0.125 + Double($0), validationLoss: nil, seconds: 0.5) }
    }

    /// Runs `body` with files limited to `bytes` bytes.
    func withFileSizeLimit(_ bytes: Int, _ body: () -> Void) {
        var saved = rlimit()
        getrlimit(Int32(RLIMIT_FSIZE.rawValue), &saved)
        let previousHandler = signal(SIGXFSZ, SIG_IGN)
        var limited = saved
        limited.rlim_cur = rlim_t(bytes)
        setrlimit(Int32(RLIMIT_FSIZE.rawValue), &limited)
        defer {
            setrlimit(Int32(RLIMIT_FSIZE.rawValue), &saved)
            signal(SIGXFSZ, previousHandler)
        }
        body()
    }

    func testAFailedRewriteKeepsThePreviousLog() throws {
        let folder = NSTemporaryDirectory() + "losslog-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/loss.csv"
        let previous = "step,loss,validation_loss,seconds\n0,1.0,,0.1\n"
        try previous.write(toFile: path, atomically: true, encoding: .utf8)
        // A resumed history larger than the limit: the new log cannot be written whole.
        withFileSizeLimit(200) {
            do {
                _ = try LossLog(path: path, history: records(50))
                XCTFail("a log over the file size limit was written")
            } catch {
                XCTAssertTrue("\(error)".contains("loss.csv"), "\(error)")
            }
        }
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), previous)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder), ["loss.csv"], "temporary file left")
    }

    func testAFailedAppendLeavesWholeLines() throws {
        let folder = NSTemporaryDirectory() + "losslog-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/loss.csv"
        let log = try LossLog(path: path, history: records(2))
        let before = try String(contentsOfFile: path, encoding: .utf8)
        var failed = false
        withFileSizeLimit(before.utf8.count + 30) {
            for r in records(10).dropFirst(2) where !failed {
                do { try log.append(r) } catch { failed = true }
            }
        }
        XCTAssertTrue(failed, "the limit never stopped an append")
        let after = try String(contentsOfFile: path, encoding: .utf8)
        XCTAssertTrue(after.hasPrefix(before))
        XCTAssertTrue(after.hasSuffix("\n"), "half a line: \(after)")
        for line in after.split(separator: "\n") { XCTAssertEqual(line.split(separator: ",", omittingEmptySubsequences: false).count, 4) }
    }
}
