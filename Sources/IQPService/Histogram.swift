/// A Prometheus histogram: observations counted in buckets with fixed upper bounds, plus their
/// sum and count (exposed as cumulative `_bucket{le=…}`, `_sum` and `_count` series).
struct Histogram: Sendable {
    /// Upper bounds of the buckets, increasing; a last bucket +Inf is implied.
    let bounds: [Double]
    /// Observations per bucket (not cumulative); `bounds.count + 1` entries.
    private(set) var buckets: [Int]
    private(set) var sum = 0.0
    private(set) var count = 0

    init(bounds: [Double]) {
        self.bounds = bounds
        self.buckets = [Int](repeating: 0, count: bounds.count + 1)
    }

    mutating func observe(_ x: Double) {
        let i = bounds.firstIndex { x <= $0 } ?? bounds.count
        buckets[i] += 1
        sum += x
        count += 1
    }

    /// HTTP request latencies: 1 ms … 10 s.
    static let requestSeconds: [Double] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
    /// Job durations (queue wait, simulation): 10 ms … 1 h.
    static let jobSeconds: [Double] = [0.01, 0.03, 0.1, 0.3, 1, 3, 10, 30, 100, 300, 1000, 3600]

    /// The exposition lines of the histogram `name` with the label text `labels`
    /// (`method="GET",route="/healthz"`, or empty).
    func lines(_ name: String, labels: String) -> [String] {
        func withLabels(_ extra: String) -> String {
            let all = [labels, extra].filter { !$0.isEmpty }.joined(separator: ",")
            return all.isEmpty ? "" : "{\(all)}"
        }
        var out: [String] = []
        var cumulative = 0
        for (i, bound) in bounds.enumerated() {
            cumulative += buckets[i]
            out.append("\(name)_bucket\(withLabels("le=\"\(MetricsText.number(bound))\"")) \(cumulative)")
        }
        out.append("\(name)_bucket\(withLabels("le=\"+Inf\"")) \(count)")
        out.append("\(name)_sum\(withLabels("")) \(MetricsText.number(sum))")
        out.append("\(name)_count\(withLabels("")) \(count)")
        return out
    }
}
