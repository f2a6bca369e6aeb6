/// How the ranks of a communicator share the work on the 2ⁿ-entry vectors of the exact path
/// (docs/math.md §10): every rank holds the whole vectors (replicated), and the work on them
/// is split by blocks of indices.
///
/// The index y = (y_hi, y_lo) is cut into its top k bits and its low n − k bits, with
/// 2^k ≥ ranks (k = 0 on one rank). Block b = {y : y_hi = b} holds 2^{n−k} consecutive entries
/// and belongs to rank b mod ranks. A Walsh–Hadamard transform is the transform along the low
/// bits followed by the one along the high bits (they commute), so a vector of which each rank
/// has computed only its own blocks is transformed by
///
/// 1. the low-bit transform of every own block (the split work: 1/ranks of it per rank),
/// 2. one allreduce of the whole vector (each rank contributes its blocks, zeros elsewhere),
/// 3. the high-bit transform of the whole vector (k passes, replicated on every rank),
///
/// and every rank then holds the full result. Elementwise work is done on own blocks only.
/// On one rank this is the plain transform, with no copies and no communication.
public struct ExactVectorLayout: Sendable {
    public let nQubits: Int
    public let communicator: Communicator
    /// k: the number of high index bits that number the blocks.
    public let blockBits: Int
    /// 2^{n−k}: entries per block.
    public let blockLength: Int
    /// The blocks of this rank, ascending.
    public let ownBlocks: [Int]

    public init(nQubits: Int, communicator: Communicator) {
        self.nQubits = nQubits
        self.communicator = communicator
        var k = 0
        while (1 << k) < communicator.size && k < nQubits { k += 1 }
        self.blockBits = k
        self.blockLength = 1 << (nQubits - k)
        let rank = communicator.rank, size = communicator.size
        self.ownBlocks = Array(stride(from: rank, to: 1 << k, by: size))
    }

    /// 2ⁿ: entries of a full vector.
    public var count: Int { 1 << nQubits }

    /// The index ranges of this rank's blocks.
    public var ownRanges: [Range<Int>] {
        ownBlocks.map { ($0 * blockLength)..<(($0 + 1) * blockLength) }
    }

    /// Runs `body` on every own range, in parallel pieces when the vectors are large. `body`
    /// must write only the entries of the range it is given.
    public func forEachOwnRange(_ body: @Sendable (Range<Int>) -> Void) {
        _ = sumOverOwnRanges(components: 0) { range, _ in body(range) }
    }

    /// Σ over the own ranges of `components` sums at once: `body(range, partial)` adds its
    /// range's contributions into partial[0 ..< components]. The pieces are fixed (not set by
    /// thread timing), so the result is the same on every run.
    public func sumOverOwnRanges(components: Int,
                                 _ body: @Sendable (Range<Int>, UnsafeMutablePointer<Double>) -> Void) -> [Double] {
        let pieces = count >= 1 << 15 ? 64 : 1
        let ranges = ownRanges
        guard !ranges.isEmpty else { return [Double](repeating: 0, count: components) }
        let perBlock = max(1, pieces / ranges.count)
        let tasks = ranges.count * perBlock
        var partials = [Double](repeating: 0, count: max(1, tasks * components))
        partials.withUnsafeMutableBufferPointer { buffer in
            let out = SharedPointer(buffer.baseAddress!)   // task t writes only its own slots
            Parallel.forEach(tasks, parallel: pieces > 1) { task in
                let range = ranges[task / perBlock]
                let part = Parallel.range(task % perBlock, of: perBlock, total: range.count)
                body((range.lowerBound + part.lowerBound)..<(range.lowerBound + part.upperBound),
                     out.base + task * components)
            }
        }
        var total = [Double](repeating: 0, count: components)
        for t in 0..<tasks { for c in 0..<components { total[c] += partials[t * components + c] } }
        return total
    }

    /// Transforms a real vector (2ⁿ Doubles) of which only the own blocks are valid; afterwards
    /// every rank holds the whole unnormalised transform.
    public func transformReal(_ data: UnsafeMutablePointer<Double>) {
        transform(data, scalarsPerEntry: 1)
    }

    /// Transforms a complex vector stored interleaved (re, im: 2·2ⁿ Doubles) of which only the
    /// own blocks are valid; afterwards every rank holds the whole unnormalised transform.
    public func transformComplex(_ data: UnsafeMutablePointer<Double>) {
        transform(data, scalarsPerEntry: 2)
    }

    /// The low-bit transform of every own block only (no communication). Entry y_lo of block b
    /// then holds Σ_{y' in block b} (−1)^{y_lo·y'_lo} x(y'); the full transform at index y is the
    /// sum over blocks b of (−1)^{popcount(y_hi & b)} times that (see `gather`).
    public func transformOwnBlocksLow(_ data: UnsafeMutablePointer<Double>) {
        let lowBits = nQubits - blockBits
        for b in ownBlocks {
            ExactVectorLayout.wht(data + b * blockLength, totalBits: lowBits, bits: 0..<lowBits)
        }
    }

    /// After `transformOwnBlocksLow`: this rank's share of the full real transform at each index
    /// in `indices`, Σ_{own b} (−1)^{popcount(y_hi & b)}·data[b·2^{n−k} + y_lo]. Summed over
    /// ranks it is the transform itself.
    public func gather(_ data: UnsafePointer<Double>, at indices: [Int]) -> [Double] {
        let lowBits = nQubits - blockBits, lowMask = blockLength - 1
        return indices.map { y in
            var s = 0.0
            for b in ownBlocks {
                let v = data[b * blockLength + (y & lowMask)]
                s += ((y >> lowBits) & b).nonzeroBitCount & 1 == 0 ? v : -v
            }
            return s
        }
    }

    func transform(_ data: UnsafeMutablePointer<Double>, scalarsPerEntry c: Int) {
        let cBits = c == 2 ? 1 : 0
        let lowBits = nQubits - blockBits
        let size = communicator.size
        if size > 1 { zeroOtherBlocks(data, scalarsPerEntry: c) }
        for b in ownBlocks {
            ExactVectorLayout.wht(data + b * blockLength * c, totalBits: lowBits + cBits,
                                         bits: cBits..<(lowBits + cBits))
        }
        guard size > 1 else { return }
        communicator.allreduceSum(UnsafeMutableBufferPointer(start: data, count: count * c))
        ExactVectorLayout.wht(data, totalBits: nQubits + cBits, bits: (lowBits + cBits)..<(nQubits + cBits))
    }

    /// The project's FWHT; without a cancellation hook it cannot fail.
    @inline(__always)
    static func wht(_ data: UnsafeMutablePointer<Double>, totalBits: Int, bits: Range<Int>) {
        do { try WalshHadamard.transform(data, totalBits: totalBits, bits: bits) }
        catch { preconditionFailure("a Walsh–Hadamard transform without a cancellation hook was cancelled") }
    }

    func zeroOtherBlocks(_ data: UnsafeMutablePointer<Double>, scalarsPerEntry c: Int) {
        let own = Set(ownBlocks)
        for b in 0..<(1 << blockBits) where !own.contains(b) {
            (data + b * blockLength * c).update(repeating: 0, count: blockLength * c)
        }
    }
}
