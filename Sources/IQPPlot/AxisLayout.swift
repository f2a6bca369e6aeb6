/// One axis laid out: its scale (data → pixels), its ticks and the labels of its major ticks,
/// chosen so that no two labels overlap.
struct AxisLayout {
    var scale: AxisScale
    var ticks: Ticks
    var labels: [String]

    static let tickFontSize = 12.0

    /// The interval the axis shows: fitted to `values` (`ScaleDomain.fit`), then the ends the
    /// spec fixes. A fixed end beyond the data keeps the other end fitted and lower < upper.
    static func domain(_ spec: AxisSpec, values: [Double]) -> (lower: Double, upper: Double) {
        var (lower, upper) = ScaleDomain.fit(values, kind: spec.scale, includeZero: spec.includesZero)
        if let fixed = spec.lower { lower = fixed }
        if let fixed = spec.upper { upper = fixed }
        if lower >= upper {
            if spec.upper == nil {
                upper = ScaleDomain.fit([lower, values.max() ?? lower], kind: spec.scale).upper
            } else {
                lower = ScaleDomain.fit([upper, values.min() ?? upper], kind: spec.scale).lower
            }
        }
        return (lower, upper)
    }

    /// The axis from `start` to `end` pixels (horizontal or vertical), with about one major
    /// tick per `spacing` pixels, fewer if their labels would overlap.
    init(spec: AxisSpec, domain: (lower: Double, upper: Double), start: Double, end: Double,
         horizontal: Bool, spacing: Double) {
        let scale = AxisScale(kind: spec.scale, lower: domain.lower, upper: domain.upper, start: start, end: end)
        var count = max(2, Int(abs(end - start) / spacing))
        var every = 1
        while true {
            let ticks = spec.ticks.map { Self.explicitTicks($0, scale: scale, every: every) }
                ?? Self.niceTicks(scale: scale, count: count)
            let labels = TickLabels.labels(ticks.major, kind: scale.kind)
            let crowded = Self.crowded(labels, at: ticks.major.compactMap(scale.pixel), horizontal: horizontal)
            if !crowded || ticks.major.count <= 2 || count <= 2 && spec.ticks == nil {
                (self.scale, self.ticks, self.labels) = (scale, ticks, labels)
                return
            }
            if spec.ticks == nil { count -= 1 } else { every += 1 }
        }
    }

    private static func niceTicks(scale: AxisScale, count: Int) -> Ticks {
        switch scale.kind {
        case .linear: return NiceTicks.linear(lower: scale.lower, upper: scale.upper, count: count)
        case .log: return NiceTicks.log(lower: scale.lower, upper: scale.upper, count: count)
        }
    }

    /// The given ticks inside the axis, every `every`-th one labelled and the rest minor.
    private static func explicitTicks(_ values: [Double], scale: AxisScale, every: Int) -> Ticks {
        let inside = values.filter(scale.contains).sorted()
        var ticks = Ticks(major: [], minor: [])
        for (i, value) in inside.enumerated() {
            if i % every == 0 { ticks.major.append(value) } else { ticks.minor.append(value) }
        }
        return ticks
    }

    /// Whether neighbouring labels would touch: horizontally, half their widths plus 10 px
    /// must fit between tick positions; vertically, a line height (16 px).
    static func crowded(_ labels: [String], at pixels: [Double], horizontal: Bool) -> Bool {
        guard labels.count == pixels.count, labels.count > 1 else { return false }
        for i in 1..<labels.count {
            let gap = abs(pixels[i] - pixels[i - 1])
            let needed = horizontal
                ? (TextMetrics.width(labels[i], size: tickFontSize) + TextMetrics.width(labels[i - 1], size: tickFontSize)) / 2 + 10
                : 16
            if gap < needed { return true }
        }
        return false
    }

    /// The widest major-tick label, in pixels.
    var widestLabel: Double {
        labels.map { TextMetrics.width($0, size: Self.tickFontSize) }.max() ?? 0
    }
}
