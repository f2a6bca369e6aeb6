import Foundation
import XCTest
@testable import IQPCore

/// After `LargeAllocations.keepInProcess()`, a freed 128 MiB block is reused by the next
/// allocation of that size without faulting its pages in again (what made n = 10,000 steps slow).
final class LargeAllocationsTests: XCTestCase {
    func minorFaults() -> Int {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return usage.ru_minflt
    }

    /// Minor page faults while allocating, touching and freeing `count` doubles.
    func faultsOfOneBlock(_ count: Int) -> Int {
        let before = minorFaults()
        let block = UnsafeMutablePointer<Double>.allocate(capacity: count)
        block.update(repeating: 1, count: count)
        XCTAssertEqual(block[count - 1], 1)
        block.deallocate()
        return minorFaults() - before
    }

    func testFreedLargeBlocksAreReusedWithoutPageFaults() throws {
        #if !canImport(Glibc)
        throw XCTSkip("glibc only")
        #else
        XCTAssertTrue(LargeAllocations.keepInProcess())
        let count = 16 << 20                      // 128 MiB: 32,768 pages of 4 KiB
        _ = faultsOfOneBlock(count)               // the heap grows once
        let again = faultsOfOneBlock(count)
        XCTAssertLessThan(again, 1000, "the second 128 MiB block faulted \(again) pages in again")
        #endif
    }
}
