import XCTest
import IQPCore

/// `CheckpointSchedule`: the one place that decides when and where root writes a checkpoint.
final class CheckpointScheduleTests: XCTestCase {
    func testPeriodicFinalStopAndDivergence() {
        let schedule = CheckpointSchedule(path: "c.json", every: 3, stopPath: "stop.json")
        let periodic = (1...7).map { schedule.path(completed: $0, signal: .proceed, last: false) }
        XCTAssertEqual(periodic, [nil, nil, "c.json", nil, nil, "c.json", nil])
        XCTAssertEqual(schedule.path(completed: 7, signal: .proceed, last: true), "c.json", "the final checkpoint")
        XCTAssertEqual(schedule.path(completed: 4, signal: .converged, last: false), "c.json")
        XCTAssertEqual(schedule.path(completed: 4, signal: .stopRequested, last: false), "stop.json")
        XCTAssertNil(schedule.path(completed: 3, signal: .diverged, last: true), "never checkpoint a diverged state")
    }

    func testWithoutPeriodOnlyTheEndAndWithoutPathNothing() {
        let final = CheckpointSchedule(path: "c.json", every: 0, stopPath: nil)
        XCTAssertNil(final.path(completed: 5, signal: .proceed, last: false))
        XCTAssertEqual(final.path(completed: 5, signal: .proceed, last: true), "c.json")
        XCTAssertEqual(final.path(completed: 2, signal: .converged, last: false), "c.json")
        XCTAssertEqual(final.path(completed: 2, signal: .stopRequested, last: false), "c.json", "stop falls back to the path")
        let none = CheckpointSchedule(path: nil, every: 0, stopPath: nil)
        for signal in StopSignal.allCases { XCTAssertNil(none.path(completed: 1, signal: signal, last: true)) }
    }

    func testOptionsSetTheSchedule() {
        let options = TrainingOptions(steps: 10, learningRate: 0.1, checkpointPath: "a.json", checkpointEvery: 4)
        XCTAssertEqual(CheckpointSchedule(options), CheckpointSchedule(path: "a.json", every: 4, stopPath: nil))
    }
}
