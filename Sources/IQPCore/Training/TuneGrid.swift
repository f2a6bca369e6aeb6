import Foundation

/// One option of a grid configuration (`iqp tune`): an `iqp train` option name without dashes
/// and its value as text; nil leaves the option out (the study's `init_scale = -1`).
public struct TuneSetting: Equatable, Sendable {
    public var key: String
    public var value: String?
    public init(key: String, value: String?) { self.key = key; self.value = value }
}

/// The grid of `iqp tune` (docs/file-formats.md): an ordered list of `iqp train` option names,
/// each with a list of values. Configuration i is the i-th element of the Cartesian product in
/// the file's key order, the last key varying fastest.
///
/// Read from JSON (`{"lr": [0.001, 0.01], "gates": ["local:2"]}`) or from YAML: a mapping of
/// keys to flow lists (`lr: [0.001, 0.01]`), block lists (`- 0.001` lines) or single values,
/// with `#` comments. Values are kept as text (`1e-4` stays `1e-4`); `null`, `~` or an empty
/// value leaves the option out; `true` is a flag given (`spin-sym: [true]`), `false` one left out.
public struct TuneGrid: Equatable, Sendable {
    public private(set) var keys: [String]
    public private(set) var values: [[String?]]

    public init(keys: [String], values: [[String?]], file: String? = nil) throws {
        guard !keys.isEmpty, keys.count == values.count else {
            throw IQPError("the grid has no options: give a mapping of iqp train option names to lists of values", file: file)
        }
        for (key, list) in zip(keys, values) {
            guard !key.isEmpty, !key.hasPrefix("-") else {
                throw IQPError("option names are written without dashes, got '\(key)'", file: file, field: key)
            }
            guard !list.isEmpty else { throw IQPError("the list of values is empty", file: file, field: key) }
            if Self.reservedKeys.contains(key) {
                throw IQPError("is set by iqp tune (the training split, the configuration's model file); give \(IQPError.ref("dataPath")) to iqp tune",
                               file: file, field: key)
            }
        }
        if let twice = keys.first(where: { k in keys.filter { $0 == k }.count > 1 }) {
            throw IQPError("is listed twice", file: file, field: twice)
        }
        self.keys = keys
        self.values = values
    }

    /// `iqp train` options that `iqp tune` sets itself for every configuration.
    public static let reservedKeys: Set<String> = ["data", "test", "out", "resume", "checkpoint"]

    /// Number of configurations.
    public var count: Int { values.reduce(1) { $0 * $1.count } }

    /// Configuration `index` (0..<count): one setting per key, the last key varying fastest.
    public func configuration(_ index: Int) -> [TuneSetting] {
        precondition(index >= 0 && index < count)
        var rest = index
        var settings: [TuneSetting] = []
        for k in stride(from: keys.count - 1, through: 0, by: -1) {
            let list = values[k]
            settings.append(TuneSetting(key: keys[k], value: list[rest % list.count]))
            rest /= list.count
        }
        return settings.reversed()
    }

    /// The `iqp train` arguments of a configuration: `--key value`, `--key` alone for `true`,
    /// nothing for `false` or a left-out value.
    public static func trainArguments(_ settings: [TuneSetting]) -> [String] {
        settings.flatMap { s -> [String] in
            guard let value = s.value, value != "false" else { return [] }
            return value == "true" ? ["--\(s.key)"] : ["--\(s.key)", value]
        }
    }

    /// Reads a grid file: JSON when the name ends in `.json` (or the text starts with `{`), else YAML.
    public static func read(path: String) throws -> TuneGrid {
        let data = try readWholeFile(path: path)
        guard let text = String(data: data, encoding: .utf8) else { throw IQPError("is not UTF-8 text", file: path) }
        if path.hasSuffix(".json") || text.drop(while: { $0.isWhitespace }).first == "{" {
            return try parseJSON(JSONParser.parse(text, file: path), file: path)
        }
        return try parseYAML(text, file: path)
    }

    /// A JSON object of lists (a single value is a one-value list).
    public static func parseJSON(_ root: JSONNode, file: String?) throws -> TuneGrid {
        guard case .object(let members) = root.content else {
            throw IQPError("expected a JSON object of option names and lists of values", file: file, line: root.line)
        }
        func text(_ node: JSONNode, _ key: String) throws -> String? {
            switch node.content {
            case .null: return nil
            case .bool(let b): return b ? "true" : "false"
            case .number(let x, let integer): return integer.map { String($0) } ?? "\(x)"
            case .string(let s): return s
            default: throw IQPError("a value must be a number, a string, a boolean or null", file: file, line: node.line, field: key)
            }
        }
        var keys: [String] = [], values: [[String?]] = []
        for member in members {
            keys.append(member.key)
            if case .array(let items) = member.node.content {
                values.append(try items.map { try text($0, member.key) })
            } else {
                values.append([try text(member.node, member.key)])
            }
        }
        return try TuneGrid(keys: keys, values: values, file: file)
    }

    /// The YAML the grid files use: `key: [a, b]`, `key: value`, or `key:` followed by `- value`
    /// lines; `#` starts a comment; quoted values keep their text.
    public static func parseYAML(_ text: String, file: String?) throws -> TuneGrid {
        var keys: [String] = [], values: [[String?]] = []
        var openKey: (name: String, line: Int)? = nil
        for (number, raw) in text.components(separatedBy: "\n").enumerated() {
            let line = stripComment(raw).replacingOccurrences(of: "\r", with: "")
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed == "---" { continue }
            if line.first?.isWhitespace == true || trimmed.hasPrefix("- ") || trimmed == "-" {
                guard trimmed.hasPrefix("-"), openKey != nil else {
                    throw IQPError("expected 'option: [values]' at the start of the line", file: file, line: number + 1)
                }
                values[values.count - 1].append(try scalar(String(trimmed.dropFirst()), file: file, line: number + 1))
                continue
            }
            guard let colon = trimmed.firstIndex(of: ":") else {
                throw IQPError("expected 'option: [values]'", file: file, line: number + 1)
            }
            let key = String(trimmed[..<colon]).trimmingCharacters(in: .whitespaces)
            let rest = String(trimmed[trimmed.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
            if let open = openKey, values.last?.isEmpty == true {
                throw IQPError("has no values", file: file, line: open.line, field: open.name)
            }
            keys.append(key)
            if rest.isEmpty {
                values.append([])
                openKey = (key, number + 1)
            } else if rest.hasPrefix("[") {
                guard rest.hasSuffix("]") else { throw IQPError("a list '[…]' must end on its line", file: file, line: number + 1, field: key) }
                let inner = rest.dropFirst().dropLast()
                values.append(inner.trimmingCharacters(in: .whitespaces).isEmpty
                              ? [] : try splitFlow(String(inner)).map { try scalar($0, file: file, line: number + 1) })
                openKey = nil
            } else {
                values.append([try scalar(rest, file: file, line: number + 1)])
                openKey = nil
            }
        }
        if let open = openKey, values.last?.isEmpty == true {
            throw IQPError("has no values", file: file, line: open.line, field: open.name)
        }
        return try TuneGrid(keys: keys, values: values, file: file)
    }

    /// The line without a `#` comment (a `#` at the start or after a space, outside quotes).
    static func stripComment(_ line: String) -> String {
        var quote: Character? = nil
        var previous: Character = " "
        for (offset, c) in line.enumerated() {
            if let q = quote { if c == q { quote = nil } }
            else if c == "\"" || c == "'" { quote = c }
            else if c == "#" && previous.isWhitespace { return String(line.prefix(offset)) }
            previous = c
        }
        return line
    }

    /// The items of a flow list's inside, split at commas outside quotes.
    static func splitFlow(_ inner: String) -> [String] {
        var items: [String] = [], current = ""
        var quote: Character? = nil
        for c in inner {
            if let q = quote { if c == q { quote = nil } }
            else if c == "\"" || c == "'" { quote = c }
            else if c == "," { items.append(current); current = ""; continue }
            current.append(c)
        }
        items.append(current)
        return items
    }

    /// One YAML scalar as text: quotes removed; `null`/`~`/empty → nil; True/False → true/false.
    static func scalar(_ raw: String, file: String?, line: Int) throws -> String? {
        let s = raw.trimmingCharacters(in: .whitespaces)
        if s.count >= 2, let first = s.first, first == "\"" || first == "'", s.last == first {
            return String(s.dropFirst().dropLast())
        }
        switch s {
        case "", "~", "null", "Null", "NULL": return nil
        case "true", "True", "TRUE": return "true"
        case "false", "False", "FALSE": return "false"
        default:
            if s.hasPrefix("[") || s.hasPrefix("{") {
                throw IQPError("nested lists and mappings are not grid values", file: file, line: line)
            }
            return s
        }
    }
}
