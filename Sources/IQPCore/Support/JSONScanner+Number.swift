/// Number literals (RFC 8259 grammar): integers of up to 15 digits exactly by a digit loop,
/// everything else by `Double(String)` (correctly rounded); non-finite results are errors.
extension JSONScanner {
    /// Parses the number at the current position (a `-` or a digit).
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
}
