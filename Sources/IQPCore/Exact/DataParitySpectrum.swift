/// The data side of the exact loss for every Pauli string at once (docs/math.md §10):
///
///     S_a = Σ_{x ∈ data} (−1)^{a·x} = WHT(h)(a),      h(x) = number of rows equal to x,
///
/// one histogram and one fast Walsh–Hadamard transform for all 2ⁿ strings. From it
/// t_a = S_a/N and the unbiased (U-statistic) square (t_a²)_U = (S_a² − N)/(N(N − 1)), the
/// terms `MMDLoss.perStringExact` uses for one string.
///
/// Under several ranks each rank histograms its own rows; one allreduce sums the histograms
/// (once, at construction) and every rank then holds all of S.
public final class DataParitySpectrum: @unchecked Sendable {
    // @unchecked Sendable: `sums` is written only in `init`, then only read.
    /// N, the number of rows over all ranks.
    public let rowCount: Int
    public let nQubits: Int
    /// S_a for a = 0 ..< 2ⁿ.
    let sums: ExactBuffer

    /// - Parameters:
    ///   - shard: this rank's rows (every rank's shards together are the data set).
    ///   - communicator: the ranks that share the data set (collective).
    public init(shard: BitMatrix, nQubits n: Int, communicator: Communicator = LocalCommunicator()) throws {
        guard shard.columns == n else {
            throw IQPError("the data has \(shard.columns) columns but the model has \(n) qubits", field: "data")
        }
        precondition(n <= 62, "the exact path indexes strings by one machine word")
        nQubits = n
        sums = ExactBuffer(count: 1 << n)
        let wpr = shard.wordsPerRow
        for r in 0..<shard.rows { sums[Int(shard.words[r * wpr])] += 1 }
        var total = [Double(shard.rows)]
        communicator.allreduceSum(&total)
        rowCount = Int(total[0])
        communicator.allreduceSum(UnsafeMutableBufferPointer(start: sums.base, count: sums.count))
        ExactVectorLayout.wht(sums.base, totalBits: n, bits: 0..<n)
    }

    /// t_a = S_a/N.
    public func dataTerm(_ a: Int) -> Double { sums[a] / Double(rowCount) }

    /// (t_a²)_U = (S_a² − N)/(N(N − 1)): the unbiased estimate of <Z_a>²_data.
    public func unbiasedSquare(_ a: Int) -> Double {
        let s = sums[a], nd = Double(rowCount)
        return (s * s - nd) / (nd * (nd - 1))
    }

    /// The sums S_a (2ⁿ entries), for loops that read many of them (read only).
    public var values: UnsafeMutablePointer<Double> { sums.base }
}
