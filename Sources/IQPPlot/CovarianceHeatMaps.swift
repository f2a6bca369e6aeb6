import Foundation

/// Two covariance matrices side by side as heat maps with one shared diverging colour scale
/// (`iqp plot covariance`, the study's `plot_cov_matrix.py` pair): the model's left, the data's
/// right, each entry C_ij a square coloured from blue (−c) through white (0) to red (+c),
/// c = the largest |C_ij| of either matrix, with a colour bar. The input is `iqp eval
/// --covariance`'s CSV `i,j,model,data` holding every entry of both n × n matrices.
public struct CovarianceHeatMaps: Sendable {
    public let n: Int
    /// Row-major n × n.
    public let model: [Double]
    public let data: [Double]

    /// Reads the table; every (i, j) of 0..<n must appear once, with finite values.
    public init(table: CSVTable) throws {
        let rows = try table.numbers("i", emptyAllowed: false, nonNegative: true)
        let columns = try table.numbers("j", emptyAllowed: false, nonNegative: true)
        let model = try table.numbers("model", emptyAllowed: false)
        let data = try table.numbers("data", emptyAllowed: false)
        let count = table.rows.count
        let n = Int(Double(count).squareRoot().rounded())
        guard n >= 1, n * n == count else {
            throw PlotError("has \(count) entries, not the n × n of a covariance matrix", file: table.path)
        }
        var seen = [Bool](repeating: false, count: count)
        var m = [Double](repeating: 0, count: count), d = m
        for k in 0..<count {
            guard let i = rows[k].flatMap({ Int(exactly: $0) }), let j = columns[k].flatMap({ Int(exactly: $0) }),
                  i < n, j < n else {
                throw PlotError("i and j must be whole numbers below \(n)", file: table.path, line: table.lines[k], field: "i")
            }
            guard !seen[i * n + j] else {
                throw PlotError("entry (\(i), \(j)) appears twice", file: table.path, line: table.lines[k], field: "i")
            }
            guard let x = model[k], let y = data[k], x.isFinite, y.isFinite else {
                throw PlotError("not a finite number", file: table.path, line: table.lines[k], field: model[k]?.isFinite == true ? "data" : "model")
            }
            seen[i * n + j] = true
            m[i * n + j] = x
            d[i * n + j] = y
        }
        self.n = n
        self.model = m
        self.data = d
    }

    /// The colour of v on the scale ±c: white at 0, #b2182b at +c, #2166ac at −c.
    static func colour(_ v: Double, scale c: Double) -> String {
        let t = c > 0 ? max(-1, min(1, v / c)) : 0
        let (end): (Double, Double, Double) = t >= 0 ? (178, 24, 43) : (33, 102, 172)
        let a = abs(t)
        let r = Int((255 + (end.0 - 255) * a).rounded()), g = Int((255 + (end.1 - 255) * a).rounded()),
            b = Int((255 + (end.2 - 255) * a).rounded())
        return String(format: "#%02x%02x%02x", r, g, b)
    }

    /// The SVG: title, the two maps with their captions and qubit ticks, and the colour bar.
    public func svg(title: String, leftCaption: String = "model", rightCaption: String = "data") -> String {
        let map = 300.0, gap = 60.0, margin = 50.0, bar = 16.0
        let width = margin + 2 * map + gap + 40 + bar + 70, height = 60 + map + 50
        var doc = SVGDocument(width: width, height: height)
        doc.text(title, x: width / 2, y: 24, [("text-anchor", "middle"), ("font-size", "15")])
        let c = max(model.map(abs).max() ?? 0, data.map(abs).max() ?? 0)
        let cell = map / Double(n)
        for (k, (matrix, caption)) in [(model, leftCaption), (data, rightCaption)].enumerated() {
            let x0 = margin + Double(k) * (map + gap), y0 = 50.0
            for i in 0..<n {
                for j in 0..<n {
                    doc.add("rect", [("x", SVGDocument.number(x0 + Double(j) * cell)),
                                     ("y", SVGDocument.number(y0 + Double(i) * cell)),
                                     ("width", SVGDocument.number(cell + 0.01)), ("height", SVGDocument.number(cell + 0.01)),
                                     ("fill", Self.colour(matrix[i * n + j], scale: c))])
                }
            }
            doc.add("rect", [("x", SVGDocument.number(x0)), ("y", SVGDocument.number(y0)), ("width", SVGDocument.number(map)),
                             ("height", SVGDocument.number(map)), ("fill", "none"), ("stroke", "#333333")])
            doc.text(caption, x: x0 + map / 2, y: y0 + map + 34, [("text-anchor", "middle")])
            // Qubit ticks: first and last, and a few between.
            let step = max(1, Int((Double(n) / 5).rounded(.up)))
            for q in Set(Array(stride(from: 0, to: n, by: step)) + [n - 1]).sorted() {
                let centre = Double(q) * cell + cell / 2
                doc.text("\(q)", x: x0 + centre, y: y0 + map + 14, [("text-anchor", "middle"), ("font-size", "10")])
                doc.text("\(q)", x: x0 - 4, y: y0 + centre + 3, [("text-anchor", "end"), ("font-size", "10")])
            }
        }
        // The colour bar: −c at the bottom, +c at the top.
        let bx = margin + 2 * map + gap + 20, steps = 40
        for s in 0..<steps {
            let v = c * (1 - 2 * (Double(s) + 0.5) / Double(steps))
            doc.add("rect", [("x", SVGDocument.number(bx)), ("y", SVGDocument.number(50 + Double(s) * map / Double(steps))),
                             ("width", SVGDocument.number(bar)), ("height", SVGDocument.number(map / Double(steps) + 0.01)),
                             ("fill", Self.colour(v, scale: c))])
        }
        for (label, y) in [(c, 50.0), (0, 50 + map / 2), (-c, 50 + map)] {
            doc.text(String(format: "%.3g", label), x: bx + bar + 4, y: y + 4, [("font-size", "10")])
        }
        return doc.rendered()
    }
}
