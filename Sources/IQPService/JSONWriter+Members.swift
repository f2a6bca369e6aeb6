import Foundation
import IQPCore

extension JSONWriter {
    /// A one-line JSON object, `{"id": "…", "seed": 18446744073709551615}`, from members
    /// whose values are already JSON text (`quote`, `format`, `encodeCompact`, or an integer's
    /// digits), in the given order. The service writes bodies that carry a 64-bit seed this way:
    /// `JSONValue` holds numbers as Double, which would round such a seed.
    static func object(_ members: [(String, String)]) -> String {
        "{" + members.map { quote($0.0) + ": " + $0.1 }.joined(separator: ", ") + "}"
    }

    /// A time as a JSON string in ISO 8601 UTC with milliseconds: "2026-11-21T06:09:09.740Z".
    static func time(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return quote(formatter.string(from: date))
    }
}
