/// Any CSV: columns against a column (`iqp plot columns FILE… --x COL --y COL[,COL…]`),
/// with optional error-bar columns, for every file given. One series per file and y
/// column: named by the column (one file), by the file (one column), or "file: column".
/// Lines with markers up to 60 points, plain lines above, unless a style is given. A log x
/// axis over powers of two (rank or qubit counts) gets the powers of two as ticks.
public enum ColumnChart {
    public enum Style: String, CaseIterable, Sendable {
        case lines, points, both
    }

    public struct Request: Sendable {
        public var x: String
        public var y: [String]
        /// The error column of each y column (nil: no error bars); as many as `y`, or empty.
        public var yError: [String?]
        /// The style of each y column (nil: automatic); as many as `y`, or empty.
        public var styles: [Style?]
        public var logX: Bool
        public var logY: Bool

        public init(x: String, y: [String], yError: [String?] = [], styles: [Style?] = [], logX: Bool = false,
                    logY: Bool = false) {
            self.x = x
            self.y = y
            self.yError = yError
            self.styles = styles
            self.logX = logX
            self.logY = logY
        }
    }

    public static func chart(tables: [LabelledTable], request: Request) throws -> Chart {
        var series: [Series] = [], notes: [String] = []
        for labelled in tables {
            let table = labelled.table
            let xs = try table.numbers(request.x)
            for (j, column) in request.y.enumerated() {
                let errorColumn = j < request.yError.count ? request.yError[j] : nil
                let read = ColumnPoints(x: xs, y: try table.numbers(column),
                                        yError: try errorColumn.map { try table.numbers($0, nonNegative: true) })
                if let note = read.note(file: table.path, x: request.x, y: column) { notes.append(note) }
                let name = tables.count == 1 ? column : request.y.count == 1 ? labelled.label : "\(labelled.label): \(column)"
                let style = (j < request.styles.count ? request.styles[j] : nil) ?? (read.points.count <= 60 ? .both : .lines)
                let index = series.count
                series.append(Series(name: name, points: read.points, style: SeriesStyle(
                    colour: Palette.colour(index), line: style == .points ? nil : .solid,
                    marker: style == .lines ? nil : .nth(index))))
            }
        }
        let xs = series.flatMap { $0.points.map(\.x) }
        let ticks = request.logX && NiceTicks.arePowersOfTwo(xs) ? NiceTicks.powersOfTwo(spanning: xs) : nil
        var chart = Chart(title: "\(request.y.joined(separator: ", ")) against \(request.x)",
                          x: AxisSpec(label: request.x, scale: request.logX ? .log : .linear, ticks: ticks),
                          y: AxisSpec(label: request.y.joined(separator: ", "), scale: request.logY ? .log : .linear),
                          series: series)
        chart.notes = notes
        return chart
    }
}
