/// Serialises `JSONValue` as pretty-printed JSON that stays compact where that helps a
/// human reader:
/// - the top-level object has one member per line;
/// - any other array or object is written on one line when that line fits in `lineWidth`
///   (so each IQP gate `[[0, 1], [2]]` sits on its own line);
/// - a long array of scalars is wrapped, filling lines up to `lineWidth`;
/// - other long containers have one element per line.
///
/// Object members keep document order. Numbers round-trip exactly: integral values below
/// 2^53 are written without a fraction (`3`), others with Swift's shortest round-trip
/// representation (`0.1`, `1e-05`, `-0.0`). JSON has no NaN or infinity: such a number is
/// written as `null`.
public enum JSONWriter {
    public static let lineWidth = 100
    static let indentUnit = "  "

    /// The pretty-printed document, ending with a newline.
    public static func encode(_ value: JSONValue) -> String {
        var out = ""
        write(value, indent: 0, column: 0, topLevel: true, into: &out)
        out += "\n"
        return out
    }

    /// The value on a single line (`{"a": [1, 2]}`).
    public static func encodeCompact(_ value: JSONValue) -> String {
        var out = ""
        writeCompact(value, into: &out)
        return out
    }

    /// The JSON text of a number (see the type's documentation).
    public static func format(_ x: Double) -> String {
        guard x.isFinite else { return "null" }
        if x == x.rounded(), abs(x) < 9_007_199_254_740_992, !(x == 0 && x.sign == .minus) {
            return String(Int64(x))
        }
        return x.description
    }

    /// A JSON string literal with `"`, `\` and control characters escaped.
    public static func quote(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if u.value < 0x20 {
                    let hex = String(u.value, radix: 16, uppercase: true)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }

    private static func isScalar(_ v: JSONValue) -> Bool {
        switch v {
        case .array, .object: return false
        default: return true
        }
    }

    /// Writes `value` starting at `column` of the current line; `indent` is the nesting level.
    private static func write(_ value: JSONValue, indent: Int, column: Int, topLevel: Bool = false,
                              into out: inout String) {
        let pad = String(repeating: indentUnit, count: indent)
        let innerPad = pad + indentUnit
        switch value {
        case .array(let items):
            if items.isEmpty { out += "[]"; return }
            if let line = compactIfFits(value, used: column + 1) { out += line; return }
            out += "[\n"
            if items.allSatisfy(isScalar) {
                // Fill lines with as many scalars as fit.
                var lineText = innerPad
                for (i, item) in items.enumerated() {
                    var piece = ""
                    writeCompact(item, into: &piece)
                    if i + 1 < items.count { piece += "," }
                    if lineText.utf8.count > innerPad.utf8.count && lineText.utf8.count + 1 + piece.utf8.count > lineWidth {
                        out += lineText + "\n"
                        lineText = innerPad
                    }
                    lineText += (lineText.utf8.count > innerPad.utf8.count ? " " : "") + piece
                }
                out += lineText + "\n"
            } else {
                for (i, item) in items.enumerated() {
                    out += innerPad
                    write(item, indent: indent + 1, column: innerPad.utf8.count, into: &out)
                    out += i + 1 < items.count ? ",\n" : "\n"
                }
            }
            out += pad + "]"
        case .object(let members):
            if members.isEmpty { out += "{}"; return }
            if !topLevel, let line = compactIfFits(value, used: column + 1) { out += line; return }
            out += "{\n"
            for (i, m) in members.enumerated() {
                let prefix = innerPad + quote(m.key) + ": "
                out += prefix
                write(m.value, indent: indent + 1, column: prefix.utf8.count, into: &out)
                out += i + 1 < members.count ? ",\n" : "\n"
            }
            out += pad + "}"
        default:
            writeCompact(value, into: &out)
        }
    }

    /// The one-line form when it fits in the line after `used` columns.
    private static func compactIfFits(_ value: JSONValue, used: Int) -> String? {
        var line = ""
        let budget = lineWidth - used
        guard writeCompact(value, into: &line, limit: line.utf8.count + budget) else { return nil }
        return line
    }

    /// Writes the one-line form; returns false as soon as the output exceeds `limit` bytes.
    @discardableResult
    private static func writeCompact(_ value: JSONValue, into out: inout String, limit: Int = .max) -> Bool {
        switch value {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let x): out += format(x)
        case .string(let s): out += quote(s)
        case .array(let items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += ", " }
                guard writeCompact(item, into: &out, limit: limit) else { return false }
            }
            out += "]"
        case .object(let members):
            out += "{"
            for (i, m) in members.enumerated() {
                if i > 0 { out += ", " }
                out += quote(m.key) + ": "
                guard writeCompact(m.value, into: &out, limit: limit) else { return false }
            }
            out += "}"
        }
        return out.utf8.count <= limit
    }
}
