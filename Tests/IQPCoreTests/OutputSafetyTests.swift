import Foundation
@testable import IQPCore
import XCTest

/// Memory admission and output targets (docs/reliability.md, "CLI").
final class OutputSafetyTests: XCTestCase {
    var directory: String!
    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("iqp-out-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: directory) }

    func testByteCountFormat() {
        XCTAssertEqual(ByteCount.format(512), "512 bytes")
        XCTAssertEqual(ByteCount.format(Double(1 << 30)), "1 GiB")
        XCTAssertEqual(ByteCount.format(1.5 * Double(1 << 20)), "1.5 MiB")
        XCTAssertEqual(ByteCount.format(.infinity), "inf bytes")
    }

    /// 10 × 100 bytes fit 1000 and not 999; the message names the largest need's option and value.
    func testAdmissionBoundaryAndMessage() throws {
        let needs = [MemoryAdmission.Need("--samples", value: 10, what: "samples", count: 10, bytesEach: 100)]
        XCTAssertNoThrow(try MemoryAdmission(budget: 1000).admit(needs))
        XCTAssertThrowsError(try MemoryAdmission(budget: 999).admit(needs)) { error in
            let text = (error as! IQPError).description
            XCTAssertTrue(text.hasPrefix("--samples 10 needs 1000 bytes for samples"), text)
            XCTAssertTrue(text.contains("raise `memoryBudget`"), text)
        }
        // Sizes whose product overflows Int are still refused, not wrapped.
        let huge = MemoryAdmission.Need("--ops", value: Int.max, what: "strings", count: Double(Int.max), bytesEach: 1e6)
        XCTAssertThrowsError(try MemoryAdmission(budget: Int.max).admit([huge]))
    }

    /// StepMemory counts strings × bandwidths and the rank's block of samples (⌈s / columns⌉).
    func testStepMemoryScalesWithSizes() throws {
        let circuit = try Circuit(nQubits: 8, gates: (0..<8).map { [[$0]] } + (0..<7).map { [[$0, $0 + 1]] })
        let settings = LossSettings(sigmas: [1, 2], stringsPerSigma: 100, samples: 1000)
        func bytes(_ strings: Int, _ samples: Int, columns: Int) -> [Double] {
            StepMemory.needs(model: (circuit, .iqp), settings: settings,
                             sizes: .init(strings: strings, stringsOption: "--ops", samples: samples, samplesOption: "--samples"),
                             gridColumns: columns, dataSets: 1).map(\.bytes)
        }
        let base = bytes(100, 1000, columns: 1)
        XCTAssertEqual(base.count, 2)
        XCTAssertEqual(bytes(200, 1000, columns: 1)[0], 2 * base[0], accuracy: 1e-9)
        XCTAssertEqual(bytes(100, 2000, columns: 1)[1], 2 * base[1], accuracy: 1e-9)
        XCTAssertEqual(bytes(100, 1000, columns: 4)[1], base[1] / 4, accuracy: 1e-9)
    }

    func testOutputThatIsAnInputIsRefused() throws {
        let input = directory + "/data.csv"
        try "0,1\n".write(toFile: input, atomically: true, encoding: .utf8)
        let link = directory + "/link.csv"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: input)
        for spelling in [input, link, directory + "/./data.csv"] {
            XCTAssertThrowsError(try AtomicFile.checkTargets(outputs: [NamedPath("--out", spelling)],
                                                             inputs: [NamedPath("--data", input)]), spelling)
        }
        XCTAssertNoThrow(try AtomicFile.checkTargets(outputs: [NamedPath("--checkpoint", input)],
                                                     inputs: [NamedPath("--resume", input)],
                                                     mayReplace: [("--checkpoint", "--resume")]))
        XCTAssertThrowsError(try AtomicFile.checkTargets(outputs: [NamedPath("--out", "-"), NamedPath("--log", "/dev/stdout")],
                                                         inputs: []))
    }

    /// Writing through a symbolic link replaces its target and keeps the link.
    func testWriteThroughLinkKeepsLink() throws {
        let target = directory + "/model.json", link = directory + "/latest.json"
        try "old".write(toFile: target, atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        try AtomicFile.write("new", to: link)
        XCTAssertEqual(try String(contentsOfFile: target, encoding: .utf8), "new")
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: link), target)
    }

    /// A temporary file of a process that is gone is removed by the next write to the same name;
    /// one of a live process (this one's parent) is kept.
    func testStaleTemporaryFilesRemoved() throws {
        let host = TemporaryName.hostName
        let dead = TemporaryName.prefix(for: "m.json") + "abc-999999999@\(host)"
        let live = TemporaryName.prefix(for: "m.json") + "abd-\(getppid())@\(host)"
        for name in [dead, live] { try "x".write(toFile: directory + "/" + name, atomically: false, encoding: .utf8) }
        try AtomicFile.write("{}", to: directory + "/m.json")
        let left = Set(try FileManager.default.contentsOfDirectory(atPath: directory))
        XCTAssertEqual(left, [live, "m.json"])
    }

    /// A FIFO is written in place, not replaced by a regular file.
    func testFIFOWrittenInPlace() throws {
        let fifo = directory + "/pipe"
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        // The reader reads to end of file (a read that stopped early would close the FIFO under
        // the writer, which then dies of SIGPIPE).
        let done = DispatchSemaphore(value: 0)
        let received = SharedText()
        let reader = Thread {
            let fd = open(fifo, O_RDONLY)
            var bytes: [UInt8] = [], buffer = [UInt8](repeating: 0, count: 4096)
            while fd >= 0 {
                let n = read(fd, &buffer, buffer.count)
                if n <= 0 { break }
                bytes += buffer[0..<n]
            }
            if fd >= 0 { close(fd) }
            received.set(String(decoding: bytes, as: UTF8.self))
            done.signal()
        }
        reader.start()
        try AtomicFile.write("hello\n", to: fifo)
        XCTAssertEqual(done.wait(timeout: .now() + 10), .success)
        XCTAssertEqual(received.get(), "hello\n")
        var info = stat()
        XCTAssertEqual(lstat(fifo, &info), 0)
        XCTAssertEqual(info.st_mode & S_IFMT, S_IFIFO)
    }
}

/// A string handed from the FIFO's reader thread to the test.
private final class SharedText: @unchecked Sendable {
    private let lock = NSLock()
    private var text = ""
    func set(_ value: String) { lock.lock(); text = value; lock.unlock() }
    func get() -> String { lock.lock(); defer { lock.unlock() }; return text }
}
