import Foundation

/// Byte counts as users write them on the command line: a plain number of bytes, or a number
/// with a binary unit K, M, G or T (optionally followed by B or iB, any case): `512M`, `2G`,
/// `1.5GiB`, `12g`; a bare trailing B means bytes (`4096B`).
public enum ByteCount {
    /// The number of bytes `text` names (positive); the error names `field`.
    public static func parse(_ text: String, field: String) throws -> Int {
        var digits = Substring(text.trimmingCharacters(in: .whitespaces))
        var scale = 1.0
        let units: [(String, Double)] = [("k", 0x1p10), ("m", 0x1p20), ("g", 0x1p30), ("t", 0x1p40)]
        search: for (unit, factor) in units {
            for form in [unit + "ib", unit + "b", unit] where digits.lowercased().hasSuffix(form) {
                digits = digits.dropLast(form.count)
                scale = factor
                break search
            }
        }
        if scale == 1, digits.lowercased().hasSuffix("b") { digits = digits.dropLast() }
        guard let value = Double(digits.trimmingCharacters(in: .whitespaces)), value > 0, value.isFinite,
              value * scale < 0x1p62 else {
            throw IQPError("expected a number of bytes or a size such as 512M or 12G, got '\(text)'", field: field)
        }
        return Int(value * scale)
    }
}

import Foundation

extension ByteCount {
    /// A byte count for messages, in binary units with at most one decimal: "512 bytes",
    /// "1 GiB", "745.1 TiB".
    public static func format(_ bytes: Double) -> String {
        guard bytes.isFinite else { return "\(bytes) bytes" }
        let units = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"]
        var value = bytes
        var u = 0
        while value >= 1024 && u < units.count - 1 {
            value /= 1024
            u += 1
        }
        if u == 0 { return "\(Int(value)) bytes" }
        let rounded = (value * 10).rounded() / 10
        if rounded == rounded.rounded() && rounded < 1e15 { return "\(Int(rounded)) \(units[u])" }
        return String(format: "%.1f", rounded) + " " + units[u]
    }
}
