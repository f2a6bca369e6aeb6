import Foundation

/// Writes `text` to standard error unbuffered (progress lines, warnings, error messages).
public func writeToStandardError(_ text: String) {
    FileHandle.standardError.write(Data(text.utf8))
}

/// Whether standard error is a terminal (progress then rewrites one live line).
public var standardErrorIsTerminal: Bool { isatty(2) != 0 }
