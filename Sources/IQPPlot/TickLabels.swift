import Foundation

/// Labels of an axis's major ticks: as short as possible while every label reads back to
/// its tick's value and no two labels are the same.
///
/// Linear axes: decimal notation (`0.25`, `1500`) unless the largest tick is ≥ 10⁶ or below
/// 10⁻³, then e-notation (`2.5e-4`, `1e6`); every label has the same number of digits after
/// the point (`0.50`, `0.75`). Log axes: each label as short as it can be (`0.01`, `0.1`,
/// `1`), all in e-notation when one needs it (`5e-3`, `2e-3`, `1e-3`, `5e-4`), and `10⁻⁴`
/// when the ticks are all powers of ten and some lie outside 10⁻³…10⁴.
public enum TickLabels {
    public static func labels(_ ticks: [Double], kind: ScaleKind) -> [String] {
        guard !ticks.isEmpty else { return [] }
        if kind == .log, let exponents = decadeExponents(ticks),
           exponents.contains(where: { $0 < -3 || $0 > 4 }) {
            return exponents.map(powerOfTen)
        }
        if kind == .log {
            let scientific = ticks.contains { abs($0) >= 1e6 || abs($0) < 1e-3 }
            return ticks.map { shortest($0, scientific: scientific) }
        }
        let largest = ticks.map(abs).max()!
        let scientific = largest >= 1e6 || (largest < 1e-3 && largest > 0)
        let tolerance = smallestGap(ticks) * 1e-6
        for digits in 0...17 {
            let labels = ticks.map { format($0, digits: digits, scientific: scientific) }
            let exact = zip(labels, ticks).allSatisfy { label, tick in
                abs((Double(label) ?? .nan) - tick) <= max(tolerance, abs(tick) * 1e-15)
            }
            if exact && Set(labels).count == labels.count { return labels }
        }
        return ticks.map { format($0, digits: 17, scientific: true) }
    }

    /// The shortest label of one value that reads back to it (to 1e-9 relative).
    static func shortest(_ value: Double, scientific: Bool) -> String {
        for digits in 0...17 {
            let label = format(value, digits: digits, scientific: scientific)
            if abs((Double(label) ?? .nan) - value) <= abs(value) * 1e-9 { return label }
        }
        return "\(value)"
    }

    /// The label of one value in decimal or e-notation with `digits` digits after the point.
    static func format(_ value: Double, digits: Int, scientific: Bool) -> String {
        if value == 0 { return "0" }
        guard scientific else {
            let text = String(format: "%.\(digits)f", value)
            return Double(text) == 0 ? "0" : text
        }
        // "%e" gives "2.50e-04": drop the exponent's '+' and leading zeros.
        let text = String(format: "%.\(digits)e", value)
        guard let e = text.firstIndex(of: "e") else { return text }
        let exponent = Int(text[text.index(after: e)...]) ?? 0
        return "\(text[..<e])e\(exponent)"
    }

    /// The exponents k of ticks that are all 10^k, or nil.
    private static func decadeExponents(_ ticks: [Double]) -> [Int]? {
        var exponents: [Int] = []
        for tick in ticks {
            guard tick > 0 else { return nil }
            let k = log10(tick).rounded()
            guard abs(tick / pow(10, k) - 1) < 1e-9 else { return nil }
            exponents.append(Int(k))
        }
        return exponents
    }

    /// `10` with the exponent in superscript digits: 10⁻⁴, 10⁰, 10¹².
    static func powerOfTen(_ exponent: Int) -> String {
        let superscripts: [Character: Character] = [
            "0": "⁰", "1": "¹", "2": "²", "3": "³", "4": "⁴", "5": "⁵", "6": "⁶", "7": "⁷", "8": "⁸", "9": "⁹", "-": "⁻",
        ]
        return "10" + String(String(exponent).map { superscripts[$0]! })
    }

    private static func smallestGap(_ ticks: [Double]) -> Double {
        let gaps = zip(ticks.dropFirst(), ticks).map { $0 - $1 }.filter { $0 > 0 }
        return gaps.min() ?? max(abs(ticks[0]), 1)
    }
}
