/// The SVG element of one marker (circle, square, triangle or diamond of radius r around
/// (x, y)); hollow markers are filled white. `title` becomes a tooltip.
enum MarkerDrawing {
    static func element(_ shape: MarkerShape, x: Double, y: Double, radius r: Double, colour: String,
                        hollow: Bool, title: String? = nil) -> String {
        let paint: [(String, String)] = [("fill", hollow ? "white" : colour), ("stroke", colour), ("stroke-width", "1.5")]
        let content = title.map { SVGDocument.element("title", [], content: SVGDocument.escape($0)) }
        let n = SVGDocument.number
        switch shape {
        case .circle:
            return SVGDocument.element("circle", [("class", "marker"), ("cx", n(x)), ("cy", n(y)), ("r", n(r))] + paint,
                                       content: content)
        case .square:
            let side = r * 1.8
            return SVGDocument.element("rect", [("class", "marker"), ("x", n(x - side / 2)), ("y", n(y - side / 2)),
                                                ("width", n(side)), ("height", n(side))] + paint, content: content)
        case .triangle:
            let points: [(x: Double, y: Double)] = [(x, y - r * 1.25), (x + r * 1.1, y + r * 0.8), (x - r * 1.1, y + r * 0.8)]
            return SVGDocument.element("polygon", [("class", "marker"), ("points", SVGDocument.points(points))] + paint,
                                       content: content)
        case .diamond:
            let d = r * 1.3
            let points: [(x: Double, y: Double)] = [(x, y - d), (x + d, y), (x, y + d), (x - d, y)]
            return SVGDocument.element("polygon", [("class", "marker"), ("points", SVGDocument.points(points))] + paint,
                                       content: content)
        }
    }
}
