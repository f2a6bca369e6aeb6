/// Draws one series inside the plot area: error bars (with caps), then the line, then the
/// markers (with the exact values as tooltips when there are at most 500); a line-only
/// series of a single point gets a marker.
enum SeriesDrawing {
    static let capHalfWidth = 3.0
    static let maxTooltips = 500

    static func draw(_ series: Series, x: AxisScale, y: AxisScale, into doc: inout SVGDocument) {
        let pixels = DataFootprint.pixels(of: series, x: x, y: y)
        let colour = series.style.colour
        var group = [("class", "series"), ("data-series", series.name)]
        if series.style.opacity < 1 { group.append(("opacity", SVGDocument.number(series.style.opacity))) }
        doc.open("g", group)
        var bars = ""
        for p in pixels {
            guard let bar = DataFootprint.errorBar(p.point, at: p.x, y: y) else { continue }
            let n = SVGDocument.number
            let cap = "H\(n(p.x + capHalfWidth))"
            bars += "M\(n(p.x)) \(n(bar.top))V\(n(bar.bottom))M\(n(p.x - capHalfWidth)) \(n(bar.top))\(cap)"
                + "M\(n(p.x - capHalfWidth)) \(n(bar.bottom))\(cap)"
        }
        if !bars.isEmpty {
            doc.add("path", [("class", "error-bars"), ("d", bars), ("fill", "none"), ("stroke", colour),
                             ("stroke-width", "1.2")])
        }
        if let pattern = series.style.line, pixels.count > 1 {
            let limit = 4 * Int(abs(x.end - x.start))
            let line = LineDecimation.reduce(pixels.map { ($0.x, $0.y) }, limit: limit)
            var attributes = [("class", "line"), ("points", SVGDocument.points(line)), ("fill", "none"),
                              ("stroke", colour), ("stroke-width", SVGDocument.number(series.style.lineWidth)),
                              ("stroke-linejoin", "round")]
            if let dash = pattern.dashArray { attributes.append(("stroke-dasharray", dash)) }
            doc.add("polyline", attributes)
        }
        // A line through one point draws nothing: mark the point instead.
        if let shape = series.style.marker ?? (pixels.count == 1 ? .circle : nil) {
            let tooltips = pixels.count <= maxTooltips
            for p in pixels {
                let title = tooltips ? tooltip(series.name, p.point) : nil
                doc.add(raw: MarkerDrawing.element(shape, x: p.x, y: p.y, radius: ChartLayout.markerRadius,
                                                   colour: colour, hollow: p.point.hollow, title: title))
            }
        }
        doc.close("g")
    }

    /// "NAME: x = 4, y = 0.25 ± 0.01" with every number in its shortest exact form.
    static func tooltip(_ name: String, _ point: DataPoint) -> String {
        var text = (name.isEmpty ? "" : name + ": ") + "x = \(point.x), y = \(point.y)"
        if let e = point.yError { text += " ± \(e)" }
        return text
    }
}
