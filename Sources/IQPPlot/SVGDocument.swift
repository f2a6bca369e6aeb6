import Foundation

/// An SVG 1.1 document built element by element, rendered as well-formed XML: every text
/// and attribute value is escaped, numbers are written with at most two decimals.
struct SVGDocument {
    let width: Double
    let height: Double
    private var elements: [String] = []

    init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    /// Appends `<name attributes…/>`, or `<name attributes…>content</name>` when `content`
    /// (already-rendered XML) is given.
    mutating func add(_ name: String, _ attributes: [(String, String)], content: String? = nil) {
        elements.append(Self.element(name, attributes, content: content))
    }

    /// Appends an element already rendered (by `element`).
    mutating func add(raw element: String) { elements.append(element) }

    /// Appends `<text>` with `text` escaped.
    mutating func text(_ text: String, x: Double, y: Double, _ attributes: [(String, String)] = []) {
        add("text", [("x", Self.number(x)), ("y", Self.number(y))] + attributes, content: Self.escape(text))
    }

    mutating func open(_ name: String, _ attributes: [(String, String)]) {
        elements.append("<\(name)\(Self.attributes(attributes))>")
    }

    mutating func close(_ name: String) { elements.append("</\(name)>") }

    /// The document: an `<svg>` root with a white background and the elements, one a line.
    func rendered() -> String {
        let root = Self.attributes([
            ("xmlns", "http://www.w3.org/2000/svg"), ("width", Self.number(width)), ("height", Self.number(height)),
            ("viewBox", "0 0 \(Self.number(width)) \(Self.number(height))"),
            ("font-family", "DejaVu Sans, Helvetica, Arial, sans-serif"), ("font-size", "12"),
        ])
        let background = Self.element("rect", [("width", "100%"), ("height", "100%"), ("fill", "white")])
        return "<svg\(root)>\n\(background)\n" + elements.joined(separator: "\n") + "\n</svg>\n"
    }

    static func element(_ name: String, _ attributes: [(String, String)], content: String? = nil) -> String {
        guard let content else { return "<\(name)\(Self.attributes(attributes))/>" }
        return "<\(name)\(Self.attributes(attributes))>\(content)</\(name)>"
    }

    private static func attributes(_ list: [(String, String)]) -> String {
        list.map { " \($0.0)=\"\(escape($0.1))\"" }.joined()
    }

    /// `value` with at most two decimals and no trailing zeros: 12, 12.5, 12.25.
    static func number(_ value: Double) -> String {
        let rounded = (value * 100).rounded() / 100
        if rounded == rounded.rounded() && abs(rounded) < 1e15 { return String(Int(rounded)) }
        var text = String(format: "%.2f", rounded)
        while text.hasSuffix("0") { text.removeLast() }
        return text
    }

    /// Pixel points as a `points` attribute: "x1,y1 x2,y2 …".
    static func points(_ list: [(x: Double, y: Double)]) -> String {
        list.map { "\(number($0.x)),\(number($0.y))" }.joined(separator: " ")
    }

    /// Text for XML content and attribute values: & < > " escaped, control characters
    /// other than tab and newline (not allowed in XML 1.0) dropped.
    static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\t", "\n": out.unicodeScalars.append(scalar)
            case _ where scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF: continue
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
