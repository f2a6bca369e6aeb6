/// The state of one parse by `JSONParser`: the bytes, the position, the current line (for
/// every error and every node) and the nesting depth. Numbers are read by
/// `JSONScanner+Number.swift`, strings by `JSONScanner+String.swift`.
struct JSONScanner {
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
}
