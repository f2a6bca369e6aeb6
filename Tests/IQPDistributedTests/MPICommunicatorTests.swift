import IQPCore
import IQPMPI
import XCTest
import IQPTestSupport

/// MPI inside the test process: one rank (singleton MPI_Init, no mpirun). MPI is initialised
/// once, on first use of `MPIRuntime.world`, and never finalised here.
final class MPICommunicatorTests: XCTestCase {
    func testSingletonWorld() {
        let world = MPIRuntime.world
        XCTAssertTrue(MPIRuntime.isInitialized)
        XCTAssertFalse(MPIRuntime.isFinalized)
        XCTAssertTrue(world === MPIRuntime.world, "initialised once")
        XCTAssertEqual(world.rank, 0)
        XCTAssertEqual(world.size, 1)
        XCTAssertTrue(MPIRuntime.threadLevelIsSufficient)
    }

    func testLibraryVersionNamesOpenMPI() {
        XCTAssertTrue(MPIRuntime.libraryVersion.hasPrefix("Open MPI v"), MPIRuntime.libraryVersion)
        XCTAssertFalse(MPIRuntime.libraryVersion.contains("\n"))
        XCTAssertEqual(MPIRuntime.standardVersion, "3.1")
    }

    func testCollectivesOnOneRankAreTheIdentity() {
        let world = MPIRuntime.world
        var doubles = [1.5, -2, 1e300]
        world.allreduceSum(&doubles)
        XCTAssertEqual(doubles, [1.5, -2, 1e300])
        world.allreduceMax(&doubles)
        XCTAssertEqual(doubles, [1.5, -2, 1e300])
        world.reduceSum(&doubles, root: 0)
        XCTAssertEqual(doubles, [1.5, -2, 1e300])
        world.broadcast(&doubles, root: 0)
        XCTAssertEqual(doubles, [1.5, -2, 1e300])
        var integers: [Int64] = [Int64.max, -1]
        world.allreduceSum(&integers)
        XCTAssertEqual(integers, [Int64.max, -1])
        world.broadcast(&integers, root: 0)
        XCTAssertEqual(integers, [Int64.max, -1])
        XCTAssertEqual(world.gather([4, 5], root: 0), [4, 5])
        XCTAssertEqual(world.gather([], root: 0), [])
        var empty: [Double] = []
        world.allreduceSum(&empty)
        world.barrier()
    }

    func testSplitGivesAOneRankCommunicator() {
        let child = MPIRuntime.world.split(color: 3, key: 0)
        XCTAssertEqual(child.rank, 0)
        XCTAssertEqual(child.size, 1)
        var values = [2.0]
        child.allreduceSum(&values)
        XCTAssertEqual(values, [2.0])
    }

    func testSelfTestPassesOnMPIAndOnThreads() throws {
        XCTAssertEqual(CommunicatorSelfTest.run(on: MPIRuntime.world).totalFailures, 0)
        for ranks in 1...6 {
            let outcomes = try ThreadCommunicator.run(ranks: ranks) { CommunicatorSelfTest.run(on: $0) }
            XCTAssertEqual(outcomes.map(\.totalFailures), Array(repeating: 0, count: ranks), "\(ranks) ranks")
        }
        XCTAssertEqual(CommunicatorSelfTest.squarestGrid(size: 6).description, "2x3")
        XCTAssertEqual(CommunicatorSelfTest.squarestGrid(size: 7).description, "1x7")
        XCTAssertEqual(CommunicatorSelfTest.squarestGrid(size: 16).description, "4x4")
    }

    func testSelfTestDetectsAWrongGrid() throws {
        let grid = try ProcessGrid(size: 2, rows: 1, columns: 2)
        let outcomes = try ThreadCommunicator.run(ranks: 3) { CommunicatorSelfTest.run(on: $0, grid: grid) }
        XCTAssertEqual(outcomes.map(\.totalFailures), [3, 3, 3])
    }
}
