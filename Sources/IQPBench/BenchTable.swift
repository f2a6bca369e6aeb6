import Foundation
import IQPCore

/// The text of `iqp bench`: one line per row, fixed-width columns.
public enum BenchTable {
    /// Columns: size and σ, the path, the median step with the fastest–slowest range, the
    /// step/loss ratio, GEMM GFLOP/s, peak RSS (of the largest rank), note; with `breakdown`, the milliseconds per step
    /// in GEMM, sin/cos, pair loops, the data term and the rest ("other": sampling, index
    /// building, allocation, the loss, bookkeeping).
    public static func text(_ rows: [StepBenchmark.Row], breakdown: Bool = false) -> String {
        var header = ["n", "params", "B", "s", "sigma", "mean |a|", "path", "s/step", "range", "step/loss",
                      "GEMM GFLOP/s", "peak RSS/rank"]
        let parts = ComputePart.allCases
        if breakdown { header += parts.map(\.description) + ["other"] }
        header.append("note")
        var lines: [[String]] = [header]
        for r in rows {
            let c = r.configuration
            var range = "-"
            if let lo = r.fastestStep, let hi = r.slowestStep { range = format(seconds: lo) + "–" + format(seconds: hi) }
            var cells: [String] = [
                "\(c.nQubits)", "\(c.parameters)", "\(c.strings)", "\(c.samples)",
                c.sigmas.map { String(format: "%g", $0) }.joined(separator: ","),
                c.meanWeights.map { String(format: "%.1f", $0) }.joined(separator: ","),
                pathText(r),
                r.secondsPerStep.map { format(seconds: $0) } ?? "-",
                range,
                r.gradientCostRatio.map { String(format: "%.2f", $0) } ?? "-",
                r.gemmGflops.map { String(format: "%.1f", $0) } ?? "-",
                r.peakBytes.max().map { String(format: "%.0f MiB", Double($0) / 1048576) } ?? "-",
            ]
            if breakdown {
                if let b = r.breakdown, let total = r.secondsPerStep {
                    let measured = parts.map { b[$0] }
                    cells += measured.map { milliseconds($0) } + [milliseconds(max(0, total - measured.reduce(0, +)))]
                } else {
                    cells += [String](repeating: "-", count: parts.count + 1)
                }
            }
            cells.append(r.note ?? "")
            lines.append(cells)
        }
        return align(lines, leftAligned: ["sigma", "mean |a|", "path", "note"])
    }

    /// Fixed-width columns: the first line is the header; the columns it names in `leftAligned`
    /// are padded on the right, the others (numbers) on the left.
    static func align(_ lines: [[String]], leftAligned: Set<String>) -> String {
        let header = lines[0]
        let widths = header.indices.map { i in lines.map { $0[i].count }.max()! }
        return lines.map { cells in
            cells.enumerated().map { i, cell in
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                return leftAligned.contains(header[i]) ? cell + pad : pad + cell
            }.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }.joined(separator: "\n") + "\n"
    }

    /// "auto:fast" (the path each σ's block took), or the requested path, then the options
    /// ("auto:fast+shared+float32").
    static func pathText(_ r: StepBenchmark.Row) -> String {
        guard r.variant.path == .auto else { return r.variant.label }
        let used = Set(r.paths)
        return "auto:" + (used.count == 1 ? used.first!.rawValue : r.paths.map(\.rawValue).joined(separator: ","))
            + r.variant.optionsLabel
    }

    static func format(seconds s: Double) -> String {
        s < 1 ? String(format: "%.1f ms", s * 1000) : String(format: "%.2f s", s)
    }

    static func milliseconds(_ s: Double) -> String { String(format: "%.1f", s * 1000) }
}
