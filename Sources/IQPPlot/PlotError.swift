/// A bad input to a plot, located as precisely as known: the file, the 1-based line and the
/// column ("field"). `iqp plot` turns it into the project's one-line error
/// `FILE:LINE: field 'F': message` (IQPPlot depends on nothing, so it has its own type).
public struct PlotError: Error, Equatable, Sendable {
    public var message: String
    public var file: String?
    public var line: Int?
    public var field: String?

    public init(_ message: String, file: String? = nil, line: Int? = nil, field: String? = nil) {
        self.message = message
        self.file = file
        self.line = line
        self.field = field
    }
}
