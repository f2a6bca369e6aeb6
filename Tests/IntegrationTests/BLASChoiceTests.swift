import Foundation
import IQPTestSupport
import XCTest

/// `iqp blas` end to end (children that check and time each OpenBLAS kernel family), and the
/// launch scripts passing the chosen family to every rank.
final class BLASChoiceTests: XCTestCase {
    private let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    private func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:],
                     removing: [String] = []) throws -> (status: Int32, output: String) {
        try ChildProcess.run(executable, arguments, in: root, environment: environment, removing: removing)
    }

    /// Every family gets a line; the one recommended passed its check, and `--choose` prints a
    /// family that ran (whatever this CPU supports: a family it cannot run is reported, not fatal).
    func testBLASCheckReportsEveryFamilyAndChoosesAWorkingOne() throws {
        let (status, output) = try run(ChildProcess.iqpBinary, ["blas", "--size", "96", "--rounds", "1"])
        XCTAssertEqual(status, 0, output)
        for core in ["Prescott", "Haswell", "SkylakeX", "Cooperlake"] {
            XCTAssertNotNil(output.range(of: "\n\(core) "), "a line for \(core):\n\(output)")
        }
        let chosen = try XCTUnwrap(output.split(separator: "\n").first { $0.hasPrefix("use it on every rank:") })
        let name = String(chosen.split(separator: "=").last!)
        XCTAssertTrue(output.contains("\n\(name.padding(toLength: 16, withPad: " ", startingAt: 0))ok"), output)
        let (chooseStatus, choice) = try run(ChildProcess.iqpBinary, ["blas", "--choose", "--size", "96", "--rounds", "1"])
        XCTAssertEqual(chooseStatus, 0)
        XCTAssertTrue(output.contains("\n" + choice.trimmingCharacters(in: .whitespacesAndNewlines)
                                      .padding(toLength: 16, withPad: " ", startingAt: 0) + "ok"), choice)
    }

    /// launch/one-node passes OPENBLAS_CORETYPE to mpirun with -x, and resolves `auto` once
    /// through `iqp blas --choose` (stand-ins for iqp and mpirun print what they were given).
    func testOneNodePassesTheKernelFamilyToEveryRank() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("iqp-blas-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        let fakeIQP = folder.appendingPathComponent("iqp"), fakeMPIRUN = folder.appendingPathComponent("mpirun")
        try "#!/bin/sh\n[ \"$1 $2\" = \"blas --choose\" ] && { echo Zen; exit 0; }\necho iqp \"$@\"\n"
            .write(to: fakeIQP, atomically: true, encoding: .utf8)
        try "#!/bin/sh\necho \"mpirun $* CORETYPE=$OPENBLAS_CORETYPE\"\n".write(to: fakeMPIRUN, atomically: true, encoding: .utf8)
        for f in [fakeIQP, fakeMPIRUN] { try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: f.path) }
        let script = root.appendingPathComponent("launch/one-node").path
        let base = ["IQP_BIN": fakeIQP.path, "MPIRUN": fakeMPIRUN.path]
        let (s1, auto) = try run(script, ["-n", "2", "info"], environment: base.merging(["OPENBLAS_CORETYPE": "auto"]) { $1 })
        XCTAssertEqual(s1, 0, auto)
        XCTAssertTrue(auto.contains("-x OPENBLAS_CORETYPE"), auto)
        XCTAssertTrue(auto.contains("CORETYPE=Zen"), auto)
        let (s2, fixed) = try run(script, ["-n", "2", "info"], environment: base.merging(["OPENBLAS_CORETYPE": "SkylakeX"]) { $1 })
        XCTAssertEqual(s2, 0)
        XCTAssertTrue(fixed.contains("CORETYPE=SkylakeX"), fixed)
        let (s3, unset) = try run(script, ["-n", "2", "info"], environment: base, removing: ["OPENBLAS_CORETYPE"])
        XCTAssertEqual(s3, 0)
        XCTAssertFalse(unset.contains("-x OPENBLAS_CORETYPE"), "OpenBLAS's own choice when unset:\n\(unset)")
    }
}
