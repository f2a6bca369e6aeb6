import Foundation

/// Fewer points for a long polyline with the same picture: within each 1-pixel column, a
/// run of consecutive points is replaced by its first, lowest, highest and last point
/// (in their order). The drawn envelope is unchanged; a 100,000-step loss log becomes a few
/// thousand points instead of megabytes of SVG.
enum LineDecimation {
    static func reduce(_ points: [(x: Double, y: Double)], limit: Int) -> [(x: Double, y: Double)] {
        guard points.count > limit else { return points }
        var out: [(x: Double, y: Double)] = []
        var i = 0
        while i < points.count {
            let column = points[i].x.rounded(.down)
            var last = i, lowest = i, highest = i
            while last + 1 < points.count && points[last + 1].x.rounded(.down) == column {
                last += 1
                if points[last].y < points[lowest].y { lowest = last }
                if points[last].y > points[highest].y { highest = last }
            }
            for k in Set([i, lowest, highest, last]).sorted() { out.append(points[k]) }
            i = last + 1
        }
        return out
    }
}
