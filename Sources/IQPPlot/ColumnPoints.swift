/// Points from columns of a table. A row whose x or y cell is empty is left out (the loss
/// log's `validation_loss` is empty on most steps); a row whose x or y is not finite
/// (`nan`, `inf`) is left out and counted, so the chart can say so. A non-finite standard
/// error draws no error bar.
struct ColumnPoints {
    var points: [DataPoint] = []
    var nonFinite = 0

    init(x: [Double?], y: [Double?], yError: [Double?]? = nil, hollow: [Bool]? = nil) {
        for i in x.indices {
            guard let xi = x[i], let yi = y[i] else { continue }
            guard xi.isFinite, yi.isFinite else {
                nonFinite += 1
                continue
            }
            let error = yError?[i].flatMap { $0.isFinite ? $0 : nil }
            points.append(DataPoint(x: xi, y: yi, yError: error, hollow: hollow?[i] ?? false))
        }
    }

    /// "FILE: K rows with a non-finite value (nan/inf) in 'X' or 'Y' not drawn", or nil.
    func note(file: String, x: String, y: String) -> String? {
        guard nonFinite > 0 else { return nil }
        let rows = nonFinite == 1 ? "1 row" : "\(nonFinite) rows"
        return "\(file): \(rows) with a non-finite value (nan/inf) in '\(x)' or '\(y)' not drawn"
    }
}
