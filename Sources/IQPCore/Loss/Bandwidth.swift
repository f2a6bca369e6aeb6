import Foundation

/// One item of a `--sigma` list: a kernel bandwidth, or one of IQPopt's heuristics
/// (`iqpopt.gen_qml.utils`) computed from a data set.
///
/// Both heuristics look at the first `heuristicRows` rows only, as the study does
/// (`median_heuristic(X_train[:1000])`, `sigma_heuristic(X)` takes `X[:1000]` itself).
public enum Bandwidth: Equatable, Sendable {
    /// A given σ.
    case value(Double)
    /// IQPopt's `median_heuristic(X)`: the median Euclidean distance between rows (see
    /// `medianHeuristic`).
    case median
    /// IQPopt's `sigma_heuristic(X, K)`: K bandwidths from σ₂ = √(−1/(2 ln(1 − 4/n))) (the σ
    /// whose strings have mean weight 2) to √median, evenly spaced (`np.linspace`).
    case heuristic(Int)

    /// Rows the heuristics look at.
    public static let heuristicRows = 1000

    /// Parses a comma-separated list: numbers, `median`, `heuristic:K`.
    public static func parseList(_ text: String, field: String = "sigmas") throws -> [Bandwidth] {
        try text.split(separator: ",", omittingEmptySubsequences: false).map { part in
            let item = part.trimmingCharacters(in: .whitespaces)
            if item == "median" { return .median }
            if item.hasPrefix("heuristic:") {
                guard let k = Int(item.dropFirst("heuristic:".count)), k >= 1 else {
                    throw IQPError("'\(item)' is not heuristic:K with K ≥ 1", field: field)
                }
                return .heuristic(k)
            }
            guard let x = Double(item), x.isFinite else {
                throw IQPError("'\(item)' is not a number, 'median' or 'heuristic:K'", field: field)
            }
            return .value(x)
        }
    }

    /// True when the item needs data.
    public var needsData: Bool {
        if case .value = self { return false }
        return true
    }

    /// The bandwidths of `list`, the heuristics computed on `data`.
    /// Throws when a bandwidth needs the median distance and it is 0 (at least half of the
    /// row pairs it looks at are equal): no bandwidth can be made from it. `heuristic:1` on
    /// more than 4 qubits is σ₂ alone and does not need the median.
    ///
    /// `admission` admits the resolved list (`heuristic:K` makes K values) before it is made.
    public static func resolve(_ list: [Bandwidth], data: BitMatrix,
                               admission: MemoryAdmission = .automatic()) throws -> [Double] {
        try admission.admit([need(list)])
        let needsMedian = list.contains { item in
            switch item {
            case .value: return false
            case .median: return true
            case .heuristic(let k): return k > 1 || data.columns <= 4
            }
        }
        let median = needsMedian ? medianHeuristic(data) : 0
        if needsMedian, !(median > 0) {
            throw IQPError("the median heuristic is 0: at least half of the pairs of the first "
                           + "\(min(data.rows, heuristicRows)) data rows are equal; give σ as a number", field: "sigmas")
        }
        return list.flatMap { item -> [Double] in
            switch item {
            case .value(let x): return [x]
            case .median: return [median]
            case .heuristic(let k): return sigmaHeuristic(nQubits: data.columns, median: median, count: k)
            }
        }
    }

    /// The resolved list's size as a memory need of `--sigma` (`heuristic:K` counts K).
    public static func need(_ list: [Bandwidth]) -> MemoryAdmission.Need {
        let count = list.reduce(0.0) { total, item in
            if case .heuristic(let k) = item { return total + Double(k) }
            return total + 1
        }
        let text = list.map { item -> String in
            switch item {
            case .value(let x): return "\(x)"
            case .median: return "median"
            case .heuristic(let k): return "heuristic:\(k)"
            }
        }.joined(separator: ",")
        return .init(IQPError.ref("sigmas"), value: text, what: String(format: "%.0f bandwidths", count), count: count, bytesEach: 8)
    }

    /// What a resolved list was made from, for the output (nil when every σ was given).
    public static func describe(_ list: [Bandwidth], rows: Int) -> String? {
        guard list.contains(where: \.needsData) else { return nil }
        let used = min(rows, heuristicRows)
        return list.map { item -> String in
            switch item {
            case .value(let x): return "\(x)"
            case .median: return "median"
            case .heuristic(let k): return "heuristic:\(k)"
            }
        }.joined(separator: ",") + " = IQPopt's median heuristic of the first \(used) training rows"
    }

    /// IQPopt's `median_heuristic(X)` on the first `heuristicRows` rows of `data`: with m rows,
    /// the median over all m² ordered pairs (i, j), the m pairs i = j (distance 0) included, of
    /// the Euclidean distance ‖x_i − x_j‖ = √d_H(x_i, x_j) of the 0/1 rows; numpy's median, the
    /// mean of the two middle values when m² is even. √ is increasing, so the middle values are
    /// found in the histogram of Hamming distances (m(m−1)/2 pairs by popcount; exact).
    public static func medianHeuristic(_ data: BitMatrix) -> Double {
        let m = min(data.rows, heuristicRows)
        guard m >= 1 else { return 0 }
        var counts = [Int](repeating: 0, count: data.columns + 1)
        counts[0] = m                                   // the pairs i = j
        let words = data.wordsPerRow
        data.words.withUnsafeBufferPointer { w in
            for i in 0..<m {
                for j in (i + 1)..<max(i + 1, m) {
                    var d = 0
                    for k in 0..<words { d += (w[i * words + k] ^ w[j * words + k]).nonzeroBitCount }
                    counts[d] += 2                      // (i, j) and (j, i)
                }
            }
        }
        /// The distance at 0-based position `rank` of the sorted list of m² distances.
        func distance(atRank rank: Int) -> Double {
            var seen = 0
            for (d, c) in counts.enumerated() {
                seen += c
                if rank < seen { return Double(d).squareRoot() }
            }
            return Double(data.columns).squareRoot()
        }
        let total = m * m
        return total % 2 == 1 ? distance(atRank: total / 2)
            : (distance(atRank: total / 2 - 1) + distance(atRank: total / 2)) / 2
    }

    /// IQPopt's `sigma_heuristic`: `np.linspace(σ₂, √median, count)`, σ₂ = √(−1/(2 ln(1 − 4/n))).
    /// (n ≤ 4 has no σ₂; it is taken as √median.)
    public static func sigmaHeuristic(nQubits n: Int, median: Double, count: Int) -> [Double] {
        let top = median.squareRoot()
        let bottom = n > 4 ? (-1 / (2 * log(1 - 4 / Double(n)))).squareRoot() : top
        guard count > 1 else { return [bottom] }
        let step = (top - bottom) / Double(count - 1)
        return (0..<count).map { $0 == count - 1 ? top : bottom + Double($0) * step }
    }
}
