import Hummingbird

/// The query of `GET /v1/jobs/{id}/result`: `format=packed|text|csv` (default packed),
/// `counts=true|false|int` (default false; `1`/`0` also read), `bit_order=wires|qiskit`
/// (default wires, see `BitOrder`). Unknown parameters are refused.
struct ResultQuery: Equatable {
    enum Format: String, CaseIterable {
        case packed, text, csv
    }

    enum Counts: Equatable {
        /// Keys are bitstrings in the bit order.
        case bitstrings
        /// Keys are the decimal integers Σ_i 2^i·bit_i.
        case integers
    }

    var format = Format.packed
    var counts: Counts?
    var bitOrder = BitOrder.wires

    static let parameters = ["format", "counts", "bit_order"]

    init(_ query: Parameters) throws(ServiceError) {
        // `format=csv&format=text` has no single meaning: refused, not resolved silently.
        var seen = Set<String>()
        for (key, _) in query where !seen.insert(String(key)).inserted {
            throw .invalidField("query parameter '\(key)' is given more than once; give each parameter once")
        }
        for (key, _) in query where !ResultQuery.parameters.contains(String(key)) {
            throw .invalidField("unknown query parameter '\(key)'; the parameters are \(ResultQuery.parameters.joined(separator: ", "))")
        }
        if let text = query.get("format").map { String($0) } {
            guard let format = Format(rawValue: text) else {
                throw .invalidField("query parameter 'format': expected packed, text or csv, got '\(text)'")
            }
            self.format = format
        }
        if let text = query.get("counts").map { String($0) } {
            switch text {
            case "true", "1": counts = .bitstrings
            case "int": counts = .integers
            case "false", "0": counts = nil
            default: throw .invalidField("query parameter 'counts': expected true, false or int, got '\(text)'")
            }
        }
        if let text = query.get("bit_order").map { String($0) } {
            guard let order = BitOrder(rawValue: text) else {
                throw .invalidField("query parameter 'bit_order': expected wires (qubit 0 first) or qiskit (qubit 0 last), got '\(text)'")
            }
            bitOrder = order
        }
        if format == .csv && counts != nil {
            throw .invalidField("query parameter 'counts': counts come with format=packed or text, not csv")
        }
    }
}
