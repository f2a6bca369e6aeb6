/// Where everything of a chart goes: the canvas size, the title's lines, the plot area, both
/// axes and the legend; and notes on points that a log axis cannot show.
///
/// The plot area is what the canvas leaves after the title (top), the x tick labels, axis
/// label and notes (bottom) and the widest y tick label and the y axis label (left). The
/// legend goes into a free corner of the plot; when every corner holds data it goes to the
/// right of the plot, which narrows (or, for a legend wider than a third of the canvas, the
/// canvas widens).
struct ChartLayout {
    var width: Double
    var height: Double
    var titleLines: [String]
    var plot: Rect
    var x: AxisLayout
    var y: AxisLayout
    var legend: LegendLayout?
    /// The frame of each reference line's label (nil: the line is outside the x axis).
    var referenceLabels: [Rect?] = []
    /// Notes of the layout itself (points a log axis cannot show).
    var notes: [String]
    /// Every note drawn under the chart: the chart's own, then the layout's.
    var noteLines: [String]

    static let margin = 12.0
    static let titleSize = 16.0, titleLineHeight = 20.0
    static let axisLabelSize = 13.0
    static let noteSize = 11.0, noteLineHeight = 14.0
    static let markerRadius = 3.5

    init(chart: Chart) {
        notes = Self.hiddenPointNotes(chart)
        noteLines = chart.notes + notes
        width = chart.width
        titleLines = Self.wrap(chart.title, width: chart.width - 2 * Self.margin, size: Self.titleSize)
        let top = Self.margin + Double(titleLines.count) * Self.titleLineHeight + 10
        let bottom = Self.margin + 22 + 20 + (noteLines.isEmpty ? 0 : 6 + Double(noteLines.count) * Self.noteLineHeight)
        let plotHeight = max(120, chart.height - top - bottom)
        height = top + plotHeight + bottom
        y = AxisLayout(spec: chart.y, domain: AxisLayout.domain(chart.y, values: Self.yValues(chart)),
                       start: top + plotHeight, end: top, horizontal: false, spacing: 45)
        let left = Self.margin + Self.axisLabelSize + 12 + y.widestLabel + 10
        let xDomain = AxisLayout.domain(chart.x, values: Self.xValues(chart))
        var right = Self.margin + 16
        (plot, x) = Self.horizontal(chart: chart, domain: xDomain, left: left, right: &right, width: width,
                                    top: top, height: plotHeight)
        var footprint = DataFootprint(chart: chart, plot: plot, x: x.scale, y: y.scale)
        referenceLabels = footprint.referenceLabels
        legend = LegendLayout(chart: chart)
        guard var legend else { return }
        if let corner = legend.freeCorner(of: plot, occupied: { footprint.occupied($0) }) {
            legend.frame = corner
        } else {
            let room = legend.frame.width + 2 * LegendLayout.gap
            if room > width / 3 { width += room }
            right += room
            (plot, x) = Self.horizontal(chart: chart, domain: xDomain, left: left, right: &right, width: width,
                                        top: top, height: plotHeight)
            legend.frame.x = plot.maxX + LegendLayout.gap + 4
            legend.frame.y = plot.y
            footprint = DataFootprint(chart: chart, plot: plot, x: x.scale, y: y.scale)
            referenceLabels = footprint.referenceLabels
        }
        self.legend = legend
    }

    /// The plot area and x axis between `left` and `width − right`; `right` grows when the
    /// last tick label would stick out of the canvas.
    private static func horizontal(chart: Chart, domain: (lower: Double, upper: Double), left: Double,
                                   right: inout Double, width: Double, top: Double, height: Double) -> (Rect, AxisLayout) {
        for _ in 0..<2 {
            let plot = Rect(x: left, y: top, width: max(120, width - left - right), height: height)
            let axis = AxisLayout(spec: chart.x, domain: domain, start: plot.x, end: plot.maxX, horizontal: true,
                                  spacing: 90)
            let overhang = axis.labels.last.map { TextMetrics.width($0, size: AxisLayout.tickFontSize) / 2 + 4 } ?? 0
            let lastAtEnd = axis.ticks.major.last.flatMap(axis.scale.pixel).map { plot.maxX - $0 < overhang } ?? false
            if !lastAtEnd || right >= overhang + margin { return (plot, axis) }
            right = overhang + margin
        }
        let plot = Rect(x: left, y: top, width: max(120, width - left - right), height: height)
        return (plot, AxisLayout(spec: chart.x, domain: domain, start: plot.x, end: plot.maxX, horizontal: true, spacing: 90))
    }

    /// For every series with points a log axis cannot show:
    /// "NAME: K points with y ≤ 0 not drawn (log scale)".
    private static func hiddenPointNotes(_ chart: Chart) -> [String] {
        chart.series.compactMap { series in
            var parts: [String] = []
            for (axis, spec, values) in [("x", chart.x, series.points.map(\.x)), ("y", chart.y, series.points.map(\.y))]
            where spec.scale == .log {
                let hidden = values.filter { $0 <= 0 }.count
                if hidden > 0 { parts.append("\(hidden) \(hidden == 1 ? "point" : "points") with \(axis) ≤ 0") }
            }
            guard !parts.isEmpty else { return nil }
            let name = series.name.isEmpty ? "" : "\(series.name): "
            return "\(name)\(parts.joined(separator: " and ")) not drawn (log scale)"
        }
    }

    private static func xValues(_ chart: Chart) -> [Double] {
        chart.series.flatMap { $0.points.map(\.x) } + chart.referenceLines.map(\.x)
    }

    private static func yValues(_ chart: Chart) -> [Double] {
        chart.series.flatMap { series in
            series.points.flatMap { p -> [Double] in
                guard let e = p.yError, e > 0 else { return [p.y] }
                return [p.y, p.y - e, p.y + e]
            }
        }
    }

    /// `text` broken at spaces into lines no wider than `width` (a longer word stays whole).
    static func wrap(_ text: String, width: Double, size: Double) -> [String] {
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ") {
            let candidate = current.isEmpty ? String(word) : current + " " + word
            if TextMetrics.width(candidate, size: size) <= width || current.isEmpty {
                current = candidate
            } else {
                lines.append(current)
                current = String(word)
            }
        }
        return lines + (current.isEmpty ? [] : [current])
    }
}
