import IQPPlot
import XCTest

/// Tick labels: shortest exact form, decimal or e-notation, superscript powers of ten.
final class TickLabelsTests: XCTestCase {
    func testDecimalLabelsShareTheFewestDigitsThatReadBackExactly() {
        XCTAssertEqual(TickLabels.labels([0, 0.25, 0.5, 0.75], kind: .linear), ["0", "0.25", "0.50", "0.75"])
        XCTAssertEqual(TickLabels.labels([0, 2, 4, 6], kind: .linear), ["0", "2", "4", "6"])
        XCTAssertEqual(TickLabels.labels([-1, -0.5, 0, 0.5], kind: .linear), ["-1.0", "-0.5", "0", "0.5"])
        XCTAssertEqual(TickLabels.labels([0.001, 0.002, 0.003], kind: .linear), ["0.001", "0.002", "0.003"])
    }

    func testSmallAndLargeValuesUseENotation() {
        XCTAssertEqual(TickLabels.labels([0, 2e-4, 4e-4, 6e-4], kind: .linear), ["0", "2e-4", "4e-4", "6e-4"])
        XCTAssertEqual(TickLabels.labels([0, 5e5, 1e6, 1.5e6], kind: .linear), ["0", "5.0e5", "1.0e6", "1.5e6"])
        XCTAssertEqual(TickLabels.labels([2e-5, 5e-5, 1e-4], kind: .log), ["2e-5", "5e-5", "1e-4"])
        // One label in e-notation puts the whole log axis in it.
        XCTAssertEqual(TickLabels.labels([5e-4, 1e-3, 2e-3, 5e-3], kind: .log), ["5e-4", "1e-3", "2e-3", "5e-3"])
    }

    func testPowersOfTenOnLogAxes() {
        XCTAssertEqual(TickLabels.labels([0.001, 0.01, 0.1, 1, 10], kind: .log), ["0.001", "0.01", "0.1", "1", "10"])
        XCTAssertEqual(TickLabels.labels([2, 5, 10, 20], kind: .log), ["2", "5", "10", "20"])
        XCTAssertEqual(TickLabels.labels([1e-6, 1e-4, 1e-2, 1], kind: .log), ["10⁻⁶", "10⁻⁴", "10⁻²", "10⁰"])
        XCTAssertEqual(TickLabels.labels([1, 1e10], kind: .log), ["10⁰", "10¹⁰"])
    }
}
