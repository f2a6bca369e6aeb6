import IQPPlot
import XCTest

/// The SVG a chart renders: well-formed XML, data at the pixels its axes say, a legend
/// clear of the data, and long series kept small.
final class ChartSVGTests: XCTestCase {
    private func scatter(_ points: [DataPoint], x: AxisSpec = AxisSpec(label: "x"), y: AxisSpec = AxisSpec(label: "y"),
                         name: String = "data") -> Chart {
        Chart(title: "test", x: x, y: y,
              series: [Series(name: name, points: points, style: SeriesStyle(colour: "#000000", line: nil, marker: .circle))])
    }

    private func markers(_ svg: SVGReader) -> [(x: Double, y: Double)] {
        svg.all("circle", class: "series").map { ($0.number("cx")!, $0.number("cy")!) }
    }

    func testTextIsEscapedAndTheDocumentIsWellFormed() throws {
        var chart = scatter([DataPoint(x: 1, y: 2)], name: "a<b & \"c\"")
        chart.title = "MMD² < 0.1 & σ = 1"
        chart.notes = ["note with <angle> & ampersand"]
        let svg = try SVGReader(chart.render().svg)
        XCTAssertEqual(svg.all("text", class: "title").map(\.text), ["MMD² < 0.1 & σ = 1"])
        XCTAssertTrue(svg.all("text", class: "legend").contains { $0.text == "a<b & \"c\"" })
        XCTAssertEqual(svg.all("text", class: "note").map(\.text), ["note with <angle> & ampersand"])
    }

    func testAKnownPointLandsAtItsPixelOnLinearAxes() throws {
        let chart = scatter([DataPoint(x: 3, y: 25), DataPoint(x: 10, y: 100)],
                            x: AxisSpec(label: "x", lower: 0, upper: 10), y: AxisSpec(label: "y", lower: 0, upper: 100))
        let svg = try SVGReader(chart.render().svg)
        let plot = try XCTUnwrap(svg.plotArea())
        let points = markers(svg)
        XCTAssertEqual(points[0].x, plot.x + 0.3 * plot.width, accuracy: 0.01)
        XCTAssertEqual(points[0].y, plot.y + plot.height - 0.25 * plot.height, accuracy: 0.01)
        XCTAssertEqual(points[1].x, plot.x + plot.width, accuracy: 0.01)
        XCTAssertEqual(points[1].y, plot.y, accuracy: 0.01)
        XCTAssertEqual(svg.ticks("x").first?.value, 0)
        XCTAssertEqual(svg.ticks("x").first?.pixel ?? .nan, plot.x, accuracy: 0.01)
    }

    func testAKnownPointLandsAtItsPixelOnLogAxes() throws {
        let chart = scatter([DataPoint(x: 10, y: 1e-2)], x: AxisSpec(label: "x", scale: .log, lower: 1, upper: 1000),
                            y: AxisSpec(label: "y", scale: .log, lower: 1e-4, upper: 1))
        let svg = try SVGReader(chart.render().svg)
        let plot = try XCTUnwrap(svg.plotArea())
        let point = try XCTUnwrap(markers(svg).first)
        XCTAssertEqual(point.x, plot.x + plot.width / 3, accuracy: 0.01)
        XCTAssertEqual(point.y, plot.y + plot.height / 2, accuracy: 0.01)
        XCTAssertEqual(svg.ticks("y").map(\.value), [1e-4, 1e-3, 1e-2, 0.1, 1])
        XCTAssertEqual(svg.all("text", class: "tick-label").map(\.text),
                       ["1", "10", "100", "1000", "10⁻⁴", "10⁻³", "10⁻²", "10⁻¹", "10⁰"])
    }

    /// Fitted axes: every marker lies where interpolating between the drawn tick marks puts it.
    func testMarkersAgreeWithTheDrawnTicks() throws {
        for (xScale, yScale) in [(ScaleKind.linear, ScaleKind.linear), (.log, .log), (.linear, .log)] {
            let points = (1...9).map { i in DataPoint(x: Double(i * i) * 0.37, y: pow(3.3, Double(i)) * 1e-5) }
            let svg = try SVGReader(scatter(points, x: AxisSpec(label: "x", scale: xScale),
                                            y: AxisSpec(label: "y", scale: yScale)).render().svg)
            for (point, pixel) in zip(points, markers(svg)) {
                XCTAssertEqual(pixel.x, try interpolate(point.x, svg.ticks("x"), log: xScale == .log), accuracy: 0.02)
                XCTAssertEqual(pixel.y, try interpolate(point.y, svg.ticks("y"), log: yScale == .log), accuracy: 0.02)
            }
        }
    }

    private func interpolate(_ value: Double, _ ticks: [(value: Double, pixel: Double)], log: Bool) throws -> Double {
        XCTAssertGreaterThanOrEqual(ticks.count, 2)
        let f: (Double) -> Double = log ? { log10($0) } : { $0 }
        let (a, b) = (ticks.first!, ticks.last!)
        return a.pixel + (f(value) - f(a.value)) / (f(b.value) - f(a.value)) * (b.pixel - a.pixel)
    }

    func testTheLegendSitsInAFreeCornerOrOutsideThePlot() throws {
        // A falling curve leaves the top right free.
        let falling = (0..<50).map { DataPoint(x: Double($0), y: exp(-Double($0) / 8)) }
        let svg = try SVGReader(scatter(falling).render().svg)
        let plot = try XCTUnwrap(svg.plotArea())
        let legend = try XCTUnwrap(svg.all("rect", class: "legend").first)
        XCTAssertGreaterThan(legend.number("x")!, plot.x + plot.width / 2)
        XCTAssertLessThan(legend.number("y")!, plot.y + plot.height / 2)
        for p in markers(svg) {
            XCTAssertFalse(p.x >= legend.number("x")! - 3.5 && p.x <= legend.number("x")! + legend.number("width")! + 3.5
                           && p.y >= legend.number("y")! - 3.5 && p.y <= legend.number("y")! + legend.number("height")! + 3.5)
        }
        // Points everywhere: the legend goes to the right of the plot.
        let grid = (0..<400).map { DataPoint(x: Double($0 % 20), y: Double($0 / 20)) }
        let crowded = try SVGReader(scatter(grid).render().svg)
        let crowdedPlot = try XCTUnwrap(crowded.plotArea())
        XCTAssertGreaterThan(try XCTUnwrap(crowded.all("rect", class: "legend").first?.number("x")),
                             crowdedPlot.x + crowdedPlot.width)
    }

    func testLongSeriesAreDecimatedToTheirEnvelope() throws {
        let n = 100_000
        let noisy = (0..<n).map { DataPoint(x: Double($0), y: 1 + sin(Double($0) * 0.37) * exp(-Double($0) / 20_000)) }
        let chart = Chart(title: "long", x: AxisSpec(label: "step"), y: AxisSpec(label: "loss"),
                          series: [Series(name: "train", points: noisy, style: SeriesStyle(colour: "#000000"))])
        let text = chart.render().svg
        let svg = try SVGReader(text)
        let line = try XCTUnwrap(svg.all("polyline", class: "series").first?.attributes["points"])
        let count = line.split(separator: " ").count
        let plot = try XCTUnwrap(svg.plotArea())
        XCTAssertLessThanOrEqual(count, 4 * Int(plot.width.rounded(.up) + 1))
        XCTAssertLessThan(text.utf8.count, 120_000)
        // The envelope is kept: the highest and lowest points are still drawn.
        let ys = line.split(separator: " ").map { Double($0.split(separator: ",")[1])! }
        XCTAssertEqual(ys.min()!, try interpolate(noisy.map(\.y).max()!, svg.ticks("y"), log: false), accuracy: 0.02)
        XCTAssertEqual(ys.max()!, try interpolate(noisy.map(\.y).min()!, svg.ticks("y"), log: false), accuracy: 0.02)
    }

    func testValuesALogAxisCannotShowAreNoted() {
        let chart = scatter([DataPoint(x: 1, y: 0.5), DataPoint(x: 2, y: -0.1), DataPoint(x: 3, y: 0)],
                            y: AxisSpec(label: "y", scale: .log))
        let rendered = chart.render()
        XCTAssertEqual(rendered.notes, ["data: 2 points with y ≤ 0 not drawn (log scale)"])
        XCTAssertTrue(rendered.svg.contains("data: 2 points with y ≤ 0 not drawn (log scale)"))
    }
}
