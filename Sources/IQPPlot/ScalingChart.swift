/// The scaling study's picture from its `scaling.csv` (`launch/scaling-study`; columns
/// `mode`, `ranks`, `oversubscribed`, `speedup`, `efficiency`, …): speedup or efficiency
/// against the rank count on a log₂ axis, one line per mode (strong, weak), the ideal
/// (speedup N, efficiency 1) dashed, oversubscribed points hollow, and a dotted line at the
/// machine's core count when it is given and lies inside the rank range.
public enum ScalingChart {
    public enum Metric: String, CaseIterable, Sendable {
        case speedup, efficiency

        var title: String {
            switch self {
            case .speedup: return "Speedup (strong: T1/TN, weak: N·T1/TN)"
            case .efficiency: return "Parallel efficiency (strong: T1/(N·TN), weak: T1/TN)"
            }
        }

        func ideal(ranks: Double) -> Double { self == .speedup ? ranks : 1 }
    }

    public static func chart(table: CSVTable, metric: Metric, cores: Int?) throws -> Chart {
        let modes = try table.strings("mode")
        let ranks = try table.numbers("ranks", emptyAllowed: false)
        let values = try table.numbers(metric.rawValue, emptyAllowed: false)
        let oversubscribed = table.has("oversubscribed") ? try flags(table, "oversubscribed") : nil
        var order: [String] = []
        for mode in modes where !order.contains(mode) { order.append(mode) }
        var series: [Series] = [], notes: [String] = []
        for mode in order {
            let rows = modes.indices.filter { modes[$0] == mode }.sorted { (ranks[$0] ?? 0) < (ranks[$1] ?? 0) }
            let read = ColumnPoints(x: rows.map { ranks[$0] }, y: rows.map { values[$0] },
                                    hollow: oversubscribed.map { flags in rows.map { flags[$0] } })
            if let note = read.note(file: table.path, x: "ranks", y: metric.rawValue) { notes.append(note) }
            let colour = mode == "strong" ? 0 : mode == "weak" ? 1 : 2 + series.count
            series.append(Series(name: mode, points: read.points,
                                 style: SeriesStyle(colour: Palette.colour(colour), line: .solid, marker: .circle)))
        }
        let allRanks = Array(Set(ranks.compactMap { $0 }.filter { $0.isFinite && $0 > 0 })).sorted()
        let ideal = Series(name: "ideal", points: allRanks.map { DataPoint(x: $0, y: metric.ideal(ranks: $0)) },
                           style: SeriesStyle(colour: Palette.reference, line: .dashed, lineWidth: 1.5))
        let ticks = NiceTicks.arePowersOfTwo(allRanks) ? NiceTicks.powersOfTwo(spanning: allRanks) : allRanks
        var chart = Chart(title: metric.title,
                          x: AxisSpec(label: "ranks (MPI processes)", scale: .log, ticks: ticks),
                          y: AxisSpec(label: metric.rawValue, includesZero: true), series: [ideal] + series)
        if let cores, let lo = allRanks.first, let hi = allRanks.last, Double(cores) >= lo, Double(cores) < hi {
            chart.referenceLines = [ReferenceLine(x: Double(cores), label: "\(cores) cores")]
        }
        if series.contains(where: { $0.points.contains(where: \.hollow) }) {
            chart.legendExtras = [LegendEntry(label: "oversubscribed", style: SeriesStyle(colour: "#333333", line: nil,
                                                                                        marker: .circle), hollow: true)]
        }
        chart.notes = notes
        return chart
    }

    /// A yes/no column (also true/false, 1/0).
    private static func flags(_ table: CSVTable, _ column: String) throws -> [Bool] {
        try zip(table.strings(column), table.lines).map { text, line in
            switch text.lowercased() {
            case "yes", "true", "1": return true
            case "no", "false", "0", "": return false
            default: throw PlotError("'\(text)' is not yes or no", file: table.path, line: line, field: column)
            }
        }
    }
}
