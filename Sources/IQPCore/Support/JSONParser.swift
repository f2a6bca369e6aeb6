import Foundation

/// A strict JSON parser (RFC 8259) over UTF-8 text that records the line of every value.
///
/// Rejected, with `file:line: invalid JSON: …`: trailing garbage, `NaN`/`Infinity` tokens,
/// numbers that overflow a Double (e.g. `1e400`), duplicate keys in one object, control
/// characters in strings, lone surrogates in `\u` escapes, leading zeros, and nesting deeper
/// than `maximumDepth`. Numbers are converted with `Double(String)` (correctly rounded).
/// A leading UTF-8 byte-order mark is skipped.
public enum JSONParser {
    public static let maximumDepth = 512

    /// Parses `text`; errors name `file` (when given) and the line.
    public static func parse(_ text: String, file: String? = nil) throws -> JSONNode {
        var text = text
        return try text.withUTF8 { try parse(bytes: UnsafeRawBufferPointer($0), file: file) }
    }

    /// Parses UTF-8 `data`; invalid UTF-8 is an error naming its line.
    public static func parse(data: Data, file: String? = nil) throws -> JSONNode {
        try data.withUnsafeBytes { try parse(bytes: $0, file: file) }
    }

    /// Reads and parses the file at `path` (errors name `path`).
    public static func read(path: String) throws -> JSONNode {
        try parse(data: readWholeFile(path: path), file: path)
    }

    /// Parses `bytes` (UTF-8) into a node tree.
    public static func parse(bytes: UnsafeRawBufferPointer, file: String? = nil) throws -> JSONNode {
        var scanner = JSONScanner(bytes: bytes, file: file)
        return try scanner.parseDocument()
    }
}
