import Foundation

/// A parsed JSON value together with the 1-based line on which it starts, so that every
/// error about it can cite `file:line`. Objects keep their members in document order.
public struct JSONNode: Sendable {
    public enum Content: Sendable {
        case null
        case bool(Bool)
        /// A number; `integer` is its exact value when the literal was written without a
        /// fraction or exponent and fits in `Int` (e.g. `17`, but not `17.0` or `1e3`).
        case number(Double, integer: Int?)
        case string(String)
        case array([JSONNode])
        case object([JSONNodeMember])
    }

    public var content: Content
    /// 1-based line of the value's first character.
    public var line: Int
    /// The exact value of an integer literal above `Int.max` that fits in 64 bits unsigned
    /// (such as a 64-bit seed `18446744073709551615`, whose `integer` is nil); nil otherwise.
    public var unsignedInteger: UInt64?

    public init(_ content: Content, line: Int) {
        self.content = content
        self.line = line
    }

    /// The plain value (line numbers dropped).
    public var value: JSONValue {
        switch content {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .number(let x, _): return .number(x)
        case .string(let s): return .string(s)
        case .array(let items): return .array(items.map(\.value))
        case .object(let members): return .object(members.map { JSONMember($0.key, $0.node.value) })
        }
    }

    /// The member named `key` when this is an object.
    public subscript(key: String) -> JSONNode? {
        if case .object(let members) = content { return members.first { $0.key == key }?.node }
        return nil
    }

    /// The node at a field path such as `gates[3][1]`, `params[7]` or `training.lr`, as used
    /// in `IQPError.field`; nil when the path does not lead anywhere.
    public func node(atPath path: String) -> JSONNode? {
        var current = self
        var rest = Substring(path)
        while !rest.isEmpty {
            if rest.first == "[" {
                guard let close = rest.firstIndex(of: "]"),
                      let index = Int(rest[rest.index(after: rest.startIndex)..<close]),
                      case .array(let items) = current.content, items.indices.contains(index)
                else { return nil }
                current = items[index]
                rest = rest[rest.index(after: close)...]
            } else {
                if rest.first == "." { rest = rest.dropFirst() }
                let end = rest.firstIndex { $0 == "." || $0 == "[" } ?? rest.endIndex
                guard let next = current[String(rest[..<end])] else { return nil }
                current = next
                rest = rest[end...]
            }
        }
        return current
    }

    /// A short name of the value's type for error messages ("a string", "an array", …).
    public var typeDescription: String {
        switch content {
        case .null: return "null"
        case .bool: return "a boolean"
        case .number(_, let integer): return integer != nil ? "an integer" : "a number"
        case .string: return "a string"
        case .array: return "a list"
        case .object: return "an object"
        }
    }
}

/// One `"key": value` member of a parsed object.
public struct JSONNodeMember: Sendable {
    public var key: String
    public var node: JSONNode
    public init(key: String, node: JSONNode) { self.key = key; self.node = node }
}

/// A strict JSON parser (RFC 8259) over UTF-8 text that records the line of every value.
///
/// Rejected, with `file:line: invalid JSON: …`: trailing garbage, `NaN`/`Infinity` tokens,
/// numbers that overflow a Double (e.g. `1e400`), duplicate keys in one object, control
/// characters in strings, lone surrogates in `\u` escapes, leading zeros, and nesting deeper
/// than `maximumDepth`. Numbers are converted with `Double(String)` (correctly rounded).
/// A leading UTF-8 byte-order mark is skipped.
public enum JSONParser {
    public static let maximumDepth = 512

    /// Parses `text`; errors name `file` (when given) and the line.
    public static func parse(_ text: String, file: String? = nil) throws -> JSONNode {
        var text = text
        return try text.withUTF8 { try parse(bytes: UnsafeRawBufferPointer($0), file: file) }
    }

    /// Parses UTF-8 `data`; invalid UTF-8 is an error naming its line.
    public static func parse(data: Data, file: String? = nil) throws -> JSONNode {
        try data.withUnsafeBytes { try parse(bytes: $0, file: file) }
    }

    /// Reads and parses the file at `path` (errors name `path`).
    public static func read(path: String) throws -> JSONNode {
        try parse(data: readWholeFile(path: path), file: path)
    }

    /// Parses `bytes` (UTF-8) into a node tree.
    public static func parse(bytes: UnsafeRawBufferPointer, file: String? = nil) throws -> JSONNode {
        var scanner = Scanner(bytes: bytes, file: file)
        return try scanner.parseDocument()
    }

    private struct Scanner {
        let bytes: UnsafeRawBufferPointer
        let file: String?
        var position = 0
        var line = 1
        var depth = 0

        init(bytes: UnsafeRawBufferPointer, file: String?) {
            self.bytes = bytes
            self.file = file
        }

        func error(_ message: String, line: Int? = nil) -> IQPError {
            IQPError("invalid JSON: " + message, file: file, line: line ?? self.line)
        }

        var atEnd: Bool { position >= bytes.count }
        var current: UInt8 { bytes[position] }

        /// What stands at the current position, for "expected X, found Y".
        var found: String {
            if atEnd { return "end of file" }
            let c = current
            if c >= 0x21 && c < 0x7F { return "'\(Character(Unicode.Scalar(c)))'" }
            if c == 0x0A || c == 0x0D { return "end of line" }
            if c == 0x20 || c == 0x09 { return "whitespace" }
            return "byte 0x" + String(c, radix: 16, uppercase: true)
        }

        mutating func skipWhitespace() {
            while position < bytes.count {
                switch bytes[position] {
                case 0x20, 0x09, 0x0D: position += 1
                case 0x0A: position += 1; line += 1
                default: return
                }
            }
        }

        mutating func parseDocument() throws -> JSONNode {
            if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { position = 3 }
            skipWhitespace()
            if atEnd { throw error("the file is empty (expected a JSON value)") }
            let node = try parseValue()
            skipWhitespace()
            if !atEnd { throw error("unexpected \(found) after the end of the JSON value") }
            return node
        }

        mutating func parseValue() throws -> JSONNode {
            skipWhitespace()
            guard !atEnd else { throw error("expected a value, found end of file") }
            let startLine = line
            switch current {
            case UInt8(ascii: "{"): return try parseObject()
            case UInt8(ascii: "["): return try parseArray()
            case UInt8(ascii: "\""): return JSONNode(.string(try parseString()), line: startLine)
            case UInt8(ascii: "t"): try expectWord("true"); return JSONNode(.bool(true), line: startLine)
            case UInt8(ascii: "f"): try expectWord("false"); return JSONNode(.bool(false), line: startLine)
            case UInt8(ascii: "n"): try expectWord("null"); return JSONNode(.null, line: startLine)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                return try parseNumber()
            case UInt8(ascii: "N"), UInt8(ascii: "I"):
                throw error("\(word()) is not valid JSON (numbers must be finite)")
            default:
                throw error("expected a value, found \(found)")
            }
        }

        /// The identifier-like run of letters at the current position (for messages).
        func word(from start: Int? = nil) -> String {
            var end = start ?? position
            while end < bytes.count, end - (start ?? position) < 20,
                  (bytes[end] >= 0x41 && bytes[end] <= 0x5A) || (bytes[end] >= 0x61 && bytes[end] <= 0x7A)
                    || bytes[end] == UInt8(ascii: "-") {
                end += 1
            }
            return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[(start ?? position)..<end]), as: UTF8.self)
        }

        mutating func expectWord(_ w: String) throws {
            let expected = Array(w.utf8)
            let n = expected.count
            let ok = position + n <= bytes.count && (0..<n).allSatisfy { bytes[position + $0] == expected[$0] }
            guard ok else { throw error("expected a value, found '\(word())'") }
            position += n
        }

        mutating func enter() throws {
            depth += 1
            if depth > JSONParser.maximumDepth {
                throw error("nesting deeper than \(JSONParser.maximumDepth) levels")
            }
        }

        mutating func parseObject() throws -> JSONNode {
            let startLine = line
            try enter()
            position += 1  // {
            var members: [JSONNodeMember] = []
            var keys = Set<String>()
            skipWhitespace()
            if !atEnd && current == UInt8(ascii: "}") {
                position += 1
                depth -= 1
                return JSONNode(.object(members), line: startLine)
            }
            while true {
                skipWhitespace()
                guard !atEnd && current == UInt8(ascii: "\"") else {
                    throw error("expected a string key, found \(found)")
                }
                let keyLine = line
                let key = try parseString()
                guard keys.insert(key).inserted else {
                    throw error("duplicate key '\(key)'", line: keyLine)
                }
                skipWhitespace()
                guard !atEnd && current == UInt8(ascii: ":") else {
                    throw error("expected ':' after key '\(key)', found \(found)")
                }
                position += 1
                let value = try parseValue()
                members.append(JSONNodeMember(key: key, node: value))
                skipWhitespace()
                guard !atEnd else { throw error("expected ',' or '}', found end of file") }
                if current == UInt8(ascii: ",") { position += 1; continue }
                if current == UInt8(ascii: "}") { position += 1; break }
                throw error("expected ',' or '}', found \(found)")
            }
            depth -= 1
            return JSONNode(.object(members), line: startLine)
        }

        mutating func parseArray() throws -> JSONNode {
            let startLine = line
            try enter()
            position += 1  // [
            var items: [JSONNode] = []
            skipWhitespace()
            if !atEnd && current == UInt8(ascii: "]") {
                position += 1
                depth -= 1
                return JSONNode(.array(items), line: startLine)
            }
            while true {
                items.append(try parseValue())
                skipWhitespace()
                guard !atEnd else { throw error("expected ',' or ']', found end of file") }
                if current == UInt8(ascii: ",") { position += 1; continue }
                if current == UInt8(ascii: "]") { position += 1; break }
                throw error("expected ',' or ']', found \(found)")
            }
            depth -= 1
            return JSONNode(.array(items), line: startLine)
        }

        mutating func parseNumber() throws -> JSONNode {
            let start = position
            var isInteger = true
            if current == UInt8(ascii: "-") {
                position += 1
                if !atEnd && (current == UInt8(ascii: "I") || current == UInt8(ascii: "N")) {
                    throw error("-\(word()) is not valid JSON (numbers must be finite)")
                }
            }
            func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
            guard !atEnd && isDigit(current) else { throw error("expected a digit after '-', found \(found)") }
            if current == UInt8(ascii: "0") {
                position += 1
                if !atEnd && isDigit(current) { throw error("numbers must not have leading zeros") }
            } else {
                while !atEnd && isDigit(current) { position += 1 }
            }
            if !atEnd && current == UInt8(ascii: ".") {
                isInteger = false
                position += 1
                guard !atEnd && isDigit(current) else { throw error("expected a digit after '.', found \(found)") }
                while !atEnd && isDigit(current) { position += 1 }
            }
            if !atEnd && (current == UInt8(ascii: "e") || current == UInt8(ascii: "E")) {
                isInteger = false
                position += 1
                if !atEnd && (current == UInt8(ascii: "+") || current == UInt8(ascii: "-")) { position += 1 }
                guard !atEnd && isDigit(current) else { throw error("expected a digit in the exponent, found \(found)") }
                while !atEnd && isDigit(current) { position += 1 }
            }
            let literal = UnsafeRawBufferPointer(rebasing: bytes[start..<position])
            let negative = literal[0] == UInt8(ascii: "-")
            // Fast exact path: integers of up to 15 digits are exactly representable.
            if isInteger && literal.count <= (negative ? 16 : 15) {
                var v = 0
                for c in literal where c != UInt8(ascii: "-") { v = v * 10 + Int(c - 0x30) }
                if negative { v = -v }
                let x: Double = (negative && v == 0) ? -0.0 : Double(v)
                return JSONNode(.number(x, integer: v), line: line)
            }
            let text = String(decoding: literal, as: UTF8.self)
            guard let x = Double(text), x.isFinite else {
                throw error("number \(text) is out of range")
            }
            let integer = isInteger ? Int(text) : nil
            var node = JSONNode(.number(x, integer: integer), line: line)
            if isInteger && !negative && integer == nil { node.unsignedInteger = UInt64(text) }
            return node
        }

        /// Parses a string literal (the current byte is the opening quote).
        mutating func parseString() throws -> String {
            position += 1
            let startLine = line
            var out: [UInt8] = []
            var runStart = position
            while true {
                guard !atEnd else { throw error("unterminated string (it starts on line \(startLine))") }
                let c = current
                if c == UInt8(ascii: "\"") {
                    if out.isEmpty {
                        let s = try decodeUTF8(UnsafeRawBufferPointer(rebasing: bytes[runStart..<position]))
                        position += 1
                        return s
                    }
                    out.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[runStart..<position]))
                    position += 1
                    return try decodeUTF8(UnsafeRawBufferPointer(start: nil, count: 0), prefix: out)
                }
                if c < 0x20 {
                    throw error(c == 0x0A ? "unterminated string (line break inside a string)"
                                         : "control character 0x\(String(c, radix: 16)) must be escaped in a string")
                }
                if c == UInt8(ascii: "\\") {
                    out.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[runStart..<position]))
                    position += 1
                    guard !atEnd else { throw error("unterminated string (it starts on line \(startLine))") }
                    let e = current
                    position += 1
                    switch e {
                    case UInt8(ascii: "\""): out.append(0x22)
                    case UInt8(ascii: "\\"): out.append(0x5C)
                    case UInt8(ascii: "/"): out.append(0x2F)
                    case UInt8(ascii: "b"): out.append(0x08)
                    case UInt8(ascii: "f"): out.append(0x0C)
                    case UInt8(ascii: "n"): out.append(0x0A)
                    case UInt8(ascii: "r"): out.append(0x0D)
                    case UInt8(ascii: "t"): out.append(0x09)
                    case UInt8(ascii: "u"):
                        var scalar = try hex4()
                        if scalar >= 0xD800 && scalar < 0xDC00 {
                            guard position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"),
                                  bytes[position + 1] == UInt8(ascii: "u") else {
                                throw error("unpaired surrogate \\u\(String(scalar, radix: 16, uppercase: true)) in string")
                            }
                            position += 2
                            let low = try hex4()
                            guard low >= 0xDC00 && low < 0xE000 else {
                                throw error("unpaired surrogate \\u\(String(scalar, radix: 16, uppercase: true)) in string")
                            }
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        } else if scalar >= 0xDC00 && scalar < 0xE000 {
                            throw error("unpaired surrogate \\u\(String(scalar, radix: 16, uppercase: true)) in string")
                        }
                        out.append(contentsOf: Array(String(Character(Unicode.Scalar(scalar)!)).utf8))
                    default:
                        throw error("invalid escape '\\\(Character(Unicode.Scalar(e)))' in string")
                    }
                    runStart = position
                    continue
                }
                position += 1
            }
        }

        mutating func hex4() throws -> UInt32 {
            guard position + 4 <= bytes.count else { throw error("expected 4 hex digits after \\u") }
            var v: UInt32 = 0
            for _ in 0..<4 {
                let c = current
                let d: UInt32
                switch c {
                case 0x30...0x39: d = UInt32(c - 0x30)
                case 0x41...0x46: d = UInt32(c - 0x41 + 10)
                case 0x61...0x66: d = UInt32(c - 0x61 + 10)
                default: throw error("expected 4 hex digits after \\u, found \(found)")
                }
                v = v << 4 | d
                position += 1
            }
            return v
        }

        func decodeUTF8(_ raw: UnsafeRawBufferPointer, prefix: [UInt8] = []) throws -> String {
            let s: String? = prefix.isEmpty
                ? String(validatingUTF8Bytes: raw)
                : prefix.withUnsafeBytes { String(validatingUTF8Bytes: $0) }
            guard let s else { throw error("string is not valid UTF-8") }
            return s
        }
    }
}

extension String {
    /// Decodes `bytes` as UTF-8, or nil if they are not valid UTF-8.
    init?(validatingUTF8Bytes bytes: UnsafeRawBufferPointer) {
        if !bytes.contains(where: { $0 >= 0x80 }) {
            self = String(decoding: bytes, as: UTF8.self)
            return
        }
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var scalars = String.UnicodeScalarView()
        loop: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let s): scalars.append(s)
            case .emptyInput: break loop
            case .error: return nil
            }
        }
        self = String(scalars)
    }
}
