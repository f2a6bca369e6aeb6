/// String literals: unescaped runs are copied as they stand (and decoded once, at the closing
/// quote); escapes, including `\u` surrogate pairs, are decoded into UTF-8.
extension JSONScanner {
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
                return try out.withUnsafeBytes { try decodeUTF8($0) }
            }
            if c < 0x20 {
                throw error(c == 0x0A ? "unterminated string (line break inside a string)"
                                     : "control character 0x\(String(c, radix: 16)) must be escaped in a string")
            }
            if c == UInt8(ascii: "\\") {
                out.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[runStart..<position]))
                try readEscape(into: &out, stringStartLine: startLine)
                runStart = position
                continue
            }
            position += 1
        }
    }

    /// Appends the UTF-8 of the escape sequence at the current position (a backslash) to `out`.
    private mutating func readEscape(into out: inout [UInt8], stringStartLine startLine: Int) throws {
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
            let scalar = try unicodeEscape()
            out.append(contentsOf: Array(String(Character(Unicode.Scalar(scalar)!)).utf8))
        default:
            throw error("invalid escape '\\\(Character(Unicode.Scalar(e)))' in string")
        }
    }

    /// The scalar of a `\uXXXX` escape (after the `u`), joining a UTF-16 surrogate pair
    /// `\uD8xx\uDCxx` into one scalar; a lone surrogate is an error.
    private mutating func unicodeEscape() throws -> UInt32 {
        let scalar = try hex4()
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
            return 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
        }
        if scalar >= 0xDC00 && scalar < 0xE000 {
            throw error("unpaired surrogate \\u\(String(scalar, radix: 16, uppercase: true)) in string")
        }
        return scalar
    }

    /// Four hex digits as a number.
    private mutating func hex4() throws -> UInt32 {
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

    /// `raw` as a string; invalid UTF-8 is an error.
    private func decodeUTF8(_ raw: UnsafeRawBufferPointer) throws -> String {
        guard let s = String(validatingUTF8Bytes: raw) else { throw error("string is not valid UTF-8") }
        return s
    }
}
