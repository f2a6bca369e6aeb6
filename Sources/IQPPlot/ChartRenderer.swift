/// Draws a laid-out chart as SVG: title, grid and axes, the series clipped to the plot
/// area, reference lines, legend and notes.
struct ChartRenderer {
    let chart: Chart
    let layout: ChartLayout

    func svg() -> String {
        var doc = SVGDocument(width: layout.width, height: layout.height)
        let n = SVGDocument.number
        for (i, line) in layout.titleLines.enumerated() {
            // Centred over the plot when it fits there, else over the canvas.
            let half = TextMetrics.width(line, size: ChartLayout.titleSize) / 2
            let plotCentre = layout.plot.x + layout.plot.width / 2
            let fits = plotCentre - half >= ChartLayout.margin && plotCentre + half <= layout.width - ChartLayout.margin
            doc.text(line, x: fits ? plotCentre : layout.width / 2, y: ChartLayout.margin + 15 + Double(i) * ChartLayout.titleLineHeight,
                     [("class", "title"), ("text-anchor", "middle"), ("font-size", n(ChartLayout.titleSize)),
                      ("font-weight", "bold")])
        }
        AxisDrawing.draw(layout, chart: chart, into: &doc)
        // Markers at the very edge of the plot stay whole: the clip reaches one marker beyond.
        let clip = layout.plot.insetBy(-(ChartLayout.markerRadius + 2))
        doc.add("clipPath", [("id", "plot-area")], content: SVGDocument.element("rect", [
            ("x", n(clip.x)), ("y", n(clip.y)), ("width", n(clip.width)), ("height", n(clip.height)),
        ]))
        doc.open("g", [("clip-path", "url(#plot-area)")])
        for series in chart.series {
            SeriesDrawing.draw(series, x: layout.x.scale, y: layout.y.scale, into: &doc)
        }
        drawReferenceLines(into: &doc)
        doc.close("g")
        layout.legend?.draw(into: &doc)
        drawNotes(into: &doc)
        return doc.rendered()
    }

    private func drawReferenceLines(into doc: inout SVGDocument) {
        let n = SVGDocument.number, plot = layout.plot
        for (line, label) in zip(chart.referenceLines, layout.referenceLabels) {
            guard let label, let px = layout.x.scale.pixel(line.x) else { continue }
            doc.add("line", [("class", "reference"), ("x1", n(px)), ("y1", n(plot.y)), ("x2", n(px)), ("y2", n(plot.maxY)),
                             ("stroke", Palette.reference), ("stroke-dasharray", "2,3")])
            doc.text(line.label, x: label.x, y: label.y + 11, [("class", "reference-label"), ("fill", Palette.reference),
                                                               ("font-size", n(DataFootprint.referenceLabelSize))])
        }
    }

    private func drawNotes(into doc: inout SVGDocument) {
        let first = layout.plot.maxY + 22 + 20 + 6 + 10
        for (i, note) in layout.noteLines.enumerated() {
            doc.text(note, x: ChartLayout.margin, y: first + Double(i) * ChartLayout.noteLineHeight,
                     [("class", "note"), ("fill", "#555555"), ("font-size", SVGDocument.number(ChartLayout.noteSize))])
        }
    }
}
