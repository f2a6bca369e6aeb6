import ArgumentParser
import Foundation
import IQPCore
import IQPPlot

/// `iqp plot`: SVG pictures of the project's CSV outputs, drawn by the project itself
/// (IQPPlot; no Python, no external tools).
struct PlotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plot",
        abstract: "Draw loss curves, evaluation results, a scaling study or any CSV columns as SVG.",
        discussion: """
            Every picture is one SVG file (--out; '-' for standard output) with a title, axes \
            with ticks and labels, a legend, and error bars where the data has standard errors. \
            Bad input stops with one line naming the file, line and column, and writes nothing. \
            Points a picture cannot show (nan/inf cells; values ≤ 0 on a log axis) are left out \
            and said so, under the picture and on standard error. `iqp plot FILE…` alone \
            recognises a loss log, an eval table or a scaling CSV by its header. See docs/plots.md.
            """,
        subcommands: [Auto.self, Loss.self, Eval.self, Scaling.self, Columns.self, Covariance.self],
        defaultSubcommand: Auto.self)

    /// Builds the chart, applies the common options and writes it; any error ends the
    /// command with the project's one-line message and nothing written.
    static func draw(_ options: PlotOptions, inputs: [String], _ build: () throws -> Chart) {
        do {
            let out = options.target(inputs: inputs)
            try AtomicFile.checkTargets(outputs: [NamedPath("--out", out)], inputs: inputs.map { NamedPath("input", $0) })
            var chart = try build()
            try options.apply(to: &chart)
            try options.write(chart, to: out)
        } catch let error as PlotError {
            CommandSupport.fail(IQPError(error.message, file: error.file, line: error.line, field: error.field),
                                communicator: nil)
        } catch {
            CommandSupport.fail(error, communicator: nil)
        }
    }

    /// The tables at `paths`, labelled by `labels` or else by their file names.
    static func tables(_ paths: [String], labels: [String]) throws -> [LabelledTable] {
        let names = labels.isEmpty ? FileLabels.defaults(for: paths) : labels
        return try zip(paths, names).map { LabelledTable(label: $1, table: try CSVTable.read(path: $0)) }
    }

    static func checkLabels(_ labels: [String], files: [String]) throws {
        if !labels.isEmpty && labels.count != files.count {
            throw ValidationError("give one --label per file: \(labels.count) labels for \(files.count) files")
        }
    }
}

extension PlotCommand {
    /// `iqp plot FILE…`: the picture that the files' header says (all files of one kind).
    struct Auto: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "auto",
            abstract: "The picture the files are for, by their header: loss log, eval table or scaling CSV (the default).",
            discussion: """
                step,loss,… is a loss log (as plot loss), sigma,mmd2,stderr an eval table (as plot \
                eval), mode,ranks,…,speedup,efficiency a scaling study (as plot scaling, speedup). \
                Example:
                  iqp plot loss.csv          (writes loss.svg)
                """)

        @Argument(help: "Loss logs, eval tables, or one scaling CSV.") var files: [String]
        @OptionGroup var options: PlotOptions

        enum Kind: String { case loss, eval, scaling }

        static func kind(of path: String) throws -> Kind {
            let columns = try CSVTable.read(path: path).header
            if columns.first == "step" && columns.contains("loss") { return .loss }
            if columns.starts(with: ["sigma", "mmd2"]) { return .eval }
            if columns.contains("ranks") && columns.contains("speedup") { return .scaling }
            throw IQPError("not a loss log (step,loss,…), an eval table (sigma,mmd2,stderr) or a scaling CSV "
                           + "(mode,ranks,…): draw its columns with iqp plot columns \(path) --x COL --y COL", file: path)
        }

        func run() {
            PlotCommand.draw(options, inputs: files) {
                guard !files.isEmpty else { throw IQPError("give the CSV files to draw") }
                let kinds = try files.map(Self.kind(of:))
                guard Set(kinds).count == 1 else {
                    throw IQPError("the files are of different kinds (\(zip(files, kinds).map { "\($0): \($1.rawValue)" }.joined(separator: ", "))): draw each kind on its own")
                }
                let tables = try PlotCommand.tables(files, labels: [])
                switch kinds[0] {
                case .loss: return try LossCurves.chart(logs: tables, x: .step, logY: options.logY ?? true, smooth: 1)
                case .eval: return try EvalComparison.chart(results: tables, logX: options.logX, logY: options.logY)
                case .scaling: return try ScalingChart.chart(table: tables[0].table, metric: .speedup, cores: nil)
                }
            }
        }
    }

    struct Loss: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "loss",
            abstract: "Loss curves (train and validation) from one or several `iqp train --log` files.",
            discussion: """
                Every loss column is a curve: loss (train), validation_loss (dashed, markers), and \
                σ-wise columns loss_<suffix> / validation_loss_<suffix> if a log has them. The y \
                axis is log unless --no-log-y; --smooth K adds each train curve's trailing mean over \
                K steps (Monte Carlo losses are noisy). Example:
                  iqp plot loss run1/loss.csv run2/loss.csv --label "lr 0.01" \\
                      --label "lr 0.05" --smooth 20 --out loss.svg
                """)

        @Argument(help: "Loss logs (CSV: step,loss,validation_loss,seconds).") var logs: [String]
        @Option(help: "Legend label of each log, in order (default: the file names).") var label: [String] = []
        @Option(help: "The x axis: step or seconds (wall time).") var x: LossCurves.Abscissa = .step
        @Option(help: ArgumentHelp("Draw each train curve faint with its trailing mean over K steps on top.",
                                   valueName: "K")) var smooth: Int = 1
        @OptionGroup var options: PlotOptions

        func validate() throws {
            try PlotCommand.checkLabels(label, files: logs)
            if smooth < 1 { throw ValidationError("--smooth must be at least 1, not \(smooth)") }
        }

        func run() {
            PlotCommand.draw(options, inputs: logs) {
                try LossCurves.chart(logs: PlotCommand.tables(logs, labels: label), x: x, logY: options.logY ?? true,
                                     smooth: smooth)
            }
        }
    }

    struct Eval: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "eval",
            abstract: "Test MMD² per bandwidth σ of several models, from `iqp eval` files, with error bars.",
            discussion: """
                One series per file (sigma,mmd2,stderr), labelled by --label or the file name. \
                Scales are log where the values span a wide range (x: σ over a factor 10; y: \
                MMD² all > 0 over a factor 30) unless --log-x/--log-y say otherwise. Example:
                  iqp plot eval trained.csv initial.csv --out eval.svg
                """)

        @Argument(help: "Evaluation results (CSV: sigma,mmd2,stderr).") var results: [String]
        @Option(help: "Legend label of each file, in order (default: the file names).") var label: [String] = []
        @OptionGroup var options: PlotOptions

        func validate() throws { try PlotCommand.checkLabels(label, files: results) }

        func run() {
            PlotCommand.draw(options, inputs: results) {
                try EvalComparison.chart(results: PlotCommand.tables(results, labels: label), logX: options.logX,
                                         logY: options.logY)
            }
        }
    }

    struct Scaling: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "scaling",
            abstract: "Speedup or efficiency against ranks from a scaling study's scaling.csv.",
            discussion: """
                One line per mode (strong, weak), the ideal dashed, oversubscribed points hollow; \
                --cores draws a dotted line at the core count. Example:
                  iqp plot scaling docs/scaling/scaling.csv --metric efficiency \\
                      --cores 2 --out efficiency.svg
                """)

        @Argument(help: "The study's scaling.csv (launch/scaling-study).") var file: String
        @Option(help: "What to draw: speedup or efficiency.") var metric: ScalingChart.Metric = .speedup
        @Option(help: "Cores of the machine that ran the study (a dotted line there).") var cores: Int?
        @OptionGroup var options: PlotOptions

        func validate() throws {
            if let cores, cores < 1 { throw ValidationError("--cores must be at least 1, not \(cores)") }
        }

        func run() {
            PlotCommand.draw(options, inputs: [file]) {
                try ScalingChart.chart(table: CSVTable.read(path: file), metric: metric, cores: cores)
            }
        }
    }

    struct Columns: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "columns",
            abstract: "Any CSV: columns against a column, from one or several files.",
            discussion: """
                One series per file and --y column; --yerr names a standard-error column per --y \
                column for error bars (leave an entry empty for none: --yerr ,err_b). Example:
                  iqp plot columns g.csv --x n --y var --yerr var_se --log-x --log-y \\
                      --out g.svg
                """)

        @Argument(help: "CSV files with a header line.") var files: [String]
        @Option(help: "The column on the x axis.") var x: String
        @Option(help: "Columns on the y axis, comma-separated.") var y: String
        @Option(help: "Standard-error columns for error bars, comma-separated, one per --y column.") var yerr: String?
        @Option(help: "lines, points or both: one for all, or one per --y column (default: both up to 60 points, else lines).")
        var style: String?
        @Option(help: "Legend label of each file, in order (default: the file names).") var label: [String] = []
        @OptionGroup var options: PlotOptions

        func validate() throws {
            try PlotCommand.checkLabels(label, files: files)
            _ = try request()
        }

        func request() throws -> ColumnChart.Request {
            let ys = y.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard !ys.contains("") else { throw ValidationError("--y: empty column name in '\(y)'") }
            let errors: [String?] = (yerr?.split(separator: ",", omittingEmptySubsequences: false) ?? []).map {
                let name = $0.trimmingCharacters(in: .whitespaces)
                return name.isEmpty ? nil : name
            }
            if yerr != nil && errors.count != ys.count {
                throw ValidationError("--yerr has \(errors.count) entries for \(ys.count) --y columns")
            }
            var styles = try (style ?? "").split(separator: ",").map { text -> ColumnChart.Style? in
                guard let s = ColumnChart.Style(rawValue: text.trimmingCharacters(in: .whitespaces)) else {
                    throw ValidationError("--style: '\(text)' is not lines, points or both")
                }
                return s
            }
            if styles.count == 1 { styles = Array(repeating: styles[0], count: ys.count) }
            if !styles.isEmpty && styles.count != ys.count {
                throw ValidationError("--style has \(styles.count) entries for \(ys.count) --y columns")
            }
            return ColumnChart.Request(x: x, y: ys, yError: errors, styles: styles, logX: options.logX ?? false,
                                       logY: options.logY ?? false)
        }

        func run() {
            PlotCommand.draw(options, inputs: files) {
                try ColumnChart.chart(tables: PlotCommand.tables(files, labels: label), request: request())
            }
        }
    }
}

extension LossCurves.Abscissa: ExpressibleByArgument {}
extension ScalingChart.Metric: ExpressibleByArgument {}

extension PlotCommand {
    struct Covariance: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "covariance",
            abstract: "The model's and the data's spin covariance matrices as a pair of heat maps.",
            discussion: """
                Reads the CSV of `iqp eval --covariance` (i,j,model,data: every entry of both n × n \
                matrices) and draws the model's matrix left and the data's right, on one colour \
                scale from blue (−c) through white to red (+c), c the largest |entry|. Example:
                  iqp eval --covariance --exact --model model.json --data test.csv \\
                      --out cov.csv
                  iqp plot covariance cov.csv --out cov.svg
                """)

        @Argument(help: "The CSV of iqp eval --covariance.") var file: String
        @Option(name: [.short, .long], help: "Write the SVG here (atomically; a name ending in .svg); '-' writes it to standard output. Default: next to the input, with the extension .svg.")
        var out: String?
        @Option(help: "Title (default: says what is drawn).") var title: String?
        @Option(help: "Caption of the left map.") var modelLabel: String = "model"
        @Option(help: "Caption of the right map.") var dataLabel: String = "data"

        func validate() throws {
            if let out, out != "-", !out.lowercased().hasSuffix(".svg") {
                throw ValidationError("--out \(out): iqp plot writes SVG only; give a name ending in .svg (convert it to PNG with e.g. rsvg-convert)")
            }
        }

        func run() {
            let out = self.out ?? (file as NSString).deletingPathExtension + ".svg"
            do {
                try AtomicFile.checkTargets(outputs: [NamedPath("--out", out)], inputs: [NamedPath("input", file)])
                let maps = try CovarianceHeatMaps(table: try CSVTable.read(path: file))
                let svg = maps.svg(title: title ?? "Spin covariance, \(maps.n) qubits", leftCaption: modelLabel,
                                   rightCaption: dataLabel)
                try AtomicFile.write(svg, to: out)
            } catch let error as PlotError {
                CommandSupport.fail(IQPError(error.message, file: error.file, line: error.line, field: error.field),
                                    communicator: nil)
            } catch {
                CommandSupport.fail(error, communicator: nil)
            }
        }
    }
}
