import Foundation

/// The Python the tests run (the OpenQASM export check with Qiskit, docs/python.md's snippets):
/// `$IQP_PYTHON`, else the virtual environment that `launch/test` (README command 2) makes from
/// `Tests/requirements.txt` in `.build/test-venv`. A test that needs it and cannot find it, or
/// finds it without a module, fails with the one command that fixes that; it never skips.
public enum TestPython {
    /// `<package root>/.build/test-venv/bin/python3`.
    public static var venvPython: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build/test-venv/bin/python3").path
    }

    /// What to run to get the extras.
    public static let fix = "run launch/test (it installs the test extras of Tests/requirements.txt into "
        + ".build/test-venv, then runs every test), or set IQP_PYTHON to a Python that has them"

    public struct Unavailable: Error, CustomStringConvertible {
        public let description: String
    }

    /// The Python to run, or `Unavailable` naming the fix.
    public static func path() throws -> String {
        if let path = ProcessInfo.processInfo.environment["IQP_PYTHON"], !path.isEmpty { return path }
        guard FileManager.default.isExecutableFile(atPath: venvPython) else {
            throw Unavailable(description: "no test Python at \(venvPython): " + fix)
        }
        return venvPython
    }

    /// The Python to run, after checking that it imports every module of `modules`.
    public static func path(importing modules: [String]) throws -> String {
        let python = try path()
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: python)
        probe.arguments = ["-c", "import " + modules.joined(separator: ", ")]
        probe.standardOutput = FileHandle.nullDevice
        probe.standardError = FileHandle.nullDevice
        do { try probe.run() } catch {
            throw Unavailable(description: "cannot run \(python): \(error): " + fix)
        }
        probe.waitUntilExit()
        guard probe.terminationStatus == 0 else {
            throw Unavailable(description: "\(python) cannot import \(modules.joined(separator: ", ")): " + fix)
        }
        return python
    }
}
