/// Loss curves from `iqp train --log` files (`step,loss,validation_loss,seconds`).
///
/// Every loss column of every log is a curve: `loss` (train) and `validation_loss`, and
/// σ-wise columns `loss_<suffix>` / `validation_loss_<suffix>` when a log has them
/// (`loss_sigma_0.6` is labelled "σ=0.6"). A train curve and its validation curve share a
/// colour; validation is dashed, with markers at its (few) points. The y axis is log by
/// default (losses fall by decades); the x axis is the step or the wall time.
///
/// `smooth` K > 1 draws each train curve faint and over it its trailing mean over K steps
/// (point i: the mean of points i−K+1…i, fewer at the start): Monte Carlo loss estimates are
/// noisy, and the trend is what a reader looks for. Validation curves are not smoothed.
public enum LossCurves {
    public enum Abscissa: String, CaseIterable, Sendable {
        case step, seconds

        var label: String { self == .step ? "step" : "wall time (s)" }
    }

    /// One loss column of a log: its name, whether it is a validation loss, and the
    /// variant it belongs to ("" for the mean over σ, "σ=0.6" for a σ-wise column).
    struct Column: Equatable {
        var name: String
        var validation: Bool
        var variant: String
    }

    public static func chart(logs: [LabelledTable], x: Abscissa, logY: Bool, smooth: Int = 1) throws -> Chart {
        var series: [Series] = [], notes: [String] = []
        var colours: [String: Int] = [:]
        for (fileIndex, log) in logs.enumerated() {
            let columns = lossColumns(log.table.header)
            guard !columns.isEmpty else {
                throw PlotError("no loss column (expected 'loss', 'validation_loss' or 'loss_…')",
                                file: log.table.path, line: log.table.headerLine, field: "loss")
            }
            let xs = try log.table.numbers(x.rawValue, emptyAllowed: false)
            for column in columns {
                let read = ColumnPoints(x: xs, y: try log.table.numbers(column.name))
                if let note = read.note(file: log.table.path, x: x.rawValue, y: column.name) { notes.append(note) }
                guard !read.points.isEmpty else { continue }
                let key = "\(fileIndex)/\(column.variant)"
                let colour = colours[key] ?? colours.count
                colours[key] = colour
                let label = name(column, file: log.label, single: logs.count == 1)
                let style = style(column, colour: colour, count: read.points.count)
                if smooth > 1 && !column.validation {
                    var faint = style
                    (faint.opacity, faint.lineWidth) = (0.3, 1)
                    series.append(Series(name: "", points: read.points, style: faint))
                    series.append(Series(name: "\(label) (mean of \(smooth))", points: trailingMean(read.points, smooth),
                                         style: style))
                } else {
                    series.append(Series(name: label, points: read.points, style: style))
                }
            }
        }
        let title = logs.count == 1 ? "Training loss: \(logs[0].label)" : "Training loss"
        var chart = Chart(title: title, x: AxisSpec(label: x.label),
                          y: AxisSpec(label: "MMD² loss", scale: logY ? .log : .linear), series: series)
        chart.notes = notes
        return chart
    }

    /// Point i's y replaced by the mean of the y of points max(0, i−K+1)…i.
    static func trailingMean(_ points: [DataPoint], _ window: Int) -> [DataPoint] {
        var sum = 0.0
        return points.indices.map { i in
            sum += points[i].y
            if i >= window { sum -= points[i - window].y }
            return DataPoint(x: points[i].x, y: sum / Double(min(i + 1, window)))
        }
    }

    /// The loss columns of a header, in header order.
    static func lossColumns(_ header: [String]) -> [Column] {
        header.compactMap { name in
            for (prefix, validation) in [("validation_loss", true), ("loss", false)] where name.hasPrefix(prefix) {
                let suffix = name.dropFirst(prefix.count)
                guard suffix.isEmpty || suffix.hasPrefix("_") || suffix.hasPrefix("[") else { return nil }
                return Column(name: name, validation: validation, variant: variant(String(suffix)))
            }
            return nil
        }
    }

    /// "_sigma_0.6", "_sigma=0.6", "[σ=0.6]" → "σ=0.6"; any other suffix without its "_".
    static func variant(_ suffix: String) -> String {
        var text = Substring(suffix)
        while let first = text.first, "_[ ".contains(first) { text = text.dropFirst() }
        if text.hasSuffix("]") { text = text.dropLast() }
        for name in ["sigma", "σ"] where text.hasPrefix(name) {
            var value = text.dropFirst(name.count)
            while let first = value.first, "_= ".contains(first) { value = value.dropFirst() }
            return "σ=\(value)"
        }
        return String(text)
    }

    private static func name(_ column: Column, file: String, single: Bool) -> String {
        var name = column.validation ? "validation" : "train"
        if !column.variant.isEmpty { name += " \(column.variant)" }
        return single ? name : "\(file): \(name)"
    }

    private static func style(_ column: Column, colour: Int, count: Int) -> SeriesStyle {
        guard column.validation else { return SeriesStyle(colour: Palette.colour(colour), line: .solid) }
        return SeriesStyle(colour: Palette.colour(colour), line: .dashed, marker: count <= 60 ? .circle : nil,
                           lineWidth: 1.5)
    }
}
