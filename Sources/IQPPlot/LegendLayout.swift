/// The legend's entries, size and place: inside the plot in the first corner (top right,
/// top left, bottom right, bottom left) that no point, line, error bar or reference line
/// crosses, else outside to the right of the plot.
struct LegendLayout {
    var entries: [LegendEntry]
    var frame: Rect

    static let fontSize = 12.0
    static let rowHeight = 18.0
    static let swatchWidth = 26.0
    static let padding = 8.0
    /// Gap between the legend and the plot's frame (inside) or the plot (outside).
    static let gap = 8.0

    /// The entries of `chart`: its named series, then its extra entries; nil if none.
    init?(chart: Chart) {
        entries = chart.series.filter { !$0.name.isEmpty }.map { LegendEntry(label: $0.name, style: $0.style) }
            + chart.legendExtras
        guard !entries.isEmpty else { return nil }
        let widest = entries.map { TextMetrics.width($0.label, size: Self.fontSize) }.max() ?? 0
        frame = Rect(x: 0, y: 0, width: Self.padding * 2 + Self.swatchWidth + 6 + widest,
                     height: Self.padding * 2 + Self.rowHeight * Double(entries.count) - 4)
    }

    /// The legend's frame in a free corner of `plot`, or nil when every corner is occupied
    /// (or the legend does not fit inside).
    func freeCorner(of plot: Rect, occupied: (Rect) -> Bool) -> Rect? {
        let inner = plot.insetBy(Self.gap)
        guard frame.width <= inner.width * 0.6, frame.height <= inner.height * 0.7 else { return nil }
        let left = inner.x, right = inner.maxX - frame.width
        let top = inner.y, bottom = inner.maxY - frame.height
        for (x, y) in [(right, top), (left, top), (right, bottom), (left, bottom)] {
            let candidate = Rect(x: x, y: y, width: frame.width, height: frame.height)
            if !occupied(candidate) { return candidate }
        }
        return nil
    }
}

extension LegendLayout {
    /// A white box with a thin border; per entry a 26-px swatch of the series's line (with
    /// its marker in the middle) and the label.
    func draw(into doc: inout SVGDocument) {
        let n = SVGDocument.number
        doc.open("g", [("class", "legend")])
        doc.add("rect", [("x", n(frame.x)), ("y", n(frame.y)), ("width", n(frame.width)), ("height", n(frame.height)),
                         ("fill", "white"), ("fill-opacity", "0.9"), ("stroke", "#bbbbbb")])
        for (i, entry) in entries.enumerated() {
            let cy = frame.y + Self.padding + 6 + Double(i) * Self.rowHeight
            let x0 = frame.x + Self.padding, x1 = x0 + Self.swatchWidth
            if let pattern = entry.style.line {
                var attributes = [("x1", n(x0)), ("y1", n(cy)), ("x2", n(x1)), ("y2", n(cy)), ("stroke", entry.style.colour),
                                  ("stroke-width", n(entry.style.lineWidth))]
                if let dash = pattern.dashArray { attributes.append(("stroke-dasharray", dash)) }
                doc.add("line", attributes)
            }
            if let shape = entry.style.marker {
                doc.add(raw: MarkerDrawing.element(shape, x: (x0 + x1) / 2, y: cy, radius: ChartLayout.markerRadius,
                                                   colour: entry.style.colour, hollow: entry.hollow))
            }
            doc.text(entry.label, x: x1 + 6, y: cy + 4, [("font-size", n(Self.fontSize))])
        }
        doc.close("g")
    }
}
