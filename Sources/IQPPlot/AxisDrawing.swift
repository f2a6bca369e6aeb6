/// Draws the plot frame, the grid at major ticks, the tick marks (outside the frame: 5 px
/// major, 3 px minor), the tick labels and the axis labels; a linear y axis that spans 0
/// gets a darker line at 0.
///
/// Every tick mark carries `data-axis` and `data-value` (the tick's exact value), so tests
/// and tools can read the axis back from the picture.
enum AxisDrawing {
    static let gridColour = "#e6e6e6"
    static let frameColour = "#444444"

    static func draw(_ layout: ChartLayout, chart: Chart, into doc: inout SVGDocument) {
        let plot = layout.plot, n = SVGDocument.number
        doc.open("g", [("class", "grid"), ("stroke", gridColour), ("stroke-width", "1")])
        for px in layout.x.ticks.major.compactMap(layout.x.scale.pixel) {
            doc.add("line", [("x1", n(px)), ("y1", n(plot.y)), ("x2", n(px)), ("y2", n(plot.maxY))])
        }
        for py in layout.y.ticks.major.compactMap(layout.y.scale.pixel) {
            doc.add("line", [("x1", n(plot.x)), ("y1", n(py)), ("x2", n(plot.maxX)), ("y2", n(py))])
        }
        doc.close("g")
        if layout.y.scale.kind == .linear, layout.y.scale.lower < 0, layout.y.scale.upper > 0,
           let zero = layout.y.scale.pixel(0) {
            doc.add("line", [("class", "zero"), ("x1", n(plot.x)), ("y1", n(zero)), ("x2", n(plot.maxX)),
                             ("y2", n(zero)), ("stroke", "#999999")])
        }
        doc.add("rect", [("class", "plot-area"), ("x", n(plot.x)), ("y", n(plot.y)), ("width", n(plot.width)),
                         ("height", n(plot.height)), ("fill", "none"), ("stroke", frameColour)])
        doc.open("g", [("class", "ticks"), ("stroke", frameColour)])
        ticks(layout.x, axis: "x", at: plot.maxY, into: &doc)
        ticks(layout.y, axis: "y", at: plot.x, into: &doc)
        doc.close("g")
        labels(layout, chart: chart, into: &doc)
    }

    /// Tick marks of one axis, drawn outwards from the frame line at `edge`.
    private static func ticks(_ axis: AxisLayout, axis name: String, at edge: Double, into doc: inout SVGDocument) {
        let n = SVGDocument.number
        for (values, length) in [(axis.ticks.major, 5.0), (axis.ticks.minor, 3.0)] {
            for value in values {
                guard let p = axis.scale.pixel(value) else { continue }
                let ends = name == "x" ? [("x1", n(p)), ("y1", n(edge)), ("x2", n(p)), ("y2", n(edge + length))]
                                       : [("x1", n(edge - length)), ("y1", n(p)), ("x2", n(edge)), ("y2", n(p))]
                doc.add("line", [("class", length == 5 ? "tick" : "tick minor"), ("data-axis", name),
                                 ("data-value", "\(value)")] + ends)
            }
        }
    }

    /// Tick labels (x centred under the ticks, y right-aligned left of them) and axis labels.
    private static func labels(_ layout: ChartLayout, chart: Chart, into doc: inout SVGDocument) {
        let plot = layout.plot
        for (value, label) in zip(layout.x.ticks.major, layout.x.labels) {
            guard let px = layout.x.scale.pixel(value) else { continue }
            doc.text(label, x: px, y: plot.maxY + 19, [("class", "tick-label"), ("text-anchor", "middle")])
        }
        for (value, label) in zip(layout.y.ticks.major, layout.y.labels) {
            guard let py = layout.y.scale.pixel(value) else { continue }
            doc.text(label, x: plot.x - 9, y: py + 4, [("class", "tick-label"), ("text-anchor", "end")])
        }
        let size = SVGDocument.number(ChartLayout.axisLabelSize)
        doc.text(chart.x.label, x: plot.x + plot.width / 2, y: plot.maxY + 40,
                 [("class", "axis-label"), ("text-anchor", "middle"), ("font-size", size)])
        let ly = plot.y + plot.height / 2, lx = ChartLayout.margin + ChartLayout.axisLabelSize - 2
        doc.text(chart.y.label, x: lx, y: ly, [("class", "axis-label"), ("text-anchor", "middle"), ("font-size", size),
                                              ("transform", "rotate(-90 \(SVGDocument.number(lx)) \(SVGDocument.number(ly)))")])
    }
}
