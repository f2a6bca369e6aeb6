#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Single-spin-flip Metropolis sampling of an `IsingModel` with independent chains.
///
/// One proposal picks a spin i uniformly at random and flips it with probability
/// min(1, exp(−ΔE/T)), ΔE = 2 s_i (Σ_j J_ij s_j + b_i); a *sweep* is n proposals (the
/// reference's kernel step). Each chain starts from uniformly random spins, runs
/// `burnInSweeps` sweeps, then keeps one configuration every `thinningSweeps` sweeps.
///
/// The local fields h_i = Σ_j J_ij s_j + b_i are kept up to date (an accepted flip of i
/// changes h_j by −2 J_ij s_i(old) for its neighbours only; they are recomputed from scratch at
/// every kept sample so rounding cannot drift), so a proposal costs O(1) plus O(degree) when
/// accepted, one random index, and a uniform and an `exp` only when ΔE > 0.
///
/// With `globalFlips` (the default) every sweep is followed by a global-flip move: with
/// probability ½ propose s → −s, accepted with probability min(1, exp(−ΔE/T)),
/// ΔE = 2 Σ_i b_i s_i (the couplings are unchanged by a global flip). Each move leaves p
/// invariant, so the target is the same; it lets chains cross between the two ordered
/// sectors, which single flips cannot do at low T (on the 1000-node scale-free graph at T = 1
/// chains started at random stay in the sector they first fall into — 3 of 8 chains in the
/// +1 sector, which the biases suppress by a factor of about e^{−120}). Without it the chain is
/// the reference's plain single-spin-flip chain.
///
/// Chain c draws from its own keyed stream (seed, Ising chain, c) and produces rows
/// ⌊count·c/chains⌋ ..< ⌊count·(c+1)/chains⌋; chains run in parallel. The rows are then put in
/// a random order by a Fisher–Yates shuffle from the stream (seed, Ising shuffle), so any
/// prefix (e.g. a training split) mixes all chains. The result depends only on the seed and the
/// settings, not on the number of cores.
public struct MetropolisSampler: Sendable {
    public let burnInSweeps: Int
    public let thinningSweeps: Int
    public let chains: Int
    public let globalFlips: Bool

    public init(burnInSweeps: Int, thinningSweeps: Int, chains: Int, globalFlips: Bool = true) throws {
        guard burnInSweeps >= 0 else {
            throw IQPError("burn-in must be at least 0 sweeps, got \(burnInSweeps)", field: "burn-in")
        }
        guard thinningSweeps >= 1 else {
            throw IQPError("thinning must be at least 1 sweep, got \(thinningSweeps)", field: "thin")
        }
        guard chains >= 1 else { throw IQPError("chains must be at least 1, got \(chains)", field: "chains") }
        self.burnInSweeps = burnInSweeps
        self.thinningSweeps = thinningSweeps
        self.chains = chains
        self.globalFlips = globalFlips
    }

    /// `count` configurations of `model` as bit rows (x_i = (1 + s_i)/2), shuffled.
    public func sample(_ model: IsingModel, count: Int, seed: UInt64) -> BitMatrix {
        precondition(count >= 0)
        var parts = [BitMatrix](repeating: BitMatrix(rows: 0, columns: model.nodeCount), count: chains)
        let chainCount = chains
        parts.withUnsafeMutableBufferPointer { buffer in
            let results = SharedPointer(buffer.baseAddress!)   // chain c writes only slot c
            parallelFor(chainCount) { chains in
                for c in chains {
                    let rows = count * (c + 1) / chainCount - count * c / chainCount
                    results.base[c] = runChain(model, rows: rows, seed: seed, chain: c)
                }
            }
        }
        var all = BitMatrix(rows: 0, columns: model.nodeCount)
        for part in parts { all.append(contentsOf: part) }
        return Self.shuffled(all, seed: seed)
    }

    /// One chain: burn-in, then `rows` kept configurations.
    func runChain(_ model: IsingModel, rows: Int, seed: UInt64, chain: Int) -> BitMatrix {
        let n = model.nodeCount
        var out = BitMatrix(rows: rows, columns: n)
        guard rows > 0 else { return out }
        var stream = DataGenerationStream.isingChain.stream(seed: seed, index: chain)
        var spins = (0..<n).map { _ in stream.next() >> 63 == 1 ? 1.0 : -1.0 }
        var field = [Double](repeating: 0, count: n)
        let invT = 1 / model.temperature
        let wordsPerRow = out.wordsPerRow

        model.rowStart.withUnsafeBufferPointer { rowStart in
        model.neighbour.withUnsafeBufferPointer { neighbour in
        model.neighbourCoupling.withUnsafeBufferPointer { coupling in
        model.biases.withUnsafeBufferPointer { bias in
        spins.withUnsafeMutableBufferPointer { s in
        field.withUnsafeMutableBufferPointer { h in
            func recomputeFields() {
                for i in 0..<n {
                    var sum = bias[i]
                    for k in rowStart[i]..<rowStart[i + 1] { sum += coupling[k] * s[Int(neighbour[k])] }
                    h[i] = sum
                }
            }
            func sweeps(_ count: Int) {
                for _ in 0..<count {
                    for _ in 0..<n {
                        let i = stream.nextInt(below: n)
                        let deltaE = 2 * s[i] * h[i]
                        if deltaE > 0 && stream.nextUniform() >= exp(-deltaE * invT) { continue }
                        let change = -2 * s[i]
                        s[i] = -s[i]
                        for k in rowStart[i]..<rowStart[i + 1] { h[Int(neighbour[k])] += coupling[k] * change }
                    }
                    if globalFlips && stream.next() >> 63 == 1 {
                        var deltaE = 0.0
                        for i in 0..<n { deltaE += bias[i] * s[i] }
                        deltaE *= 2
                        if deltaE > 0 && stream.nextUniform() >= exp(-deltaE * invT) { continue }
                        // h_i = Σ_j J_ij s_j + b_i becomes −Σ_j J_ij s_j + b_i = 2 b_i − h_i.
                        for i in 0..<n { s[i] = -s[i]; h[i] = 2 * bias[i] - h[i] }
                    }
                }
            }
            recomputeFields()
            sweeps(burnInSweeps)
            out.words.withUnsafeMutableBufferPointer { words in
                for r in 0..<rows {
                    sweeps(thinningSweeps)
                    recomputeFields()
                    for i in 0..<n where s[i] > 0 {
                        words[r * wordsPerRow + i >> 6] |= UInt64(1) << UInt64(i & 63)
                    }
                }
            }
        }}}}}}
        return out
    }

    /// The rows of `matrix` in the order of a Fisher–Yates shuffle keyed by `seed`.
    static func shuffled(_ matrix: BitMatrix, seed: UInt64) -> BitMatrix {
        var order = Array(0..<matrix.rows)
        var stream = DataGenerationStream.isingShuffle.stream(seed: seed)
        if order.count > 1 {
            for i in stride(from: order.count - 1, to: 0, by: -1) {
                order.swapAt(i, stream.nextInt(below: i + 1))
            }
        }
        var out = BitMatrix(rows: matrix.rows, columns: matrix.columns)
        for (r, source) in order.enumerated() { out.setRow(r, words: matrix.row(source)) }
        return out
    }
}
