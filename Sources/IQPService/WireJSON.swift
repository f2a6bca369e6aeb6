/// A JSON document as received over HTTP, parsed strictly (RFC 8259), keeping for every value
/// the byte range of its source text and for every number its literal text.
///
/// The service needs both: the `model` member of a job is handed verbatim to `ModelFile.decode`
/// (no re-encoding that could change a parameter's last digit), and integers such as a 64-bit
/// seed are read from their literal, not through a Double.
struct WireJSON: Sendable {
    enum Value: Sendable {
        case null
        case bool(Bool)
        /// The number's literal text, already checked against the JSON grammar.
        case number(String)
        case string(String)
        case array([WireJSON])
        case object([(key: String, value: WireJSON)])
    }

    var value: Value
    /// Byte offsets of the value's text in the document.
    var range: Range<Int>

    subscript(key: String) -> WireJSON? {
        if case .object(let members) = value { return members.first { $0.key == key }?.value }
        return nil
    }

    /// "an object", "a string", …: for error messages.
    var kindName: String {
        switch value {
        case .null: return "null"
        case .bool: return "a boolean"
        case .number: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }

    /// The value as an exact integer: a number literal with no fraction or exponent part (or
    /// one whose value is integral and at most 2^53), within Int64.
    var integer: Int64? {
        guard case .number(let text) = value else { return nil }
        if let exact = Int64(text) { return exact }
        if let d = Double(text), d == d.rounded(), abs(d) <= 9_007_199_254_740_992 { return Int64(d) }
        return nil
    }

    var double: Double? {
        if case .number(let text) = value { return Double(text) }
        return nil
    }

    var string: String? {
        if case .string(let s) = value { return s }
        return nil
    }

    var bool: Bool? {
        if case .bool(let b) = value { return b }
        return nil
    }
}

/// Why a document is not JSON, with its 1-based line and column.
struct WireJSONError: Error, CustomStringConvertible, Sendable {
    var message: String
    var line: Int
    var column: Int
    var description: String { "malformed JSON at line \(line), column \(column): \(message)" }
}

/// Recursive-descent parser for `WireJSON` (nesting limited to 512 levels).
struct WireJSONParser {
    let bytes: [UInt8]
    var position = 0
    var depth = 0
    static let maxDepth = 512

    static func parse(_ bytes: [UInt8]) throws -> WireJSON {
        var parser = WireJSONParser(bytes: bytes)
        parser.skipWhitespace()
        let value = try parser.parseValue()
        parser.skipWhitespace()
        if parser.position != bytes.count { throw parser.error("unexpected text after the JSON value") }
        return value
    }

    static func parse(_ text: String) throws -> WireJSON { try parse(Array(text.utf8)) }

    func error(_ message: String) -> WireJSONError {
        var line = 1, column = 1
        for b in bytes[0..<min(position, bytes.count)] {
            if b == UInt8(ascii: "\n") { line += 1; column = 1 } else if b & 0xC0 != 0x80 { column += 1 }
        }
        return WireJSONError(message: message, line: line, column: column)
    }

    mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    var current: UInt8? { position < bytes.count ? bytes[position] : nil }

    mutating func expect(_ literal: String) throws {
        let start = position
        for b in literal.utf8 {
            guard current == b else {
                position = start
                throw error("expected '\(literal)'")
            }
            position += 1
        }
    }

    mutating func parseValue() throws -> WireJSON {
        guard let c = current else { throw error("unexpected end of the document") }
        let start = position
        switch c {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return WireJSON(value: .string(try parseString()), range: start..<position)
        case UInt8(ascii: "t"): try expect("true"); return WireJSON(value: .bool(true), range: start..<position)
        case UInt8(ascii: "f"): try expect("false"); return WireJSON(value: .bool(false), range: start..<position)
        case UInt8(ascii: "n"): try expect("null"); return WireJSON(value: .null, range: start..<position)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw error("unexpected character '\(Character(Unicode.Scalar(c)))'")
        }
    }

    mutating func enter() throws {
        depth += 1
        if depth > WireJSONParser.maxDepth { throw error("nesting deeper than \(WireJSONParser.maxDepth) levels") }
    }

    mutating func parseObject() throws -> WireJSON {
        let start = position
        try enter()
        position += 1
        var members: [(key: String, value: WireJSON)] = []
        var seen = Set<String>()
        skipWhitespace()
        if current == UInt8(ascii: "}") {
            position += 1
        } else {
            while true {
                skipWhitespace()
                guard current == UInt8(ascii: "\"") else { throw error("expected a member name in double quotes") }
                let key = try parseString()
                guard seen.insert(key).inserted else { throw error("member '\(key)' appears twice") }
                skipWhitespace()
                guard current == UInt8(ascii: ":") else { throw error("expected ':' after member name '\(key)'") }
                position += 1
                skipWhitespace()
                members.append((key, try parseValue()))
                skipWhitespace()
                if current == UInt8(ascii: ",") { position += 1; continue }
                if current == UInt8(ascii: "}") { position += 1; break }
                throw error("expected ',' or '}' in an object")
            }
        }
        depth -= 1
        return WireJSON(value: .object(members), range: start..<position)
    }

    mutating func parseArray() throws -> WireJSON {
        let start = position
        try enter()
        position += 1
        var elements: [WireJSON] = []
        skipWhitespace()
        if current == UInt8(ascii: "]") {
            position += 1
        } else {
            while true {
                skipWhitespace()
                elements.append(try parseValue())
                skipWhitespace()
                if current == UInt8(ascii: ",") { position += 1; continue }
                if current == UInt8(ascii: "]") { position += 1; break }
                throw error("expected ',' or ']' in an array")
            }
        }
        depth -= 1
        return WireJSON(value: .array(elements), range: start..<position)
    }

    mutating func parseNumber() throws -> WireJSON {
        let start = position
        func digits() -> Int {
            let s = position
            while let c = current, c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") { position += 1 }
            return position - s
        }
        if current == UInt8(ascii: "-") { position += 1 }
        if current == UInt8(ascii: "0") {
            position += 1
        } else if digits() == 0 {
            throw error("expected a digit")
        }
        if current == UInt8(ascii: ".") {
            position += 1
            guard digits() > 0 else { throw error("expected a digit after '.'") }
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            position += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { position += 1 }
            guard digits() > 0 else { throw error("expected a digit in the exponent") }
        }
        let text = String(decoding: bytes[start..<position], as: UTF8.self)
        return WireJSON(value: .number(text), range: start..<position)
    }

    mutating func parseString() throws -> String {
        position += 1   // opening quote
        var scalars = String.UnicodeScalarView()
        var runStart = position
        func flushRun(_ end: Int) throws {
            guard runStart < end else { return }
            guard let s = String(validating: bytes[runStart..<end], as: UTF8.self) else {
                throw error("string is not valid UTF-8")
            }
            scalars.append(contentsOf: s.unicodeScalars)
        }
        while true {
            guard let c = current else { throw error("unterminated string") }
            if c == UInt8(ascii: "\"") {
                try flushRun(position)
                position += 1
                return String(scalars)
            }
            if c < 0x20 { throw error("control character in a string") }
            if c == UInt8(ascii: "\\") {
                try flushRun(position)
                position += 1
                guard let e = current else { throw error("unterminated escape") }
                position += 1
                switch e {
                case UInt8(ascii: "\""): scalars.append("\"")
                case UInt8(ascii: "\\"): scalars.append("\\")
                case UInt8(ascii: "/"): scalars.append("/")
                case UInt8(ascii: "b"): scalars.append("\u{08}")
                case UInt8(ascii: "f"): scalars.append("\u{0C}")
                case UInt8(ascii: "n"): scalars.append("\n")
                case UInt8(ascii: "r"): scalars.append("\r")
                case UInt8(ascii: "t"): scalars.append("\t")
                case UInt8(ascii: "u"):
                    var code = try hex4()
                    if code >= 0xD800 && code < 0xDC00 {
                        guard current == UInt8(ascii: "\\") else { throw error("unpaired surrogate in \\u escape") }
                        position += 1
                        guard current == UInt8(ascii: "u") else { throw error("unpaired surrogate in \\u escape") }
                        position += 1
                        let low = try hex4()
                        guard low >= 0xDC00 && low < 0xE000 else { throw error("unpaired surrogate in \\u escape") }
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let scalar = Unicode.Scalar(code) else { throw error("invalid \\u escape") }
                    scalars.append(scalar)
                default:
                    throw error("invalid escape '\\\(Character(Unicode.Scalar(e)))'")
                }
                runStart = position
                continue
            }
            position += 1
        }
    }

    mutating func hex4() throws -> UInt32 {
        var v: UInt32 = 0
        for _ in 0..<4 {
            guard let c = current, let d = Character(Unicode.Scalar(c)).hexDigitValue else {
                throw error("expected four hex digits after \\u")
            }
            v = v * 16 + UInt32(d)
            position += 1
        }
        return v
    }
}
