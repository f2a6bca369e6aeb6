import IQPPlot
import XCTest

/// Tick choice on linear and log axes, over ordinary, tiny and huge ranges.
final class NiceTicksTests: XCTestCase {
    func testNiceStepRoundsUpToOneTwoTwoAndAHalfOrFive() {
        XCTAssertEqual(NiceTicks.niceStep(0.13), 0.2, accuracy: 1e-15)
        XCTAssertEqual(NiceTicks.niceStep(2.2), 2.5)
        XCTAssertEqual(NiceTicks.niceStep(3), 5)
        XCTAssertEqual(NiceTicks.niceStep(7), 10)
        XCTAssertEqual(NiceTicks.niceStep(1000), 1000)
        XCTAssertEqual(NiceTicks.niceStep(4.2e-9), 5e-9, accuracy: 1e-22)
    }

    func testLinearTicksAreMultiplesOfTheStepInsideTheRange() {
        XCTAssertEqual(NiceTicks.linear(lower: 0, upper: 1, count: 5).major, [0, 0.2, 0.4, 0.6, 0.8, 1])
        XCTAssertEqual(NiceTicks.linear(lower: -0.05, upper: 7.3, count: 5).major, [0, 2, 4, 6])
        XCTAssertEqual(NiceTicks.linear(lower: -3.2, upper: -0.9, count: 3).major, [-3, -2, -1])
        XCTAssertEqual(NiceTicks.linear(lower: -3.2, upper: -0.9, count: 5).major, [-3, -2.5, -2, -1.5, -1])
        // A tick at zero is exactly zero, not −1e-17.
        let around = NiceTicks.linear(lower: -0.3, upper: 0.7, count: 5).major
        XCTAssertTrue(around.contains(0), "\(around)")
    }

    func testTinyAndHugeLinearRanges() {
        let tiny = NiceTicks.linear(lower: 1.0000001, upper: 1.0000005, count: 4).major
        XCTAssertEqual(tiny, [1.0000001, 1.0000002, 1.0000003, 1.0000004, 1.0000005])
        XCTAssertEqual(TickLabels.labels(tiny, kind: .linear).first, "1.0000001")

        XCTAssertEqual(NiceTicks.linear(lower: 0, upper: 1e12, count: 5).major, [0, 2e11, 4e11, 6e11, 8e11, 1e12])
        let huge = NiceTicks.linear(lower: -1.7e308, upper: 1.7e308, count: 5).major
        XCTAssertTrue(huge.allSatisfy(\.isFinite))
        XCTAssertGreaterThanOrEqual(huge.count, 3)
        XCTAssertTrue(huge.contains(0))
    }

    func testLinearTicksAreAtLeastTwoWhateverTheCount() {
        for (lo, hi) in [(0.9, 1.1), (3.0, 3.001), (-1e-300, 1e-300)] {
            for count in [1, 2, 3] {
                XCTAssertGreaterThanOrEqual(NiceTicks.linear(lower: lo, upper: hi, count: count).major.count, 2, "\(lo) \(hi) \(count)")
            }
        }
    }

    func testLogTicksLabelDecadesWithMinorTicksBetween() {
        let ticks = NiceTicks.log(lower: 1e-5, upper: 1.2, count: 8)
        XCTAssertEqual(ticks.major, [1e-5, 1e-4, 1e-3, 1e-2, 0.1, 1])
        XCTAssertEqual(ticks.minor.count, 5 * 8)      // 2…9 × 10^k in each decade below 1
        XCTAssertTrue(ticks.minor.contains(2e-5) && ticks.minor.contains(9e-2))
    }

    func testLogTicksOverManyDecadesLabelEveryFewDecades() {
        let ticks = NiceTicks.log(lower: 1e-30, upper: 1e30, count: 6)
        XCTAssertEqual(ticks.major, [1e-22, 1e-11, 1, 1e11, 1e22])
        XCTAssertEqual(ticks.minor.count, 61 - 5)     // the other decades
        XCTAssertEqual(TickLabels.labels(ticks.major, kind: .log), ["10⁻²²", "10⁻¹¹", "10⁰", "10¹¹", "10²²"])
    }

    func testShortLogAxesUseOneTwoFiveThenLinearTicks() {
        XCTAssertEqual(NiceTicks.log(lower: 1.5, upper: 30, count: 6).major, [2, 5, 10, 20])
        XCTAssertEqual(NiceTicks.log(lower: 1.1, upper: 1.9, count: 5).major, [1.2, 1.4, 1.6, 1.8])
        let single = ScaleDomain.fit([0.02], kind: .log)   // one value: half a decade each side
        XCTAssertEqual(NiceTicks.log(lower: single.lower, upper: single.upper, count: 5).major, [0.01, 0.02, 0.05])
    }

    func testPowersOfTwo() {
        XCTAssertTrue(NiceTicks.arePowersOfTwo([1, 2, 4, 8, 8]))
        XCTAssertFalse(NiceTicks.arePowersOfTwo([1, 2, 3]))
        XCTAssertFalse(NiceTicks.arePowersOfTwo([4, 4]))
        XCTAssertFalse(NiceTicks.arePowersOfTwo([0.5, 1]))
        XCTAssertEqual(NiceTicks.powersOfTwo(spanning: [8, 1024, 64]), [8, 16, 32, 64, 128, 256, 512, 1024])
    }
}
