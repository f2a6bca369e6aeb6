import Foundation

/// The outcome of one configuration of `iqp tune`.
public struct TuneRecord: Equatable, Sendable {
    public enum Status: String, Sendable { case ok, failed }
    public enum ScoreEstimator: String, Sendable { case exact, mc }
    /// The configuration's index in the grid (`TuneGrid.configuration`).
    public var index: Int
    public var status: Status
    /// Minus the mean held-out MMD² (the mean over the score's bandwidths) over the repeats; NaN when failed.
    public var score: Double
    /// The standard deviation (ddof 0) of the repeats' scores: 0 on the exact path.
    public var scoreStd: Double
    public var fitSeconds: Double
    public var scoreSeconds: Double
    public var estimator: ScoreEstimator
    /// Why the configuration failed (empty when it did not).
    public var message: String

    public init(index: Int, status: Status, score: Double, scoreStd: Double = 0, fitSeconds: Double,
                scoreSeconds: Double, estimator: ScoreEstimator = .exact, message: String = "") {
        self.index = index; self.status = status; self.score = score; self.scoreStd = scoreStd
        self.fitSeconds = fitSeconds; self.scoreSeconds = scoreSeconds; self.estimator = estimator
        self.message = message
    }
}

/// The results of `iqp tune` (docs/file-formats.md): the finished configurations of a grid, as a
/// CSV shaped like scikit-learn's `GridSearchCV.cv_results_` written by pandas (an unnamed index
/// column = the configuration's index, `param_<option>` columns, the fit and score times, the one
/// split's score, `mean_test_score`, `std_test_score`, `rank_test_score`) plus `score_estimator`,
/// `status` and `message`; and the best configuration as a YAML run file for `iqp train --config`.
public struct TuneTable: Sendable {
    public var grid: TuneGrid
    public var records: [Int: TuneRecord]

    public init(grid: TuneGrid, records: [Int: TuneRecord] = [:]) {
        self.grid = grid
        self.records = records
    }

    public static func header(_ grid: TuneGrid) -> [String] {
        [""] + grid.keys.map { "param_\($0)" } + [
            "mean_fit_time", "std_fit_time", "mean_score_time", "std_score_time", "split0_test_score",
            "mean_test_score", "std_test_score", "rank_test_score", "score_estimator", "status", "message",
        ]
    }

    /// scikit-learn's ranks: 1 for the highest score, ties share the lowest rank; failed
    /// configurations rank after every scored one.
    public func ranks() -> [Int: Int] {
        let scored = records.values.filter { $0.status == .ok && !$0.score.isNaN }
        var ranks: [Int: Int] = [:]
        for r in records.values {
            if r.status == .ok && !r.score.isNaN {
                ranks[r.index] = 1 + scored.filter { $0.score > r.score }.count
            } else {
                ranks[r.index] = scored.count + 1
            }
        }
        return ranks
    }

    /// The best scored configuration (the lowest index among equal scores).
    public var best: TuneRecord? {
        records.values.filter { $0.status == .ok && !$0.score.isNaN }
            .min { ($0.score, -$0.index) > ($1.score, -$1.index) }
    }

    /// The CSV text: one row per finished configuration, by index.
    public func csv() -> String {
        let ranks = ranks()
        var lines = [Self.header(grid).map(Self.quote).joined(separator: ",")]
        for index in records.keys.sorted() {
            let r = records[index]!
            let score = r.status == .ok ? "\(r.score)" : "nan"
            var cells = ["\(index)"] + grid.configuration(index).map { $0.value ?? "" }
            cells += ["\(r.fitSeconds)", "0.0", "\(r.scoreSeconds)", "0.0", score, score,
                      r.status == .ok ? "\(r.scoreStd)" : "nan", "\(ranks[index]!)", r.estimator.rawValue,
                      r.status.rawValue, r.message]
            lines.append(cells.map(Self.quote).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Reads a results file written for `grid` (to resume): every row's parameters must be the
    /// grid's configuration of that index, else the grid has changed and the file is refused.
    public static func read(path: String, grid: TuneGrid) throws -> TuneTable {
        let data = try readWholeFile(path: path)
        guard let text = String(data: data, encoding: .utf8) else { throw IQPError("is not UTF-8 text", file: path) }
        let rows = parseCSV(text)
        guard let header = rows.first?.cells, header == Self.header(grid) else {
            throw IQPError("its columns are not those of this grid (\(Self.header(grid).dropFirst().joined(separator: ","))); "
                           + "give another \(IQPError.ref("outDirectory")) or the grid it was written with", file: path, line: 1)
        }
        func column(_ name: String) -> Int { header.firstIndex(of: name)! }
        var table = TuneTable(grid: grid)
        for (cells, line) in rows.dropFirst() where !(cells.count == 1 && cells[0].isEmpty) {
            guard cells.count == header.count else {
                throw IQPError("has \(cells.count) cells, expected \(header.count)", file: path, line: line)
            }
            guard let index = Int(cells[0]), index >= 0, index < grid.count else {
                throw IQPError("'\(cells[0])' is not a configuration index of this \(grid.count)-configuration grid",
                               file: path, line: line)
            }
            for (k, setting) in grid.configuration(index).enumerated() where cells[1 + k] != (setting.value ?? "") {
                throw IQPError("configuration \(index) has \(setting.key) = '\(cells[1 + k])' but the grid gives '\(setting.value ?? "")': "
                               + "the grid has changed; give another \(IQPError.ref("outDirectory")) or the grid it was written with",
                               file: path, line: line, field: "param_\(setting.key)")
            }
            guard let status = TuneRecord.Status(rawValue: cells[column("status")]) else { continue }
            func number(_ name: String) throws -> Double {
                let cell = cells[column(name)]
                if cell == "nan" { return .nan }
                guard let x = Double(cell) else { throw IQPError("'\(cell)' is not a number", file: path, line: line, field: name) }
                return x
            }
            table.records[index] = TuneRecord(
                index: index, status: status, score: try number("mean_test_score"), scoreStd: try number("std_test_score"),
                fitSeconds: try number("mean_fit_time"), scoreSeconds: try number("mean_score_time"),
                estimator: TuneRecord.ScoreEstimator(rawValue: cells[column("score_estimator")]) ?? .exact,
                message: cells[column("message")])
        }
        return table
    }

    /// The best configuration as a YAML run file for `iqp train --config`: `data` and `seed`
    /// (the tune's, unless the grid sets it), then the configuration's options (keys = `iqp
    /// train` option names; flags as `true`; left-out values omitted). `use`: comment lines after
    /// the first that say how to use the file (`GridSearch.bestFileUse`).
    public func bestYAML(data: String, seed: UInt64, source: String, use: [String] = []) -> String? {
        guard let best else { return nil }
        var lines = [
            "# iqp tune: the best of \(records.count) finished configurations of \(grid.count) "
                + "(configuration \(best.index), mean_test_score \(best.score)) in \(source)",
        ] + use.map { "# " + $0 } + [
            "data: \(Self.yamlScalar(data))",
        ]
        let settings = grid.configuration(best.index)
        if !settings.contains(where: { $0.key == "seed" }) { lines.append("seed: \(seed)") }
        for s in settings {
            guard let value = s.value, value != "false" else { continue }
            lines.append("\(s.key): \(Self.yamlScalar(value))")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A YAML scalar: plain when it reads back as the same text, else double-quoted.
    static func yamlScalar(_ value: String) -> String {
        let plain = value.allSatisfy { $0.isLetter || $0.isNumber || "._-+/".contains($0) }
        if plain && !["null", "~", "yes", "no", "on", "off"].contains(value.lowercased()) && !value.isEmpty { return value }
        return "\"" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    /// A CSV cell, quoted when it holds a comma, a quote or a line break.
    static func quote(_ cell: String) -> String {
        guard cell.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return cell }
        return "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// CSV rows (RFC 4180 quoting) with the line each starts on.
    static func parseCSV(_ text: String) -> [(cells: [String], line: Int)] {
        var rows: [(cells: [String], line: Int)] = []
        var cells: [String] = [], cell = "", inQuotes = false, line = 1, rowLine = 1
        var chars = Array(text).makeIterator()
        var pending: Character? = nil
        while let c = pending ?? chars.next() {
            pending = nil
            if inQuotes {
                if c == "\"" {
                    if let next = chars.next() {
                        if next == "\"" { cell.append("\"") } else { inQuotes = false; pending = next }
                    } else { inQuotes = false }
                } else {
                    if c == "\n" { line += 1 }
                    cell.append(c)
                }
                continue
            }
            switch c {
            case "\"": inQuotes = true
            case ",": cells.append(cell); cell = ""
            case "\r": break
            case "\n":
                cells.append(cell); rows.append((cells, rowLine))
                cells = []; cell = ""; line += 1; rowLine = line
            default: cell.append(c)
            }
        }
        if !cell.isEmpty || !cells.isEmpty { cells.append(cell); rows.append((cells, rowLine)) }
        return rows
    }
}
