import Foundation

/// Major (labelled) and minor (unlabelled) tick values of an axis, in increasing order.
public struct Ticks: Sendable, Equatable {
    public var major: [Double]
    public var minor: [Double]

    public init(major: [Double], minor: [Double] = []) {
        self.major = major
        self.minor = minor
    }
}

/// "Nice" tick values: round numbers a reader can interpolate between.
///
/// Linear axes step by 1, 2, 2.5 or 5 × 10^k, the smallest such step that is at least
/// span/(count + 1). Log axes label whole decades when the axis spans three or more
/// (every d-th decade when there are more than `count`, with the decades between as minor
/// ticks, or 2…9 × 10^k as minor ticks when every decade is labelled and there are at most
/// eight); a shorter log axis labels 1, 2, 5 × 10^k, else 1…9 × 10^k, else falls back to
/// linear ticks.
public enum NiceTicks {
    /// The smallest step m × 10^k (m ∈ {1, 2, 2.5, 5}) that is ≥ `raw` (> 0, finite), to a
    /// relative 1e-6 (so rounding in `raw` does not double the step).
    public static func niceStep(_ raw: Double) -> Double {
        let (m, k) = niceMantissaAndExponent(raw)
        return decimal(m, k)
    }

    private static func niceMantissaAndExponent(_ raw: Double) -> (Double, Int) {
        let k = Int(log10(raw).rounded(.down))
        for m in [1, 2, 2.5, 5] where decimal(m, k) >= raw * (1 - 1e-6) { return (m, k) }
        return (1, k + 1)
    }

    /// x × 10^k, correctly rounded when x is an integer or half-integer and |k| ≤ 22 (so a
    /// tick is the double nearest its decimal value: 1.2, not 1.2000000000000002).
    private static func decimal(_ x: Double, _ k: Int) -> Double {
        k >= 0 ? x * pow(10, Double(k)) : x / pow(10, Double(-k))
    }

    /// Ticks k·step in [lower, upper], at least two, about `count` (≥ 2) of them.
    public static func linear(lower: Double, upper: Double, count: Int) -> Ticks {
        var target = max(2, count)
        while true {
            // (upper/2 − lower/2)·2 is the span without overflow for any finite domain; a
            // step of span/(target + 1) or more gives target ± 1 ticks, not target/2.
            let raw = (upper / 2 - lower / 2) / Double(target + 1) * 2
            // A span at the limits of Double (a subnormal step, or one far below the values'
            // spacing): the ends are the only ticks that can be told apart.
            guard raw > 0, raw.isFinite, abs(lower / raw) < 1e15, abs(upper / raw) < 1e15 else {
                return Ticks(major: [lower, upper])
            }
            let (m, k) = niceMantissaAndExponent(raw)
            let step = decimal(m, k)
            guard step > 0, step.isFinite else { return Ticks(major: [lower, upper]) }
            var first = (lower / step).rounded(.up), last = (upper / step).rounded(.down)
            // lower/step carries rounding: a tick exactly at an end stays in.
            if decimal((first - 1) * m, k) >= lower { first -= 1 }
            if decimal((last + 1) * m, k) <= upper { last += 1 }
            if last - first >= 1 || target >= 64 {
                let ticks = stride(from: first, through: last, by: 1).map { i -> Double in
                    let value = decimal(i * m, k)
                    return abs(value) < step * 1e-9 ? 0 : value
                }
                return Ticks(major: ticks)
            }
            target *= 2
        }
    }

    /// Ticks of a log axis over [lower, upper] (0 < lower < upper), at most about `count`
    /// labelled.
    public static func log(lower: Double, upper: Double, count: Int) -> Ticks {
        let a = log10(lower), b = log10(upper)
        let firstDecade = Int((a - 1e-9).rounded(.up)), lastDecade = Int((b + 1e-9).rounded(.down))
        let decades = lastDecade - firstDecade + 1
        let count = max(2, count)
        if decades >= 3 { return decadeTicks(firstDecade...lastDecade, lower: lower, upper: upper, count: count) }
        let oneTwoFive = mantissaTicks([1, 2, 5], lower: lower, upper: upper)
        if oneTwoFive.count >= 3 && oneTwoFive.count <= count + 1 {
            let minor = mantissaTicks([3, 4, 6, 7, 8, 9], lower: lower, upper: upper)
            return Ticks(major: oneTwoFive, minor: minor)
        }
        if decades == 2 { return decadeTicks(firstDecade...lastDecade, lower: lower, upper: upper, count: count) }
        let all = mantissaTicks([1, 2, 3, 4, 5, 6, 7, 8, 9], lower: lower, upper: upper)
        if all.count >= 3 && all.count <= count + 1 { return Ticks(major: all) }
        return linear(lower: lower, upper: upper, count: count)
    }

    /// Whether every value is a power of two 2^k, k ≥ 0 (1, 2, 4, 8, …), with two or more
    /// distinct: rank and qubit counts, whose log axis then gets the powers of two as ticks.
    public static func arePowersOfTwo(_ values: [Double]) -> Bool {
        guard Set(values).count >= 2 else { return false }
        return values.allSatisfy { v in
            v >= 1 && v < 0x1p62 && v == v.rounded() && UInt64(v).nonzeroBitCount == 1
        }
    }

    /// The powers of two from the smallest to the largest of `values` (see `arePowersOfTwo`).
    public static func powersOfTwo(spanning values: [Double]) -> [Double] {
        guard let lo = values.min(), let hi = values.max(), lo >= 1 else { return [] }
        var ticks: [Double] = []
        var v = lo
        while v <= hi { ticks.append(v); v *= 2 }
        return ticks
    }

    private static func decadeTicks(_ decades: ClosedRange<Int>, lower: Double, upper: Double, count: Int) -> Ticks {
        let every = Int((Double(decades.count) / Double(count)).rounded(.up))
        // Labelled decades are multiples of `every` (so 10⁰ is labelled whenever in range).
        let labelled = decades.filter { (($0 % every) + every) % every == 0 }
        let major = labelled.map { pow(10, Double($0)) }
        var minor: [Double] = []
        if every > 1 {
            minor = decades.filter { !labelled.contains($0) }.map { pow(10, Double($0)) }
        } else if decades.count <= 8 {
            minor = mantissaTicks([2, 3, 4, 5, 6, 7, 8, 9], lower: lower, upper: upper)
        }
        return Ticks(major: major, minor: minor)
    }

    /// Every m × 10^k (m in `mantissas`) in [lower, upper], increasing.
    private static func mantissaTicks(_ mantissas: [Double], lower: Double, upper: Double) -> [Double] {
        let first = Int(log10(lower).rounded(.down)), last = Int(log10(upper).rounded(.up))
        var ticks: [Double] = []
        for k in first...last {
            for m in mantissas {
                let value = m * pow(10, Double(k))
                if value.isFinite && value > 0 && value >= lower * (1 - 1e-12) && value <= upper * (1 + 1e-12) { ticks.append(value) }
            }
        }
        return ticks.sorted()
    }
}
