import IQPPlot
import XCTest

/// Value → pixel maps and the domains fitted to data.
final class ScaleTests: XCTestCase {
    func testLinearAndLogScalesMapValuesToPixels() {
        let linear = AxisScale(kind: .linear, lower: -1, upper: 3, start: 100, end: 500)
        XCTAssertEqual(linear.pixel(-1), 100)
        XCTAssertEqual(linear.pixel(0), 200)
        XCTAssertEqual(linear.pixel(3), 500)
        XCTAssertEqual(linear.pixel(4), 600)          // outside: still mapped (clipped when drawn)
        XCTAssertNil(linear.pixel(.nan))
        XCTAssertNil(linear.pixel(.infinity))

        let y = AxisScale(kind: .log, lower: 1e-4, upper: 1, start: 400, end: 0)   // y: upwards
        XCTAssertEqual(y.pixel(1e-4)!, 400, accuracy: 1e-9)
        XCTAssertEqual(y.pixel(1e-2)!, 200, accuracy: 1e-9)
        XCTAssertEqual(y.pixel(1)!, 0, accuracy: 1e-9)
        XCTAssertNil(y.pixel(0))
        XCTAssertNil(y.pixel(-1e-3))
        XCTAssertTrue(y.contains(0.5))
        XCTAssertFalse(y.contains(2))
    }

    func testLinearScaleDoesNotOverflowOnTheWidestDomain() {
        let wide = AxisScale(kind: .linear, lower: -Double.greatestFiniteMagnitude, upper: .greatestFiniteMagnitude,
                             start: 0, end: 1000)
        XCTAssertEqual(wide.pixel(0)!, 500, accuracy: 1e-9)
        XCTAssertEqual(wide.pixel(.greatestFiniteMagnitude)!, 1000, accuracy: 1e-9)
    }

    func testFittedDomainsPadFivePercent() {
        let d = ScaleDomain.fit([2, 12, 7], kind: .linear)
        XCTAssertEqual(d.lower, 1.5, accuracy: 1e-12)
        XCTAssertEqual(d.upper, 12.5, accuracy: 1e-12)
        let log = ScaleDomain.fit([1e-3, 10], kind: .log)
        XCTAssertEqual(log10(log.lower), -3.2, accuracy: 1e-12)
        XCTAssertEqual(log10(log.upper), 1.2, accuracy: 1e-12)
        // includeZero reaches 0 without padding below it.
        let zero = ScaleDomain.fit([0.5, 1.8], kind: .linear, includeZero: true)
        XCTAssertEqual(zero.lower, 0)
        XCTAssertEqual(zero.upper, 1.8 + 0.09, accuracy: 1e-12)
    }

    func testSinglePointsEmptyDataAndUnshowableValues() {
        XCTAssertTrue(ScaleDomain.fit([], kind: .linear) == (0, 1))
        XCTAssertTrue(ScaleDomain.fit([], kind: .log) == (1, 10))
        XCTAssertTrue(ScaleDomain.fit([0], kind: .linear) == (-1, 1))
        let one = ScaleDomain.fit([5], kind: .linear)
        XCTAssertEqual(one.lower, 4.5, accuracy: 1e-12)
        XCTAssertEqual(one.upper, 5.5, accuracy: 1e-12)
        // A spread below 1e-10 of the magnitude is one value.
        let flat = ScaleDomain.fit([1, 1 + 1e-12], kind: .linear)
        XCTAssertEqual(flat.lower, 0.9, accuracy: 1e-9)
        // NaN and ±inf are ignored; so are values ≤ 0 on a log scale.
        let finite = ScaleDomain.fit([.nan, 1, .infinity, 3, -.infinity], kind: .linear)
        XCTAssertEqual(finite.lower, 0.9, accuracy: 1e-12)
        XCTAssertEqual(finite.upper, 3.1, accuracy: 1e-12)
        let positive = ScaleDomain.fit([-5, 0, 100], kind: .log)
        XCTAssertEqual(positive.lower, 100 / 10.0.squareRoot(), accuracy: 1e-9)
        // The extreme doubles give a finite domain.
        let extreme = ScaleDomain.fit([-Double.greatestFiniteMagnitude, .greatestFiniteMagnitude], kind: .linear)
        XCTAssertTrue(extreme.lower.isFinite && extreme.upper.isFinite && extreme.lower < extreme.upper)
        let tiny = ScaleDomain.fit([Double.leastNonzeroMagnitude, 1e-300], kind: .log)
        XCTAssertTrue(tiny.lower > 0 && tiny.lower < tiny.upper)
        // Subnormal and extreme single values still give an interval with room in it.
        for values in [[Double.leastNonzeroMagnitude], [2 * .leastNonzeroMagnitude, 3 * .leastNonzeroMagnitude],
                       [.greatestFiniteMagnitude], [-.greatestFiniteMagnitude]] {
            for kind in [ScaleKind.linear, .log] {
                let d = ScaleDomain.fit(values, kind: kind)
                XCTAssertTrue(d.lower < d.upper && d.upper / 2 - d.lower / 2 > 0 && (kind == .linear || d.lower > 0),
                              "\(values) \(kind): \(d)")
                let ticks = kind == .linear ? NiceTicks.linear(lower: d.lower, upper: d.upper, count: 5)
                                            : NiceTicks.log(lower: d.lower, upper: d.upper, count: 5)
                XCTAssertGreaterThanOrEqual(ticks.major.count, 2, "\(values) \(kind)")
                XCTAssertTrue(ticks.major.allSatisfy(\.isFinite))
            }
        }
    }
}
