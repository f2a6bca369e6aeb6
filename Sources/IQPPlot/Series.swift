/// One data point: (x, y), an optional standard error of y (drawn as an error bar
/// y ± error), and whether its marker is hollow (e.g. an oversubscribed run).
public struct DataPoint: Sendable, Equatable {
    public var x: Double
    public var y: Double
    public var yError: Double?
    public var hollow: Bool

    public init(x: Double, y: Double, yError: Double? = nil, hollow: Bool = false) {
        self.x = x
        self.y = y
        self.yError = yError
        self.hollow = hollow
    }
}

/// How a series's line is drawn.
public enum LinePattern: Sendable {
    case solid, dashed, dotted

    var dashArray: String? {
        switch self {
        case .solid: return nil
        case .dashed: return "7,4"
        case .dotted: return "2,3"
        }
    }
}

/// Marker shapes, in the order series get them (distinct in black and white too).
public enum MarkerShape: Sendable, CaseIterable {
    case circle, square, triangle, diamond

    public static func nth(_ i: Int) -> MarkerShape { allCases[i % allCases.count] }
}

/// Colour, line and marker of a series (no line: markers only; no marker: line only);
/// `opacity` < 1 draws it faint (the raw curve under a smoothed one).
public struct SeriesStyle: Sendable {
    public var colour: String
    public var line: LinePattern?
    public var marker: MarkerShape?
    public var lineWidth: Double
    public var opacity: Double

    public init(colour: String, line: LinePattern? = .solid, marker: MarkerShape? = nil, lineWidth: Double = 1.8,
                opacity: Double = 1) {
        self.colour = colour
        self.line = line
        self.marker = marker
        self.lineWidth = lineWidth
        self.opacity = opacity
    }
}

/// A named sequence of points drawn in one style. `dodge` shifts the series sideways by
/// that many pixels, so error bars of several series at the same x stay apart.
public struct Series: Sendable {
    public var name: String
    public var points: [DataPoint]
    public var style: SeriesStyle
    public var dodge: Double

    public init(name: String, points: [DataPoint], style: SeriesStyle, dodge: Double = 0) {
        self.name = name
        self.points = points
        self.style = style
        self.dodge = dodge
    }
}
