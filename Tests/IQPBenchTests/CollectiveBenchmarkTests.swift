import Foundation
import IQPBench
import IQPCore
import IQPTestSupport
import XCTest

/// `iqp info measure-collectives`: the α–β fit recovers known latencies and bandwidths, the
/// measurement runs every collective on threads (the command under mpirun: IQPDistributedTests.InfoCommandTests).
final class CollectiveBenchmarkTests: XCTestCase {
    func points(_ operation: CollectiveBenchmark.Operation, alpha: Double, beta: Double,
                noise: (Int) -> Double = { _ in 1 }) -> [CollectiveBenchmark.Point] {
        CollectiveBenchmark.sizes(maxBytes: 1 << 26).enumerated().map { index, bytes in
            .init(operation: operation, bytes: bytes, seconds: (alpha + beta * Double(bytes)) * noise(index), repetitions: 3)
        }
    }

    func testFitRecoversAlphaAndBeta() {
        let exact = points(.allreduce, alpha: 3e-6, beta: 2e-10) + points(.broadcast, alpha: 40e-6, beta: 8e-10)
        let fits = CollectiveBenchmark.fit(exact)
        XCTAssertEqual(fits.map(\.operation), [.allreduce, .broadcast])
        XCTAssertEqual(fits[0].alpha, 3e-6, accuracy: 3e-6 * 1e-9)
        XCTAssertEqual(fits[0].beta, 2e-10, accuracy: 2e-10 * 1e-9)
        XCTAssertEqual(fits[1].alpha, 40e-6, accuracy: 40e-6 * 1e-9)
        XCTAssertEqual(fits[1].predict(bytes: 1000), 40e-6 + 8e-7, accuracy: 1e-15)
        // ±10 % alternating noise moves α and β by about that much, not by orders of magnitude.
        let noisy = CollectiveBenchmark.fit(points(.reduce, alpha: 3e-6, beta: 2e-10) { $0 % 2 == 0 ? 1.1 : 0.9 })[0]
        XCTAssertEqual(noisy.alpha, 3e-6, accuracy: 0.5e-6)
        XCTAssertEqual(noisy.beta, 2e-10, accuracy: 0.3e-10)
    }

    func testMeasureRunsEveryCollectiveOnThreads() throws {
        let sizes = CollectiveBenchmark.sizes(maxBytes: 1024)
        XCTAssertEqual(sizes, [8, 16, 32, 64, 128, 256, 512, 1024])
        let results = try ThreadCommunicator.run(ranks: 3) { comm in
            CollectiveBenchmark.measure(on: comm, sizes: sizes, budget: 0.001)
        }
        XCTAssertEqual(results[0].count, 5 * sizes.count)
        XCTAssertEqual(results[0].map(\.bytes), results[2].map(\.bytes))
        XCTAssertTrue(results[0].allSatisfy { $0.seconds > 0 && $0.repetitions >= 3 }, "\(results[0])")
        // The slowest rank's time: the same number on every rank.
        XCTAssertEqual(results[0].map(\.seconds), results[1].map(\.seconds))
        let csv = CollectiveBenchmark.csv(results[0], fits: CollectiveBenchmark.fit(results[0]), ranks: 3)
        let lines = csv.split(separator: "\n")
        XCTAssertEqual(lines.first, "collective,bytes,ranks,seconds,repetitions,model_seconds")
        XCTAssertEqual(lines.count, 1 + 5 * sizes.count)
        XCTAssertTrue(lines[1].hasPrefix("allreduce,8,3,"), String(lines[1]))
    }
}
