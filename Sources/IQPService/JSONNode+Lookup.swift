import IQPCore

/// Optional typed look-ups on a parsed JSON value, for reading the service's own answers in
/// the client (where a missing or mistyped member just makes the answer unreadable).
/// Request bodies are read through `JSONField` instead, whose errors name line and field.
extension JSONNode {
    var string: String? {
        if case .string(let s) = content { return s }
        return nil
    }

    var bool: Bool? {
        if case .bool(let b) = content { return b }
        return nil
    }

    var number: Double? {
        if case .number(let x, _) = content { return x }
        return nil
    }

    /// An integer literal within `Int` (`17`, not `17.0`).
    var integer: Int? {
        if case .number(_, let integer) = content { return integer }
        return nil
    }

    /// An integer literal in 0…18446744073709551615 (a 64-bit seed).
    var uint64: UInt64? {
        if let integer { return integer >= 0 ? UInt64(integer) : nil }
        return unsignedInteger
    }

    var isNull: Bool {
        if case .null = content { return true }
        return false
    }
}
