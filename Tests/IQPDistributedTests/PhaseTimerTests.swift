import IQPCore
import XCTest
import IQPTestSupport

final class PhaseTimerTests: XCTestCase {
    func testMeasureAndAddAccumulatePerPhase() {
        var timer = PhaseTimer()
        let value = timer.measure(.sampling) { 41 + 1 }
        XCTAssertEqual(value, 42)
        XCTAssertGreaterThanOrEqual(timer[.sampling], 0)
        timer.add(0.25, to: .optimizer)
        timer.add(0.5, to: .optimizer)
        XCTAssertEqual(timer[.optimizer], 0.75)
        XCTAssertEqual(timer[.reductions], 0)
        XCTAssertEqual(timer[.io], 0)
        XCTAssertGreaterThanOrEqual(timer.total, timer[.sampling])
    }

    /// The clock behind every timing never runs backwards.
    func testStopwatchIsMonotonic() {
        let stopwatch = Stopwatch()
        var last = 0.0
        for _ in 0..<1000 {
            let now = stopwatch.seconds
            XCTAssertGreaterThanOrEqual(now, last)
            last = now
        }
    }

    func testMeasureRecordsTimeWhenTheBodyThrows() {
        var timer = PhaseTimer()
        timer.add(1, to: .io)
        XCTAssertThrowsError(try timer.measure(.io) { throw IQPError("disk full") })
        XCTAssertGreaterThanOrEqual(timer[.io], 1)
    }

    func testGatheredOnRootInRankOrder() throws {
        let results = try ThreadCommunicator.run(ranks: 3) { comm in
            var timer = PhaseTimer()
            timer.add(Double(comm.rank) + 0.5, to: .localCompute)
            timer.add(Double(10 * comm.rank), to: .broadcast)
            return timer.gathered(on: comm, root: 0)
        }
        XCTAssertEqual(results[1], [])
        XCTAssertEqual(results[2], [])
        XCTAssertEqual(results[0].count, 3)
        for (rank, row) in results[0].enumerated() {
            XCTAssertEqual(row.count, Phase.allCases.count + 1)
            XCTAssertEqual(Array(row.prefix(Phase.allCases.count)), [0, Double(rank) + 0.5, 0, 0, Double(10 * rank), 0])
            XCTAssertGreaterThanOrEqual(row.last!, 0)
        }
    }

    func testCSVFormat() {
        let csv = PhaseTimer.csv(gathered: [[0.0125, 1, 0, 0, 0, 0, 1.25], [0, 2.5, 1e-7, 0, 0.000_000_6, 0, 3]], steps: 100)
        XCTAssertEqual(csv, """
            rank,phase,seconds,steps
            0,sampling,0.012500,100
            0,local_compute,1.000000,100
            0,reductions,0.000000,100
            0,optimizer,0.000000,100
            0,broadcast,0.000000,100
            0,io,0.000000,100
            0,total,1.250000,100
            1,sampling,0.000000,100
            1,local_compute,2.500000,100
            1,reductions,0.000000,100
            1,optimizer,0.000000,100
            1,broadcast,0.000001,100
            1,io,0.000000,100
            1,total,3.000000,100

            """)
    }

    func testCSVNotesComeFirstOnePerLine() {
        let csv = PhaseTimer.csv(gathered: [[0, 0, 0, 0, 0, 0, 1]], steps: 2, notes: ["BLAS: OpenBLAS 0.3.21", "two\nlines"])
        let lines = csv.split(separator: "\n").map(String.init)
        XCTAssertEqual(Array(lines.prefix(3)), ["# BLAS: OpenBLAS 0.3.21", "# two lines", "rank,phase,seconds,steps"])
        XCTAssertEqual(lines.count, 3 + Phase.allCases.count + 1)
    }

    /// The total ends at the first `stop()`: the 20 ms slept after it are not in it, whatever
    /// the machine's load (an outer clock started before the timer bounds it).
    func testStoppedTimerKeepsItsTotal() {
        let outer = Stopwatch()
        var timer = PhaseTimer()
        timer.stop()
        let total = timer.total
        usleep(20_000)
        XCTAssertEqual(timer.total, total)
        timer.stop()                               // a second stop keeps the first
        XCTAssertEqual(timer.total, total)
        XCTAssertLessThanOrEqual(total, outer.seconds - 0.02)
    }
}
