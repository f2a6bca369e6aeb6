import Foundation
import IQPCore

/// How every C function of this library reports a failure to its caller (the Python package
/// `iqp`, `Sources/iqp-python/`): the function returns `ABIResult.failure` (or a null handle) and
/// writes the error's one line, exactly what `iqp` prints after `iqp: error: ` (`IQPError`'s
/// description: `FILE:LINE: field 'F': reason`), NUL-terminated and cut to `capacity` bytes,
/// into the caller's buffer. Python raises it as `iqp.IQPError` with the same text.
///
/// Nothing thrown inside may cross the C boundary and no input may trap: every function checks
/// its pointers, counts and values before IQPCore sees them (IQPCore traps on broken
/// preconditions, which only a bug can reach from the command line).
enum ABIResult {
    static let ok: Int32 = 0
    static let failure: Int32 = 1

    /// Runs `body`; on an error writes its line into `buffer` and returns `failure`.
    static func run(_ buffer: UnsafeMutablePointer<CChar>?, _ capacity: Int, _ body: () throws -> Void) -> Int32 {
        do {
            try body()
            return ok
        } catch {
            write(message(for: error), to: buffer, capacity: capacity)
            return failure
        }
    }

    /// Runs `body`, which makes a handle; nil (and the error's line in `buffer`) on an error.
    static func make(_ buffer: UnsafeMutablePointer<CChar>?, _ capacity: Int,
                     _ body: () throws -> UnsafeMutableRawPointer) -> UnsafeMutableRawPointer? {
        var handle: UnsafeMutableRawPointer?
        _ = run(buffer, capacity) { handle = try body() }
        return handle
    }

    /// Runs `body`, which makes a text; a `malloc`ed C string the caller frees with `iqp_string_free`,
    /// or nil (and the error's line in `buffer`) on an error.
    static func text(_ buffer: UnsafeMutablePointer<CChar>?, _ capacity: Int,
                     _ body: () throws -> String) -> UnsafeMutablePointer<CChar>? {
        var result: UnsafeMutablePointer<CChar>?
        _ = run(buffer, capacity) { result = strdup(try body()) }
        return result
    }

    /// The one line of `error`: what the CLI prints after `iqp: error: `, with the settings named
    /// as Python names them (`PythonFieldNames`).
    static func message(for error: Error) -> String {
        let text = (error as? IQPError).map(PythonFieldNames.describe) ?? "\(error)"
        return EscapedText.escape(text.split(whereSeparator: \.isNewline).joined(separator: " "))
    }

    static func write(_ text: String, to buffer: UnsafeMutablePointer<CChar>?, capacity: Int) {
        guard let buffer, capacity > 0 else { return }
        var bytes = Array(text.utf8.prefix(capacity - 1))
        bytes.append(0)
        bytes.withUnsafeBufferPointer { source in
            source.withMemoryRebound(to: CChar.self) { buffer.update(from: $0.baseAddress!, count: $0.count) }
        }
    }
}

/// Frees a string returned by this library (`iqp_export_qasm`, `iqp_gates_from_covariance`, …).
@_cdecl("iqp_string_free")
public func iqp_string_free(_ text: UnsafeMutablePointer<CChar>?) {
    free(text)
}

/// The library's version, the same as `iqp --version` (static storage: not to be freed).
@_cdecl("iqp_version")
public func iqp_version() -> UnsafePointer<CChar>? {
    UnsafePointer(versionText)
}

nonisolated(unsafe) private let versionText = strdup(IQPVersion.string)
