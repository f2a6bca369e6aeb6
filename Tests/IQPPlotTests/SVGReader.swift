import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest

/// An SVG document read back with Foundation's XMLParser (so a test fails on anything that
/// is not well-formed XML): every element with its attributes, text and the classes of the
/// groups around it.
struct SVGReader {
    struct Element {
        var name: String
        var attributes: [String: String]
        var text: String
        /// `class` of this element and every enclosing one, innermost first.
        var classes: [String]

        func number(_ attribute: String) -> Double? { attributes[attribute].flatMap(Double.init) }
    }

    var elements: [Element] = []

    init(_ svg: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let delegate = Delegate()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = delegate
        guard parser.parse() else {
            XCTFail("not well-formed XML: \(parser.parserError.map { "\($0)" } ?? "?")", file: file, line: line)
            throw XCTSkip("unparsable SVG")
        }
        elements = delegate.finished
        XCTAssertEqual(elements.last?.name, "svg", file: file, line: line)
    }

    func all(_ name: String, class wanted: String? = nil) -> [Element] {
        elements.filter { $0.name == name && (wanted == nil || $0.classes.contains(wanted!)) }
    }

    /// The plot area's frame: x, y, width, height.
    func plotArea() -> (x: Double, y: Double, width: Double, height: Double)? {
        guard let r = all("rect", class: "plot-area").first, let x = r.number("x"), let y = r.number("y"),
              let w = r.number("width"), let h = r.number("height") else { return nil }
        return (x, y, w, h)
    }

    /// The tick marks of one axis: (value, pixel) of each major tick.
    func ticks(_ axis: String) -> [(value: Double, pixel: Double)] {
        all("line", class: "tick").filter { $0.attributes["data-axis"] == axis && $0.attributes["class"] == "tick" }
            .compactMap { tick in
                guard let value = tick.number("data-value"), let p = tick.number(axis == "x" ? "x1" : "y1") else { return nil }
                return (value, p)
            }
    }

    private final class Delegate: NSObject, XMLParserDelegate {
        var stack: [Element] = []
        var finished: [Element] = []

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            let own = attributes["class"].map { [$0] } ?? []
            stack.append(Element(name: name, attributes: attributes, text: "", classes: own + (stack.last?.classes ?? [])))
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if !stack.isEmpty { stack[stack.count - 1].text += string }
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            finished.append(stack.removeLast())
        }
    }
}
