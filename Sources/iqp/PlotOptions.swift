import ArgumentParser
import Foundation
import IQPCore
import IQPPlot

/// The options every `iqp plot` picture takes: where it goes, its title and axis labels,
/// log scales, axis ranges and size.
struct PlotOptions: ParsableArguments {
    @Option(name: [.short, .long], help: "Write the SVG here (atomically; a name ending in .svg); '-' writes it to standard output. Default: next to the first input, with the extension .svg (loss.csv → loss.svg).")
    var out: String?
    @Option(help: "Title (default: says what is drawn).") var title: String?
    @Option(help: "Label of the x axis, with its unit.") var xLabel: String?
    @Option(help: "Label of the y axis, with its unit.") var yLabel: String?
    @Flag(inversion: .prefixedNo, help: "Log scale on the x axis (default: the picture's).") var logX: Bool?
    @Flag(inversion: .prefixedNo, help: "Log scale on the y axis (default: the picture's; loss curves: log).") var logY: Bool?
    @Option(help: "Smallest x shown (default: fitted to the data).") var xMin: Double?
    @Option(help: "Largest x shown.") var xMax: Double?
    @Option(help: "Smallest y shown.") var yMin: Double?
    @Option(help: "Largest y shown.") var yMax: Double?
    @Option(help: "Width of the picture in pixels.") var width: Double = 720
    @Option(help: "Height of the picture in pixels.") var height: Double = 450

    /// Where the SVG goes: `--out`, else the first input with the extension `.svg`.
    func target(inputs: [String]) -> String {
        out ?? ((inputs.first ?? "plot") as NSString).deletingPathExtension + ".svg"
    }

    func validate() throws {
        if let out, out != "-", !out.lowercased().hasSuffix(".svg") {
            throw ValidationError("--out \(out): iqp plot writes SVG only; give a name ending in .svg (convert it to PNG with e.g. rsvg-convert)")
        }
        for (name, value) in [("--x-min", xMin), ("--x-max", xMax), ("--y-min", yMin), ("--y-max", yMax)] {
            if let value, !value.isFinite { throw ValidationError("\(name) must be a finite number") }
        }
        if let xMin, let xMax, xMin >= xMax { throw ValidationError("--x-min must be below --x-max") }
        if let yMin, let yMax, yMin >= yMax { throw ValidationError("--y-min must be below --y-max") }
        if !(200...20000).contains(width) || !(150...20000).contains(height) {
            throw ValidationError("--width must be 200…20000 and --height 150…20000 pixels")
        }
    }

    /// The options over what the picture chose itself.
    func apply(to chart: inout Chart) throws {
        if let title { chart.title = title }
        if let xLabel { chart.x.label = xLabel }
        if let yLabel { chart.y.label = yLabel }
        if let logX { chart.x.scale = logX ? .log : .linear }
        if let logY { chart.y.scale = logY ? .log : .linear }
        for (name, value, axis) in [("--x-min", xMin, chart.x), ("--x-max", xMax, chart.x),
                                    ("--y-min", yMin, chart.y), ("--y-max", yMax, chart.y)] {
            if let value, value <= 0, axis.scale == .log {
                let flag = name.hasPrefix("--x") ? "--no-log-x" : "--no-log-y"
                throw IQPError("\(name) \(value) is not > 0, which a log axis needs (\(flag) for a linear one)")
            }
        }
        (chart.x.lower, chart.x.upper) = (xMin ?? chart.x.lower, xMax ?? chart.x.upper)
        (chart.y.lower, chart.y.upper) = (yMin ?? chart.y.lower, yMax ?? chart.y.upper)
        chart.width = width
        chart.height = height
    }

    /// Renders the chart, prints its notes to standard error, and writes the SVG atomically
    /// (or to standard output).
    func write(_ chart: Chart, to path: String) throws {
        let rendered = chart.render()
        for note in rendered.notes { writeToStandardError("iqp: note: \(note)\n") }
        try AtomicFile.write(rendered.svg, to: path)   // '-': standard output
        if path != "-" && out == nil { writeToStandardError("iqp plot: wrote \(path)\n") }
    }
}
