import Foundation

/// A CSV file with a header line, read as text cells; numeric columns are read on request
/// with errors that name the file, line and column.
///
/// The format is the project's: comma-separated, no quoting (a cell wrapped in double quotes
/// is unwrapped), `\r\n` line ends accepted, blank lines and lines starting with `#` ignored.
/// Every row must have as many cells as the header. A file without a header, or with a
/// header and no rows, is an error.
public struct CSVTable: Sendable {
    public let path: String
    public let header: [String]
    public let rows: [[String]]
    /// The 1-based line number of every row (for error messages).
    public let lines: [Int]
    /// The 1-based line number of the header.
    public let headerLine: Int

    /// Reads and parses the file at `path`.
    public static func read(path: String) throws -> CSVTable {
        guard let data = FileManager.default.contents(atPath: path) else {
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
            let reason = !exists ? "no such file" : isDirectory.boolValue ? "it is a directory" : "permission denied"
            throw PlotError("cannot read file: \(reason)", file: path)
        }
        return try CSVTable(text: String(decoding: data, as: UTF8.self), path: path)
    }

    public init(text: String, path: String) throws {
        var header: [String]?
        var headerLine = 0
        var rows: [[String]] = []
        var lines: [Int] = []
        // "\r\n" is one Character in Swift: split on it as well as on "\n".
        let textLines = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }
        for (index, line) in textLines.enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(Self.cell)
            guard let width = header?.count else {
                header = cells
                headerLine = index + 1
                continue
            }
            guard cells.count == width else {
                throw PlotError("row has \(cells.count) values, expected \(width) (the header's)", file: path, line: index + 1)
            }
            rows.append(cells)
            lines.append(index + 1)
        }
        guard let header else { throw PlotError("the file is empty", file: path) }
        guard !rows.isEmpty else { throw PlotError("no data rows below the header", file: path, line: headerLine) }
        self.path = path
        self.header = header
        self.rows = rows
        self.lines = lines
        self.headerLine = headerLine
    }

    private static func cell(_ text: Substring) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.count >= 2, trimmed.hasPrefix("\""), trimmed.hasSuffix("\"") {
            return String(trimmed.dropFirst().dropLast())
        }
        return trimmed
    }

    public func has(_ column: String) -> Bool { header.contains(column) }

    /// The index of `column`, or an error that lists the columns there are.
    public func index(of column: String) throws -> Int {
        guard let i = header.firstIndex(of: column) else {
            throw PlotError("no such column (the columns are \(header.joined(separator: ", ")))",
                            file: path, line: headerLine, field: column)
        }
        return i
    }

    /// The text cells of `column`.
    public func strings(_ column: String) throws -> [String] {
        let i = try index(of: column)
        return rows.map { $0[i] }
    }

    /// The numbers of `column`: nil for an empty cell (an error when `emptyAllowed` is
    /// false). `nan`, `inf` and `-inf` are returned as they are, for the caller to skip and
    /// count; text that is not a number is an error, and so is a negative value when
    /// `nonNegative` (standard errors).
    public func numbers(_ column: String, emptyAllowed: Bool = true, nonNegative: Bool = false) throws -> [Double?] {
        let i = try index(of: column)
        return try zip(rows, lines).map { row, line in
            let text = row[i]
            if text.isEmpty {
                if emptyAllowed { return nil }
                throw PlotError("empty value", file: path, line: line, field: column)
            }
            guard let value = Double(text) else {
                throw PlotError("'\(text)' is not a number", file: path, line: line, field: column)
            }
            if nonNegative, value < 0 {
                throw PlotError("\(text) is negative", file: path, line: line, field: column)
            }
            return value
        }
    }
}

/// A table with the label its series get in the legend.
public struct LabelledTable: Sendable {
    public var label: String
    public var table: CSVTable

    public init(label: String, table: CSVTable) {
        self.label = label
        self.table = table
    }
}
