extension BitMatrix {
    /// A 64-bit fingerprint of the shape and bits (SplitMix64 chained over the words), as
    /// 16 hex digits; a checkpoint records it to refuse resuming on different data.
    public var fingerprint: String {
        var h = KeyedStream.mix64(UInt64(rows) &* 0x9E37_79B9_7F4A_7C15 ^ UInt64(columns))
        for w in words { h = KeyedStream.mix64(h ^ w) &+ 0x2545_F491_4F6C_DD1D }
        let hex = String(h, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
