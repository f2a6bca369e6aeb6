import IQPCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The sample-based MMD² between shots X (N rows) and data Y (M rows) with the Gaussian kernel
/// of docs/math.md §3, k(x, y) = exp(−d_H(x, y) / (2σ²)), as the unbiased U-statistic:
///
///     MMD²_u = 1/(N(N−1)) Σ_{i≠j} k(x_i, x_j) + 1/(M(M−1)) Σ_{i≠j} k(y_i, y_j)
///              − 2/(NM) Σ_{i,j} k(x_i, y_j).
///
/// It is unbiased for MMD²(model, data), so it can be slightly negative. The kernel depends on
/// the pair only through the Hamming distance, so the three sums are computed once as
/// histograms of distances (popcount of XORed packed rows, parallel over the cores) and then
/// evaluated for any number of bandwidths at O(n) each.
///
/// Cost O((N + M)² · n/64). Sets larger than `maxRowsPerSet` are thinned to that many rows,
/// evenly spaced (row ⌊i·N/cap⌋ for i < cap): still an unbiased estimate of the same MMD² for
/// i.i.d. rows, with a larger variance.
public enum SampleMMD {
    /// The cap on rows per set (20,000 rows: 2·10^8 pairs per block).
    public static let maxRowsPerSet = 20_000

    /// MMD²_u for one bandwidth σ. NaN when either set has fewer than 2 rows.
    public static func unbiased(samples: BitMatrix, data: BitMatrix, sigma: Double) -> Double {
        unbiased(samples: samples, data: data, sigmas: [sigma])[0]
    }

    /// MMD²_u for each bandwidth, sharing the distance histograms.
    public static func unbiased(samples: BitMatrix, data: BitMatrix, sigmas: [Double],
                                maxRows: Int = SampleMMD.maxRowsPerSet) -> [Double] {
        let h = HammingHistograms(samples: samples, data: data, maxRows: maxRows)
        return sigmas.map { h.mmdSquared(sigma: $0) }
    }

    /// Counts of pairs by Hamming distance d = 0…n within X (i < j), within Y (i < j) and
    /// across (all i, j).
    public struct HammingHistograms: Sendable {
        public let nSamples: Int
        public let nData: Int
        public let withinSamples: [Int]
        public let withinData: [Int]
        public let across: [Int]

        public init(samples: BitMatrix, data: BitMatrix, maxRows: Int = SampleMMD.maxRowsPerSet) {
            precondition(samples.columns == data.columns, "shots have \(samples.columns) bits, data \(data.columns)")
            let x = SampleMMD.thinned(samples, to: maxRows)
            let y = SampleMMD.thinned(data, to: maxRows)
            nSamples = x.rows
            nData = y.rows
            withinSamples = SampleMMD.distanceCounts(x, x, upperTriangle: true)
            withinData = SampleMMD.distanceCounts(y, y, upperTriangle: true)
            across = SampleMMD.distanceCounts(x, y, upperTriangle: false)
        }

        /// MMD²_u at bandwidth σ from the histograms (NaN when N < 2 or M < 2).
        public func mmdSquared(sigma: Double) -> Double {
            guard nSamples >= 2 && nData >= 2 else { return .nan }
            func kernelSum(_ counts: [Int]) -> Double {
                var s = 0.0
                for (d, c) in counts.enumerated() where c > 0 { s += Double(c) * exp(-Double(d) / (2 * sigma * sigma)) }
                return s
            }
            let n = Double(nSamples), m = Double(nData)
            return 2 * kernelSum(withinSamples) / (n * (n - 1))
                + 2 * kernelSum(withinData) / (m * (m - 1))
                - 2 * kernelSum(across) / (n * m)
        }
    }

    /// At most `cap` rows, evenly spaced.
    static func thinned(_ m: BitMatrix, to cap: Int) -> BitMatrix {
        guard m.rows > cap else { return m }
        var out = BitMatrix(rows: cap, columns: m.columns)
        for i in 0..<cap { out.setRow(i, words: m.row(i * m.rows / cap)) }
        return out
    }

    /// Histogram of d_H(a_i, b_j) over i < j (`upperTriangle`, a == b) or over all (i, j).
    /// Rows of `a` are dealt to the tasks round-robin so the triangle is balanced.
    static func distanceCounts(_ a: BitMatrix, _ b: BitMatrix, upperTriangle: Bool) -> [Int] {
        let width = a.columns
        let words = a.wordsPerRow
        let pairs = Double(a.rows) * Double(b.rows)
        let tasks = pairs > 1e5 ? 32 : 1
        /// The histogram of rows t, t + tasks, t + 2·tasks, … of `a`.
        func histogram(task t: Int) -> [Int] {
            a.words.withUnsafeBufferPointer { aw in
                b.words.withUnsafeBufferPointer { bw in
                    var counts = [Int](repeating: 0, count: width + 1)
                    var i = t
                    while i < a.rows {
                        let j0 = upperTriangle ? i + 1 : 0
                        if words == 1 {
                            let xi = aw[i]
                            for j in j0..<b.rows { counts[(xi ^ bw[j]).nonzeroBitCount] += 1 }
                        } else {
                            for j in j0..<b.rows {
                                var d = 0
                                for w in 0..<words { d += (aw[i * words + w] ^ bw[j * words + w]).nonzeroBitCount }
                                counts[d] += 1
                            }
                        }
                        i += tasks
                    }
                    return counts
                }
            }
        }
        var partial = [[Int]](repeating: [], count: tasks)
        partial.withUnsafeMutableBufferPointer { out in
            let results = SharedPointer(out.baseAddress!)   // task t writes only slot t
            parallelFor(tasks, minimumChunk: tasks > 1 ? 1 : Int.max) { chunk in
                for t in chunk { results.base[t] = histogram(task: t) }
            }
        }
        var total = [Int](repeating: 0, count: width + 1)
        for counts in partial { for d in 0...width { total[d] += counts[d] } }
        return total
    }
}
