import Foundation
import IQPCore
import XCTest

/// The one parallel loop: every index exactly once, chunk sizes respected, and a cancelled
/// loop starts no chunk after the check turns true.
final class ParallelForTests: XCTestCase {
    /// Counts how often each index is visited (every chunk writes its own slots).
    func visits(_ count: Int, minimumChunk: Int, cancelled: (() -> Bool)? = nil) -> (visits: [Int], chunks: [Range<Int>]) {
        var visits = [Int](repeating: 0, count: count)
        let chunks = ChunkLog()
        visits.withUnsafeMutableBufferPointer { buffer in
            let out = SharedPointer(buffer.baseAddress!)
            let body: (Range<Int>) -> Void = { range in
                chunks.append(range)
                for i in range { out.base[i] += 1 }
            }
            if let cancelled {
                parallelFor(count, minimumChunk: minimumChunk, isCancelled: cancelled, body)
            } else {
                parallelFor(count, minimumChunk: minimumChunk, body)
            }
        }
        return (visits, chunks.ranges)
    }

    func testEveryIndexOnce() {
        for (count, minimumChunk) in [(0, 1), (1, 1), (7, 1), (1000, 1), (1000, 300), (1000, 5000), (100_003, 17)] {
            let (v, chunks) = visits(count, minimumChunk: minimumChunk)
            XCTAssertEqual(v, [Int](repeating: 1, count: count), "count \(count)")
            if count > 0 {
                XCTAssertTrue(chunks.allSatisfy { $0.count >= min(count, minimumChunk) }, "count \(count): \(chunks)")
            }
        }
        // A cancellable loop cuts work into at least 64 chunks (when it is long enough).
        let (v, chunks) = visits(10_000, minimumChunk: 1, cancelled: { false })
        XCTAssertEqual(v, [Int](repeating: 1, count: 10_000))
        XCTAssertGreaterThanOrEqual(chunks.count, 64)
        // … and into chunks of at most `maximumChunk` items.
        var counts = [Int](repeating: 0, count: 10_000)
        let log = ChunkLog()
        counts.withUnsafeMutableBufferPointer { buffer in
            let out = SharedPointer(buffer.baseAddress!)
            parallelFor(10_000, maximumChunk: 70, isCancelled: { false }) { range in
                log.append(range)
                for i in range { out.base[i] += 1 }
            }
        }
        XCTAssertEqual(counts, [Int](repeating: 1, count: 10_000))
        XCTAssertTrue(log.ranges.allSatisfy { $0.count <= 70 })
    }

    func testCancelledLoopStopsStartingChunks() {
        let (v, chunks) = visits(10_000, minimumChunk: 1, cancelled: { true })
        XCTAssertEqual(chunks.count, 1)
        XCTAssertEqual(v.reduce(0, +), chunks[0].count)
    }

    /// The thread count honours IQP_NUM_THREADS (read once per process; at least 1).
    func testThreadCountIsPositive() {
        XCTAssertGreaterThanOrEqual(ProcessInfoCache.threadCount, 1)
        if let text = ProcessInfo.processInfo.environment["IQP_NUM_THREADS"], let n = Int(text), n >= 1 {
            XCTAssertEqual(ProcessInfoCache.threadCount, n)
        }
    }

    final class ChunkLog: @unchecked Sendable {
        private let lock = NSLock()
        private var list: [Range<Int>] = []
        func append(_ r: Range<Int>) { lock.withLock { list.append(r) } }
        var ranges: [Range<Int>] { lock.withLock { list } }
    }
}
