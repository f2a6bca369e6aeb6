/// Test MMD² of several models side by side, from `iqp eval` files (`sigma,mmd2,stderr`):
/// per file one series of markers at its bandwidths σ with error bars ± stderr (the
/// `stderr` column is optional), a distinct colour and marker shape each. Series are
/// dodged a few pixels sideways so that error bars at the same σ do not hide each other.
///
/// The x ticks are the σ values themselves. Scales, unless given: x is log when the σ
/// span a factor of 10 or more, y is log when every MMD² is > 0 and they span a factor of
/// 30 or more (a trained model next to the uniform distribution); MMD² estimates near 0
/// can be negative, and then y stays linear, with a line at 0.
public enum EvalComparison {
    static let dodgeStep = 8.0, maxDodgeSpread = 48.0

    public static func chart(results: [LabelledTable], logX: Bool?, logY: Bool?) throws -> Chart {
        var series: [Series] = [], notes: [String] = []
        let spread = min(dodgeStep * Double(results.count - 1), maxDodgeSpread)
        var anyError = false
        for (i, result) in results.enumerated() {
            let table = result.table
            let errors = table.has("stderr") ? try table.numbers("stderr", nonNegative: true) : nil
            let read = ColumnPoints(x: try table.numbers("sigma", emptyAllowed: false),
                                    y: try table.numbers("mmd2", emptyAllowed: false), yError: errors)
            if let note = read.note(file: table.path, x: "sigma", y: "mmd2") { notes.append(note) }
            anyError = anyError || read.points.contains { $0.yError != nil }
            let dodge = results.count > 1 ? -spread / 2 + spread * Double(i) / Double(results.count - 1) : 0
            series.append(Series(name: result.label, points: read.points,
                                 style: SeriesStyle(colour: Palette.colour(i), line: nil, marker: .nth(i)), dodge: dodge))
        }
        let xs = series.flatMap { $0.points.map(\.x) }, ys = series.flatMap { $0.points.map(\.y) }
        let xScale: ScaleKind = logX ?? spansFactor(xs, 10) ? .log : .linear
        let yScale: ScaleKind = logY ?? spansFactor(ys, 30) ? .log : .linear
        let ticks = Array(Set(xs)).sorted()
        var chart = Chart(title: "Test MMD² by bandwidth σ",
                          x: AxisSpec(label: "bandwidth σ", scale: xScale, ticks: ticks.count >= 2 ? ticks : nil),
                          y: AxisSpec(label: anyError ? "MMD² (± standard error)" : "MMD²", scale: yScale),
                          series: series)
        chart.notes = notes
        return chart
    }

    /// Whether all values are > 0 and the largest is at least `factor` times the smallest.
    static func spansFactor(_ values: [Double], _ factor: Double) -> Bool {
        guard let lo = values.min(), let hi = values.max(), lo > 0 else { return false }
        return hi >= factor * lo
    }
}
