import IQPCore

/// Optional typed look-ups on a parsed JSON value: the seed of a job body as the scanner read
/// it (`JobSubmission` takes only integer literals; JSONDecoder alone would also take `7.0` for
/// a `UInt64`), and the answers' members in the tests.
extension JSONNode {
    var string: String? {
        if case .string(let s) = content { return s }
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
