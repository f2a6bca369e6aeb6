import Foundation

/// How an axis maps values to positions: proportionally (linear), or proportionally to
/// log₁₀ of the value (log; only values > 0 have a position).
public enum ScaleKind: String, Sendable {
    case linear, log
}

/// The map from a data interval [lower, upper] to a pixel interval [start, end] along one
/// axis (on a y axis `end` < `start`: SVG's y grows downwards).
///
/// linear: p(v) = start + (v − lower)/(upper − lower)·(end − start);
/// log:    p(v) = start + (log₁₀v − log₁₀lower)/(log₁₀upper − log₁₀lower)·(end − start).
/// The linear map is evaluated on halved values, so it cannot overflow for any finite
/// domain (−1.7e308…1.7e308 included).
public struct AxisScale: Sendable, Equatable {
    public let kind: ScaleKind
    public let lower: Double
    public let upper: Double
    public let start: Double
    public let end: Double

    /// `lower` < `upper`, both finite (and > 0 on a log scale): `ScaleDomain.fit` makes such.
    public init(kind: ScaleKind, lower: Double, upper: Double, start: Double, end: Double) {
        precondition(lower < upper && lower.isFinite && upper.isFinite && (kind == .linear || lower > 0),
                     "bad scale domain \(lower)…\(upper)")
        self.kind = kind
        self.lower = lower
        self.upper = upper
        self.start = start
        self.end = end
    }

    /// The fraction of the way from `lower` to `upper` (0 at lower, 1 at upper), or nil for
    /// a value without a position (not finite, or ≤ 0 on a log scale).
    public func fraction(_ value: Double) -> Double? {
        guard value.isFinite else { return nil }
        switch kind {
        case .linear:
            return (value / 2 - lower / 2) / (upper / 2 - lower / 2)
        case .log:
            guard value > 0 else { return nil }
            return (log10(value) - log10(lower)) / (log10(upper) - log10(lower))
        }
    }

    /// The pixel position of `value`, or nil (see `fraction`).
    public func pixel(_ value: Double) -> Double? {
        fraction(value).map { start + $0 * (end - start) }
    }

    /// Whether `value` lies in [lower, upper] (with a relative tolerance of 1e-9 of the axis).
    public func contains(_ value: Double) -> Bool {
        guard let f = fraction(value) else { return false }
        return f >= -1e-9 && f <= 1 + 1e-9
    }
}

/// The data interval an axis shows, chosen from the values it must show.
public enum ScaleDomain {
    /// Widest relative spread treated as a single value: ranges narrower than this fraction
    /// of their magnitude cannot be told apart on a picture and are shown as one value.
    public static let relativeResolution = 1e-10

    /// The interval [lower, upper] that holds `values` with `padding` (a fraction of the
    /// span, measured in log₁₀ on a log scale) on each side.
    ///
    /// Values that have no position (NaN, ±inf; ≤ 0 on a log scale) are ignored. No values:
    /// [0, 1] (linear) or [1, 10] (log). One value v (or a spread below
    /// `relativeResolution`): v ± 10 % (v = 0: −1…1) on a linear scale, v/√10…v·√10 on a
    /// log scale. `includeZero` (linear) stretches the interval to 0 and pads nothing on
    /// the side of 0. The result is always finite with lower < upper.
    public static func fit(_ values: [Double], kind: ScaleKind, padding: Double = 0.05,
                           includeZero: Bool = false) -> (lower: Double, upper: Double) {
        let (lower, upper) = kind == .linear
            ? linear(values.filter(\.isFinite), padding: padding, includeZero: includeZero)
            : log(values.filter { $0.isFinite && $0 > 0 }, padding: padding)
        // Subnormal values can leave no room between the ends: widen to a plain interval.
        if lower < upper && (kind == .linear || lower > 0) && upper / 2 - lower / 2 > 0 { return (lower, upper) }
        return kind == .linear ? (lower / 2 + upper / 2 - 1, lower / 2 + upper / 2 + 1) : (1e-308, 1e-307)
    }

    private static func linear(_ values: [Double], padding: Double, includeZero: Bool) -> (lower: Double, upper: Double) {
        guard var lo = values.min(), var hi = values.max() else { return (0, 1) }
        if includeZero { lo = min(lo, 0); hi = max(hi, 0) }
        let magnitude = max(abs(lo), abs(hi))
        if hi / 2 - lo / 2 <= magnitude / 2 * relativeResolution {
            let centre = lo / 2 + hi / 2
            let delta = centre == 0 ? 1 : abs(centre) * 0.1
            return (clampFinite(centre - delta), clampFinite(centre + delta))
        }
        let pad = (hi / 2 - lo / 2) * 2 * padding
        let lower = includeZero && lo == 0 ? 0 : clampFinite(lo - pad)
        let upper = includeZero && hi == 0 ? 0 : clampFinite(hi + pad)
        return (lower, upper)
    }

    private static func log(_ values: [Double], padding: Double) -> (lower: Double, upper: Double) {
        guard let lo = values.min(), let hi = values.max() else { return (1, 10) }
        let a = log10(lo), b = log10(hi)
        if hi - lo <= hi * relativeResolution {
            return (clampPositive(pow(10, a - 0.5)), clampFinite(pow(10, b + 0.5)))
        }
        let pad = (b - a) * padding
        return (clampPositive(pow(10, a - pad)), clampFinite(pow(10, b + pad)))
    }

    private static func clampFinite(_ x: Double) -> Double {
        min(max(x, -Double.greatestFiniteMagnitude), Double.greatestFiniteMagnitude)
    }

    private static func clampPositive(_ x: Double) -> Double { max(x, Double.leastNonzeroMagnitude) }
}
