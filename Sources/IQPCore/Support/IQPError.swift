/// The one error type of the project: a one-line, user-facing reason that names
/// where the problem is (file, line, field) whenever that is known.
///
/// `description` is exactly the line the CLI prints before exiting non-zero, with control
/// characters escaped (`EscapedText`), e.g.
/// `data.csv:17: field 'column 5': symbol '2' is not 0 or 1`.
public struct IQPError: Error, CustomStringConvertible, Equatable, Sendable {
    public var message: String
    public var file: String?
    public var line: Int?
    public var field: String?

    public init(_ message: String, file: String? = nil, line: Int? = nil, field: String? = nil) {
        self.message = message
        self.file = file
        self.line = line
        self.field = field
    }

    public var description: String {
        var location = ""
        if let file { location += file }
        if let line { location += location.isEmpty ? "line \(line)" : ":\(line)" }
        var text = location.isEmpty ? "" : location + ": "
        if let field { text += "field '\(field)': " }
        // File names, fields and messages may quote bytes of an input: printed escaped.
        return EscapedText.escape(text + message)
    }

    /// The same error, located in `file` (kept if already set).
    public func inFile(_ file: String) -> IQPError {
        var copy = self
        if copy.file == nil { copy.file = file }
        return copy
    }
}
