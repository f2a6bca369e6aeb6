import IQPCore

/// A check that every collective the trainer uses works on a communicator, with exact
/// expected values: `iqp info check-collectives` runs it under `mpirun` to see that the
/// ranks of a job can talk (and tests run it on `ThreadCommunicator`).
///
/// Rank r contributes values built from r; with n ranks the sums are n(n+1)/2 etc., exact in
/// Double and Int64. The grid's row and column communicators are checked the same way.
public enum CommunicatorSelfTest {
    /// What one rank found.
    public struct Outcome: Equatable, Sendable {
        /// This rank's failed checks, each naming the rank and the values it got.
        public var localFailures: [String]
        /// The number of failed checks over all ranks (the same on every rank).
        public var totalFailures: Int
    }

    /// Collective: runs every check on every rank of `communicator`, then sums the failures.
    /// `grid` (all ranks must pass the same one) defaults to the squarest grid of the job's
    /// size, so both its row and column communicators have more than one rank when possible.
    public static func run(on communicator: Communicator, grid: ProcessGrid? = nil) -> Outcome {
        let grid = grid ?? squarestGrid(size: communicator.size)
        let n = communicator.size, rank = communicator.rank
        var failures: [String] = []
        func expect(_ condition: Bool, _ what: @autoclosure () -> String) {
            if !condition { failures.append("rank \(rank): \(what())") }
        }

        var sums = [Double(rank + 1), 1]
        communicator.allreduceSum(&sums)
        expect(sums == [Double(n * (n + 1) / 2), Double(n)], "allreduceSum(Double) gave \(sums)")

        var counts = [Int64(rank), Int64(1) << 40]
        communicator.allreduceSum(&counts)
        expect(counts == [Int64(n * (n - 1) / 2), Int64(n) << 40], "allreduceSum(Int64) gave \(counts)")

        var maximum = [Double(rank), -Double(rank)]
        communicator.allreduceMax(&maximum)
        expect(maximum == [Double(n - 1), 0], "allreduceMax gave \(maximum)")

        var reduced = [Double(rank * rank)]
        communicator.reduceSum(&reduced, root: 0)
        if rank == 0 {
            let expected = (0..<n).reduce(0) { $0 + $1 * $1 }
            expect(reduced == [Double(expected)], "reduceSum gave \(reduced), expected \(expected)")
        }

        var shared = rank == n - 1 ? [Double(1000 + n), 0.5] : [-1, -1]
        communicator.broadcast(&shared, root: n - 1)
        expect(shared == [Double(1000 + n), 0.5], "broadcast(Double) gave \(shared)")

        var sharedIntegers = rank == 0 ? [Int64(7), Int64(n)] : [0, 0]
        communicator.broadcast(&sharedIntegers, root: 0)
        expect(sharedIntegers == [7, Int64(n)], "broadcast(Int64) gave \(sharedIntegers)")

        let gathered = communicator.gather([Double(rank), Double(10 * rank)], root: 0)
        let expectedGather = (0..<n).flatMap { [Double($0), Double(10 * $0)] }
        expect(gathered == (rank == 0 ? expectedGather : []), "gather gave \(gathered)")

        failures += unevenBlockFailures(on: communicator)

        if grid.size == n {
            let (row, column) = grid.coordinates(of: rank)
            let rowCommunicator = grid.rowCommunicator(of: communicator)
            var rowSum = [Double(rank)]
            rowCommunicator.allreduceSum(&rowSum)
            let expectedRow = (0..<grid.columns).reduce(0) { $0 + grid.rank(row: row, column: $1) }
            expect(rowCommunicator.size == grid.columns && rowCommunicator.rank == column
                   && rowSum == [Double(expectedRow)], "row communicator: rank \(rowCommunicator.rank) of \(rowCommunicator.size), sum \(rowSum)")

            let columnCommunicator = grid.columnCommunicator(of: communicator)
            var columnSum = [Double(rank)]
            columnCommunicator.allreduceSum(&columnSum)
            let expectedColumn = (0..<grid.rows).reduce(0) { $0 + grid.rank(row: $1, column: column) }
            expect(columnCommunicator.size == grid.rows && columnCommunicator.rank == row
                   && columnSum == [Double(expectedColumn)], "column communicator: rank \(columnCommunicator.rank) of \(columnCommunicator.size), sum \(columnSum)")
        } else {
            expect(false, "grid \(grid) does not have \(n) ranks")
        }
        communicator.barrier()

        var total = [Int64(failures.count)]
        communicator.allreduceSum(&total)
        return Outcome(localFailures: failures, totalFailures: Int(total[0]))
    }

    /// `reduceScatterSum` and `allgather` with uneven blocks (rank r has r mod 3 values, some
    /// none), as the sharded optimizer uses them; this rank's failed checks.
    static func unevenBlockFailures(on communicator: Communicator) -> [String] {
        let n = communicator.size, rank = communicator.rank
        let counts = (0..<n).map { $0 % 3 }
        let total = counts.reduce(0, +), start = counts[0..<rank].reduce(0, +), rankSum = n * (n - 1) / 2
        let values: [Double] = (0..<total).map { Double(rank + $0) }
        let scattered = communicator.reduceScatterSum(values, counts: counts)
        let expectedScatter: [Double] = (start..<(start + counts[rank])).map { Double(rankSum + n * $0) }
        let mine: [Double] = (0..<counts[rank]).map { Double(100 * rank + $0) }
        let everyone = communicator.allgather(mine, counts: counts)
        var expectedAll: [Double] = []
        for r in 0..<n { for i in 0..<counts[r] { expectedAll.append(Double(100 * r + i)) } }
        var failures: [String] = []
        if scattered != expectedScatter {
            failures.append("rank \(rank): reduceScatterSum gave \(scattered), expected \(expectedScatter)")
        }
        if everyone != expectedAll { failures.append("rank \(rank): allgather gave \(everyone)") }
        return failures
    }

    /// rows × columns = size with rows the largest divisor of size not above √size.
    public static func squarestGrid(size: Int) -> ProcessGrid {
        let rows = (1...size).last { size % $0 == 0 && $0 * $0 <= size }!
        return try! ProcessGrid(size: size, rows: rows, columns: size / rows)
    }
}
