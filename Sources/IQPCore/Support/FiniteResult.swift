/// The one check that a printed or written result is a number (docs/reliability.md, "Silent
/// wrong results"): `expval`, `eval` and the test MMD² never report `nan` or `inf` with exit 0.
/// A non-finite value is an error naming what it is and, when the model explains it, why:
/// parameters so large that the angles 2θ lose every digit or overflow.
public enum FiniteResult {
    /// Throws unless every value is finite; `name(i)` says what value i is ("<Z_a> of string 3").
    public static func check(_ values: [Double], name: (Int) -> String, model: IQPModel? = nil,
                             modelFile: String? = nil) throws {
        guard let i = values.firstIndex(where: { !$0.isFinite }) else { return }
        throw IQPError("\(name(i)) is \(values[i]), not a number: \(cause(model))", file: modelFile)
    }

    /// Why a computation over `model` gave a non-finite value.
    static func cause(_ model: IQPModel?) -> String {
        if let model, let k = model.params.indices.max(by: { abs(model.params[$0]) < abs(model.params[$1]) }),
           abs(model.params[k]) > largestAngle {
            return "field 'params[\(k)]' is \(model.params[k]); angles beyond ±4.5e15 have no digits left "
                + "for sin and cos (the model's parameters diverged or the file is damaged)"
        }
        return "the computation overflowed (check the model's parameters and the data)"
    }

    /// Beyond 2⁵² a Double has no fractional digits, so sin and cos of the angle are noise.
    public static let largestAngle = 4.5e15
}
