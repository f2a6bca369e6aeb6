import XCTest
@testable import IQPCore

/// `iqp bench --exact` (`ExactStepBenchmark`): the rows it measures and the table it prints (no
/// timing assertions: only that both paths ran on the model asked for).
final class ExactStepBenchmarkTests: XCTestCase {
    func testBothPathsRunAndTheTableNamesThem() throws {
        let c = ExactStepBenchmark.Configuration(nQubits: 6, maxWeight: 3, sigmas: [1], strings: 20, samples: 20)
        let rows = try ExactStepBenchmark.run([c], data: nil, warmup: 0, repetitions: 1, denseLimit: 100)
        XCTAssertEqual(rows.map(\.path), ["exact", "auto:dense"])
        XCTAssertEqual(rows[0].parameters, 6 + 15 + 20)
        XCTAssertNotNil(rows[0].secondsPerStep)
        XCTAssertNotNil(rows[1].secondsPerStep)
        let table = ExactStepBenchmark.table(rows)
        XCTAssertEqual(table.split(separator: "\n").count, 3)
        XCTAssertTrue(table.contains("no estimator noise"), table)
        let skipped = try ExactStepBenchmark.run([c], data: nil, warmup: 0, repetitions: 1, denseLimit: 0)
        XCTAssertNil(skipped[1].secondsPerStep)
        XCTAssertTrue(skipped[1].note.hasPrefix("skipped: predicted"), skipped[1].note)
    }
}
