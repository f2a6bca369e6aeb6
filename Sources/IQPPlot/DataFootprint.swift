/// What the data covers inside the plot area: markers, line segments, error bars, and the
/// reference lines with their labels. The layout asks it where the legend and the
/// reference-line labels can go without hiding data.
struct DataFootprint {
    let chart: Chart
    let x: AxisScale
    let y: AxisScale
    /// Where each reference line's label goes (nil: the line is outside the x axis).
    private(set) var referenceLabels: [Rect?] = []

    static let referenceLabelSize = 11.0

    init(chart: Chart, plot: Rect, x: AxisScale, y: AxisScale) {
        self.chart = chart
        self.x = x
        self.y = y
        referenceLabels = chart.referenceLines.map { labelFrame($0, plot: plot) }
    }

    /// The pixel position of every point of `series` that both axes can show, with the
    /// series's sideways dodge applied.
    static func pixels(of series: Series, x: AxisScale, y: AxisScale) -> [(x: Double, y: Double, point: DataPoint)] {
        series.points.compactMap { point in
            guard let px = x.pixel(point.x), let py = y.pixel(point.y) else { return nil }
            return (px + series.dodge, py, point)
        }
    }

    /// The pixel ends of `point`'s error bar; an end a log axis cannot show (y − error ≤ 0)
    /// lies just below the plot, so the clipped bar runs to the axis.
    static func errorBar(_ point: DataPoint, at px: Double, y: AxisScale) -> (top: Double, bottom: Double)? {
        guard let error = point.yError, error > 0, error.isFinite else { return nil }
        let low = y.pixel(point.y - error) ?? y.start + 10
        guard let high = y.pixel(point.y + error) else { return nil }
        return (min(low, high), max(low, high))
    }

    /// Whether anything drawn in the plot area crosses `rect`.
    func occupied(_ rect: Rect) -> Bool {
        if seriesCross(rect) { return true }
        for (line, label) in zip(chart.referenceLines, referenceLabels) {
            guard let px = x.pixel(line.x), let label else { continue }
            if rect.intersects(from: (px, y.end), to: (px, y.start)) || rect.intersects(label) { return true }
        }
        return false
    }

    /// Whether a marker (with its radius), a line segment or an error bar crosses `rect`.
    func seriesCross(_ rect: Rect) -> Bool {
        let radius = ChartLayout.markerRadius
        let padded = Rect(x: rect.x - radius, y: rect.y - radius, width: rect.width + 2 * radius,
                          height: rect.height + 2 * radius)
        for series in chart.series {
            let pixels = Self.pixels(of: series, x: x, y: y)
            for p in pixels {
                if padded.contains(p.x, p.y) { return true }
                if let bar = Self.errorBar(p.point, at: p.x, y: y),
                   rect.intersects(from: (p.x, bar.top), to: (p.x, bar.bottom)) { return true }
            }
            guard series.style.line != nil else { continue }
            for (a, b) in zip(pixels, pixels.dropFirst()) where rect.intersects(from: (a.x, a.y), to: (b.x, b.y)) {
                return true
            }
        }
        return false
    }

    /// A reference line's label: beside the line at the top or the bottom of the plot, right
    /// or left of it, the first of these that no data crosses (else top right).
    private func labelFrame(_ line: ReferenceLine, plot: Rect) -> Rect? {
        guard let px = x.pixel(line.x), x.contains(line.x) else { return nil }
        let width = TextMetrics.width(line.label, size: Self.referenceLabelSize), height = 14.0
        let candidates = [(px + 4, plot.y + 2), (px + 4, plot.maxY - height - 2),
                          (px - 4 - width, plot.y + 2), (px - 4 - width, plot.maxY - height - 2)]
        let frames = candidates.map { Rect(x: $0.0, y: $0.1, width: width, height: height) }
        return frames.first { !seriesCross($0.insetBy(-3)) } ?? frames[0]
    }
}
