import IQPPlot
import XCTest

/// Reading CSV files: what is accepted, what is refused (file, line, field), and how
/// non-finite cells are skipped and counted.
final class CSVTableTests: XCTestCase {
    func testReadsHeaderRowsAndNumbers() throws {
        let table = try CSVTable(text: "# comment\r\nstep,loss,validation_loss\r\n0,0.5,\r\n\r\n1, 0.25 ,0.3\r\n", path: "log.csv")
        XCTAssertEqual(table.header, ["step", "loss", "validation_loss"])
        XCTAssertEqual(table.headerLine, 2)
        XCTAssertEqual(table.lines, [3, 5])
        XCTAssertEqual(try table.numbers("loss"), [0.5, 0.25])
        XCTAssertEqual(try table.numbers("validation_loss"), [nil, 0.3])
    }

    func testBadInputNamesFileLineAndField() {
        func error(_ text: String, _ body: (CSVTable) throws -> Void = { _ in }) -> PlotError? {
            do { try body(try CSVTable(text: text, path: "f.csv")) } catch let e as PlotError { return e } catch { return nil }
            return nil
        }
        XCTAssertEqual(error(""), PlotError("the file is empty", file: "f.csv"))
        XCTAssertEqual(error("# only a comment\n\n"), PlotError("the file is empty", file: "f.csv"))
        XCTAssertEqual(error("a,b\n"), PlotError("no data rows below the header", file: "f.csv", line: 1))
        XCTAssertEqual(error("a,b\n1,2\n3\n"), PlotError("row has 1 values, expected 2 (the header's)", file: "f.csv", line: 3))
        XCTAssertEqual(error("a,b\n1,2\n") { _ = try $0.numbers("c") },
                       PlotError("no such column (the columns are a, b)", file: "f.csv", line: 1, field: "c"))
        XCTAssertEqual(error("a,b\n1,2\n3,x1\n") { _ = try $0.numbers("b") },
                       PlotError("'x1' is not a number", file: "f.csv", line: 3, field: "b"))
        XCTAssertEqual(error("a,b\n1,\n") { _ = try $0.numbers("b", emptyAllowed: false) },
                       PlotError("empty value", file: "f.csv", line: 2, field: "b"))
        XCTAssertEqual(error("a,b\n1,-0.5\n") { _ = try $0.numbers("b", nonNegative: true) },
                       PlotError("-0.5 is negative", file: "f.csv", line: 2, field: "b"))
    }

    func testMissingFileIsAnError() {
        XCTAssertThrowsError(try CSVTable.read(path: "/nonexistent/loss.csv")) { error in
            XCTAssertEqual(error as? PlotError, PlotError("cannot read file: no such file", file: "/nonexistent/loss.csv"))
        }
    }

    /// nan and inf cells are read as such; the chart leaves their rows out and counts them.
    func testNonFiniteCellsAreSkippedAndCounted() throws {
        let table = try CSVTable(text: "step,loss\n0,1\n1,nan\n2,inf\n3,-inf\n4,0.5\n", path: "log.csv")
        let chart = try LossCurves.chart(logs: [LabelledTable(label: "log", table: table)], x: .step, logY: true)
        XCTAssertEqual(chart.series.map(\.points), [[DataPoint(x: 0, y: 1), DataPoint(x: 4, y: 0.5)]])
        XCTAssertEqual(chart.notes, ["log.csv: 3 rows with a non-finite value (nan/inf) in 'step' or 'loss' not drawn"])
    }
}
