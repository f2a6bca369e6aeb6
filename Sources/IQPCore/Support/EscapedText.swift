/// Untrusted text made safe to print in a one-line message: bytes from a data file, a request
/// body or a file name may hold terminal escape sequences (ESC [ …), carriage returns or other
/// control characters that would redraw, recolour or hide the user's terminal. Every control
/// character (C0, DEL, C1) and every line or paragraph separator becomes a visible escape
/// (`\e`, `\r`, `\n`, `\t`, `\u{9B}`), so the message stays one line and shows exactly what
/// the input held. Printable text, including non-ASCII letters, is kept as it is.
public enum EscapedText {
    public static func escape(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars {
            guard needsEscape(scalar) else { out.unicodeScalars.append(scalar); continue }
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{1B}": out += "\\e"
            default: out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            }
        }
        return out
    }

    static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        return v < 0x20 || (0x7F...0x9F).contains(v) || v == 0x2028 || v == 0x2029
    }
}
