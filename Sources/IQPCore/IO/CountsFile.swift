import Foundation

/// Counts: a JSON object of bitstring → count (`{"0101": 12, "1100": 3}`), what Qiskit's
/// `result.get_counts()` and IBM's samplers (`pub_result.data.meas.get_counts()`) give, and
/// what `iqp sample --format counts` writes. Read by `iqp eval --samples-file counts.json`.
///
/// Bit order: Qiskit writes classical bit 0 last (the rightmost character is qubit 0):
/// `qubitZeroLast` true. `iqp`'s CSV and the service's `wires` order put qubit 0 first.
public enum CountsFile {
    /// True when the file's text is a JSON object (a counts file rather than CSV rows).
    public static func looksLikeCounts(_ data: Data) -> Bool {
        data.first(where: { !($0 == 0x20 || $0 == 0x0a || $0 == 0x0d || $0 == 0x09) }) == UInt8(ascii: "{")
    }

    /// The shots of a counts file, one row per shot (bitstrings in the file's order, each repeated
    /// `count` times). Spaces inside a bitstring (Qiskit's register separator) are ignored.
    public static func parse(_ data: Data, file: String?, qubitZeroLast: Bool, expectedWidth: Int? = nil) throws -> BitMatrix {
        let root = try JSONParser.parse(data: data, file: file)
        let object = try JSONField(node: root, file: file).object("an object of bitstring → count")
        var rows: [[UInt8]] = []
        var width: Int? = nil
        for key in object.keys {
            let field = try object.required(key)
            let count = try field.int("a count")
            guard count >= 0 else { throw field.error("a count must be at least 0, got \(count)") }
            var bits = try key.filter { $0 != " " }.map { c -> UInt8 in
                switch c {
                case "0": return 0
                case "1": return 1
                default: throw field.error("'\(key)' is not a bitstring of 0 and 1")
                }
            }
            if qubitZeroLast { bits.reverse() }
            if let width, width != bits.count { throw field.error("'\(key)' has \(bits.count) bits, the first had \(width)") }
            width = bits.count
            rows.append(contentsOf: repeatElement(bits, count: count))
        }
        guard let width, !rows.isEmpty else { throw IQPError("no shots (every count is 0, or there are none)", file: file) }
        if let expectedWidth, expectedWidth != width {
            throw IQPError("the bitstrings have \(width) bits but the model has \(expectedWidth) qubits", file: file)
        }
        let text = rows.map { $0.map { $0 == 1 ? "1" : "0" }.joined(separator: ",") }.joined(separator: "\n") + "\n"
        return try DataFile.parseText(text, file: file, expectedWidth: expectedWidth)
    }

    /// The shots as counts JSON, bitstrings in first-seen order, `qubitZeroLast` as Qiskit writes them.
    public static func encode(_ shots: BitMatrix, qubitZeroLast: Bool) -> String {
        var order: [String] = [], counts: [String: Int] = [:]
        for r in 0..<shots.rows {
            var bits = (0..<shots.columns).map { shots[r, $0] ? "1" : "0" }
            if qubitZeroLast { bits.reverse() }
            let key = bits.joined()
            if counts[key] == nil { order.append(key) }
            counts[key, default: 0] += 1
        }
        return "{\n" + order.map { "  \"\($0)\": \(counts[$0]!)" }.joined(separator: ",\n") + "\n}\n"
    }
}
