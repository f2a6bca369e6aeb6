@testable import IQPPlot
import XCTest

/// What each kind of picture draws from its CSV files.
final class ChartBuilderTests: XCTestCase {
    private func table(_ text: String, _ path: String = "f.csv") throws -> CSVTable { try CSVTable(text: text, path: path) }

    func testLossColumnsIncludingSigmaWiseOnes() {
        let columns = LossCurves.lossColumns(["step", "loss", "validation_loss", "seconds", "loss_sigma_0.6",
                                              "validation_loss_sigma_0.6", "loss[σ=1.3]", "lossy"])
        XCTAssertEqual(columns.map(\.name), ["loss", "validation_loss", "loss_sigma_0.6", "validation_loss_sigma_0.6", "loss[σ=1.3]"])
        XCTAssertEqual(columns.map(\.validation), [false, true, false, true, false])
        XCTAssertEqual(columns.map(\.variant), ["", "", "σ=0.6", "σ=0.6", "σ=1.3"])
        XCTAssertEqual(LossCurves.variant("_sigma=2"), "σ=2")
        XCTAssertEqual(LossCurves.variant("_batch"), "batch")
    }

    func testLossCurvesOfTwoLogs() throws {
        let a = try table("step,loss,validation_loss,seconds\n0,0.5,0.6,0.1\n1,0.25,,0.2\n2,0.125,0.2,0.3\n", "a.csv")
        let b = try table("step,loss,validation_loss,seconds\n0,0.4,,0.1\n1,0.3,,0.2\n", "b.csv")
        let chart = try LossCurves.chart(logs: [LabelledTable(label: "a", table: a), LabelledTable(label: "b", table: b)],
                                         x: .seconds, logY: true)
        XCTAssertEqual(chart.series.map(\.name), ["a: train", "a: validation", "b: train"])   // b's validation is empty
        XCTAssertEqual(chart.series[1].points, [DataPoint(x: 0.1, y: 0.6), DataPoint(x: 0.3, y: 0.2)])
        XCTAssertEqual(chart.series[0].style.colour, chart.series[1].style.colour)
        XCTAssertNotEqual(chart.series[0].style.colour, chart.series[2].style.colour)
        XCTAssertEqual(chart.series[1].style.line, .dashed)
        XCTAssertEqual(chart.y.scale, .log)
        XCTAssertEqual(chart.x.label, "wall time (s)")
        XCTAssertEqual(chart.title, "Training loss")
    }

    func testSmoothedLossIsTheTrailingMeanOverTheRawCurve() throws {
        let log = try table("step,loss,validation_loss\n0,4,1\n1,2,\n2,6,\n3,0,0.5\n", "a.csv")
        let chart = try LossCurves.chart(logs: [LabelledTable(label: "a", table: log)], x: .step, logY: false, smooth: 2)
        XCTAssertEqual(chart.series.map(\.name), ["", "train (mean of 2)", "validation"])
        XCTAssertEqual(chart.series[0].points.map(\.y), [4, 2, 6, 0])        // the raw curve, faint
        XCTAssertEqual(chart.series[0].style.opacity, 0.3)
        XCTAssertEqual(chart.series[1].points.map(\.y), [4, 3, 4, 3])        // (4), (4+2)/2, (2+6)/2, (6+0)/2
        XCTAssertEqual(chart.series[2].points.map(\.y), [1, 0.5])            // validation: not smoothed
        XCTAssertEqual(chart.y.scale, .linear)
    }

    func testLossLogErrors() throws {
        let noSeconds = try table("step,loss\n0,1\n")
        XCTAssertThrowsError(try LossCurves.chart(logs: [LabelledTable(label: "f", table: noSeconds)], x: .seconds, logY: true)) {
            XCTAssertEqual($0 as? PlotError, PlotError("no such column (the columns are step, loss)", file: "f.csv", line: 1,
                                                       field: "seconds"))
        }
        let noLoss = try table("step,accuracy\n0,1\n")
        XCTAssertThrowsError(try LossCurves.chart(logs: [LabelledTable(label: "f", table: noLoss)], x: .step, logY: true)) {
            XCTAssertEqual(($0 as? PlotError)?.field, "loss")
        }
        let emptyStep = try table("step,loss\n0,1\n,2\n")
        XCTAssertThrowsError(try LossCurves.chart(logs: [LabelledTable(label: "f", table: emptyStep)], x: .step, logY: true)) {
            XCTAssertEqual($0 as? PlotError, PlotError("empty value", file: "f.csv", line: 3, field: "step"))
        }
    }

    func testEvalResultsAcrossModels() throws {
        let trained = try table("sigma,mmd2,stderr\n0.6,0.0004,0.0002\n1.3,0.0003,0.0001\n", "trained.csv")
        let uniform = try table("sigma,mmd2,stderr\n0.6,0.09,0.005\n1.3,0.1,0.004\n", "uniform.csv")
        let results = [LabelledTable(label: "trained", table: trained), LabelledTable(label: "uniform", table: uniform)]
        let chart = try EvalComparison.chart(results: results, logX: nil, logY: nil)
        XCTAssertEqual(chart.series.map(\.name), ["trained", "uniform"])
        XCTAssertEqual(chart.series.map(\.dodge), [-4, 4])
        XCTAssertEqual(chart.series[0].points[0], DataPoint(x: 0.6, y: 0.0004, yError: 0.0002))
        XCTAssertNil(chart.series[0].style.line)
        XCTAssertNotEqual(chart.series[0].style.marker, chart.series[1].style.marker)
        XCTAssertEqual(chart.y.scale, .log)           // all > 0, a factor 300 apart
        XCTAssertEqual(chart.x.scale, .linear)
        XCTAssertEqual(chart.x.ticks, [0.6, 1.3])
        let svg = try SVGReader(chart.render().svg)
        XCTAssertEqual(svg.all("path", class: "error-bars").count, 2)
        // A negative estimate keeps y linear.
        let negative = try table("sigma,mmd2,stderr\n1,-0.0001,0.0002\n2,0.05,0.001\n")
        XCTAssertEqual(try EvalComparison.chart(results: [LabelledTable(label: "n", table: negative)], logX: nil,
                                                logY: nil).y.scale, .linear)
    }

    func testScalingChartFromTheStudysCSV() throws {
        let csv = try table("""
            mode,ranks,oversubscribed,speedup,efficiency
            strong,1,no,1,1
            strong,2,no,1.8,0.9
            strong,4,yes,1.5,0.39
            weak,1,no,1,1
            weak,4,yes,1.9,0.49
            """)
        let chart = try ScalingChart.chart(table: csv, metric: .speedup, cores: 2)
        XCTAssertEqual(chart.series.map(\.name), ["ideal", "strong", "weak"])
        XCTAssertEqual(chart.series[0].points.map(\.y), [1, 2, 4])
        XCTAssertEqual(chart.series[1].points.map(\.hollow), [false, false, true])
        XCTAssertEqual(chart.x.ticks, [1, 2, 4])
        XCTAssertEqual(chart.x.scale, .log)
        XCTAssertEqual(chart.referenceLines.map(\.x), [2])
        XCTAssertEqual(chart.legendExtras.map(\.label), ["oversubscribed"])
        let efficiency = try ScalingChart.chart(table: csv, metric: .efficiency, cores: 8)
        XCTAssertEqual(efficiency.series[0].points.map(\.y), [1, 1, 1])
        XCTAssertTrue(efficiency.referenceLines.isEmpty)    // 8 cores: beyond the ranks run
        let svg = try SVGReader(chart.render().svg)
        XCTAssertEqual(svg.all("circle", class: "series").filter { $0.attributes["fill"] == "white" }.count, 2)

        let bad = try table("mode,ranks,oversubscribed,speedup\nstrong,1,maybe,1\n")
        XCTAssertThrowsError(try ScalingChart.chart(table: bad, metric: .speedup, cores: nil)) {
            XCTAssertEqual($0 as? PlotError, PlotError("'maybe' is not yes or no", file: "f.csv", line: 2, field: "oversubscribed"))
        }
    }

    func testAnyColumnsWithErrorBarsAndPowerOfTwoTicks() throws {
        let csv = try table("n,random,random_se,data\n8,0.1,0.01,0.2\n16,0.01,0.002,0.19\n32,0.001,,0.18\n")
        let request = ColumnChart.Request(x: "n", y: ["random", "data"], yError: ["random_se", nil], styles: [nil, .points],
                                          logX: true, logY: true)
        let chart = try ColumnChart.chart(tables: [LabelledTable(label: "g", table: csv)], request: request)
        XCTAssertEqual(chart.series.map(\.name), ["random", "data"])
        XCTAssertEqual(chart.series[0].points.map(\.yError), [0.01, 0.002, nil])
        XCTAssertNil(chart.series[1].style.line)
        XCTAssertNotNil(chart.series[0].style.line)
        XCTAssertEqual(chart.x.ticks, [8, 16, 32])
        XCTAssertEqual(chart.title, "random, data against n")
        let two = try ColumnChart.chart(tables: [LabelledTable(label: "a", table: csv), LabelledTable(label: "b", table: csv)],
                                        request: ColumnChart.Request(x: "n", y: ["data"]))
        XCTAssertEqual(two.series.map(\.name), ["a", "b"])
    }

    func testDefaultFileLabels() {
        XCTAssertEqual(FileLabels.defaults(for: ["runs/a.csv", "b.csv"]), ["a", "b"])
        XCTAssertEqual(FileLabels.defaults(for: ["runs/one/loss.csv", "runs/two/loss.csv"]), ["one/loss", "two/loss"])
        XCTAssertEqual(FileLabels.defaults(for: [".hidden", "x/y.tar.gz"]), [".hidden", "y.tar"])
    }
}
