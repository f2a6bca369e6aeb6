/// Any member name, for objects whose keys are checked (`refuseUnknown`) or written from data.
struct WireKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ name: String) { stringValue = name }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }

    /// Throws for the first member (in key order) that `allowed` does not name.
    static func refuseUnknown(in c: KeyedDecodingContainer<WireKey>, allowed: [String], prefix: String = "") throws {
        let unknown = c.allKeys.map(\.stringValue).filter { !allowed.contains($0) }
        guard let first = unknown.min() else { return }
        throw RequestFieldError(path: prefix + first, reason: .unknown(allowed: allowed))
    }
}
