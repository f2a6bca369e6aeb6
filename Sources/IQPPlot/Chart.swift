/// What one axis shows: its label (with the unit, e.g. "wall time (s)"), its scale, fixed
/// ends if any (otherwise fitted to the data with 5 % padding), explicit tick values if any
/// (otherwise `NiceTicks`; explicit ticks that would crowd are thinned, every other one
/// becoming a minor tick), and whether the fitted interval must reach 0.
public struct AxisSpec: Sendable {
    public var label: String
    public var scale: ScaleKind
    public var lower: Double?
    public var upper: Double?
    public var ticks: [Double]?
    public var includesZero: Bool

    public init(label: String, scale: ScaleKind = .linear, lower: Double? = nil, upper: Double? = nil,
                ticks: [Double]? = nil, includesZero: Bool = false) {
        self.label = label
        self.scale = scale
        self.lower = lower
        self.upper = upper
        self.ticks = ticks
        self.includesZero = includesZero
    }
}

/// A vertical dotted line at `x` with a short label at its top (e.g. "2 cores").
public struct ReferenceLine: Sendable {
    public var x: Double
    public var label: String

    public init(x: Double, label: String) {
        self.x = x
        self.label = label
    }
}

/// A legend line that belongs to no series (e.g. "oversubscribed" for hollow markers).
public struct LegendEntry: Sendable {
    public var label: String
    public var style: SeriesStyle
    public var hollow: Bool

    public init(label: String, style: SeriesStyle, hollow: Bool = false) {
        self.label = label
        self.style = style
        self.hollow = hollow
    }
}

/// A 2-D chart: title, two axes, series, reference lines, extra legend entries and notes
/// (one line each, printed small under the chart: what was left out and why).
///
/// `render()` lays it out (`ChartLayout`) and draws it as one SVG document.
public struct Chart: Sendable {
    public var title: String
    public var x: AxisSpec
    public var y: AxisSpec
    public var series: [Series]
    public var referenceLines: [ReferenceLine] = []
    public var legendExtras: [LegendEntry] = []
    public var notes: [String] = []
    public var width: Double = 720
    public var height: Double = 450

    public init(title: String, x: AxisSpec, y: AxisSpec, series: [Series]) {
        self.title = title
        self.x = x
        self.y = y
        self.series = series
    }

    /// The SVG document and every note (the chart's own, and points a log axis cannot show).
    public func render() -> RenderedChart {
        let layout = ChartLayout(chart: self)
        return RenderedChart(svg: ChartRenderer(chart: self, layout: layout).svg(), notes: notes + layout.notes)
    }
}

/// A drawn chart: the SVG text and the notes drawn under it.
public struct RenderedChart: Sendable {
    public var svg: String
    public var notes: [String]
}
