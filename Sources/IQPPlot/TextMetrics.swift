/// Estimated widths of text, for laying out labels without a font engine.
///
/// Per-character advance widths in em close to DejaVu Sans (what a viewer without the
/// named fonts falls back to; Helvetica and Arial are narrower), so estimates err on the
/// wide side and labels get room to spare rather than overlap.
enum TextMetrics {
    static func width(_ text: String, size: Double) -> Double {
        text.unicodeScalars.reduce(0) { $0 + advance($1) } * size
    }

    private static func advance(_ c: Unicode.Scalar) -> Double {
        switch c {
        case "0"..."9": return 0.64
        case "i", "j", "l", "I", "!", "'", ".", ",", ":", ";", "|": return 0.32
        case "f", "t", "r", "(", ")", "[", "]", "-", " ", "/": return 0.42
        case "m", "w", "M", "W", "%", "@", "—": return 0.98
        case "A"..."Z": return 0.74
        case "a"..."z": return 0.62
        case "⁰"..."⁹", "¹", "²", "³", "⁻": return 0.42
        default: return 0.68
        }
    }
}
