import IQPCore

/// The one-line messages of a job body that JSONDecoder refused (`JobRequestBody`): the field
/// comes from the error's coding path, the line and the value shown from the scanned body.
/// `request:7: field 'seed': expected an integer 0…18446744073709551615, got -1`.
struct RequestErrors {
    var root: JSONNode

    /// What each member must be, as the messages say it.
    static let expected = [
        "model": "an object (the model JSON)", "shots": "a positive integer",
        "seed": "an integer 0…18446744073709551615", "noise": "an object {\"p01\": …, \"p10\": …}",
        "noise.p01": "a number or a list of numbers", "noise.p10": "a number or a list of numbers",
        "precision": "\"complex64\" or \"complex128\"",
    ]

    /// The 400 for an error thrown while decoding the body.
    func serviceError(_ error: any Error) -> ServiceError {
        switch error {
        case let field as RequestFieldError:
            return .invalidField(message(field).description)
        case let decoding as DecodingError:
            guard let path = Self.path(decoding) else { return .invalidField("\(error)") }
            if path.isEmpty {
                guard case .object = root.content else {
                    return .invalidField(IQPError("the body must be a JSON object with members model and shots, got \(root.typeDescription)",
                                                  file: JobSubmission.file, line: root.line).description)
                }
                return .malformedJSON(IQPError("invalid JSON: \(Self.reason(decoding))", file: JobSubmission.file, line: root.line))
            }
            return .invalidField(mismatch(at: path).description)
        default:
            return .invalidField("\(error)")
        }
    }

    /// Missing, unknown or out-of-range members.
    func message(_ error: RequestFieldError) -> IQPError {
        switch error.reason {
        case .missing:
            let what = error.path == "model" ? "the model JSON object" : Self.expected[error.path] ?? "a value"
            return IQPError("field '\(error.path)' is required (\(what))", file: JobSubmission.file, line: root.line)
        case .mismatch:
            return mismatch(at: error.path)
        case .unknown(let allowed):
            // The first unknown member in the body's order, at its line.
            let parentPath = error.path.split(separator: ".").dropLast().joined(separator: ".")
            let parent = parentPath.isEmpty ? root : root.node(atPath: parentPath)
            var first = JSONNodeMember(key: String(error.path.split(separator: ".").last ?? ""), node: root)
            if case .object(let members)? = parent?.content, let m = members.first(where: { !allowed.contains($0.key) }) { first = m }
            let name = parentPath.isEmpty ? first.key : parentPath + "." + first.key
            return IQPError("unknown field '\(name)'; the fields are \(allowed.joined(separator: ", "))",
                            file: JobSubmission.file, line: first.node.line)
        case .invalid(let reason):
            return IQPError(reason, file: JobSubmission.file, line: root.node(atPath: error.path)?.line ?? root.line, field: error.path)
        }
    }

    /// "expected …, got …" at `path`: numbers and strings shown by value where the member is
    /// a number or a choice (shots, seed, precision), other values by their type.
    func mismatch(at path: String) -> IQPError {
        let node = root.node(atPath: path) ?? root
        let field = JSONField(node: node, file: JobSubmission.file, path: path)
        let byValue = ["shots", "seed", "precision"].contains(path)
        switch node.content {
        case .number(let x, let integer) where byValue:
            return field.error("expected \(Self.expected[path]!), got "
                               + (integer.map { String($0) } ?? node.unsignedInteger.map { String($0) } ?? JSONWriter.format(x)))
        case .string(let s) where byValue:
            return field.error("expected \(Self.expected[path]!), got the string \(JSONWriter.quote(String(s.prefix(40))))")
        default:
            let what = path == "seed" ? "an integer" : Self.expected[path] ?? "a number"
            return field.error("expected \(what), got \(node.typeDescription)")
        }
    }

    /// The field path of a decoding error: `noise.p01[2]`; nil for an error without one.
    static func path(_ error: DecodingError) -> String? {
        let context: DecodingError.Context
        switch error {
        case .typeMismatch(_, let c), .valueNotFound(_, let c), .dataCorrupted(let c): context = c
        case .keyNotFound(let key, let c): return (c.codingPath + [key]).map(\.stringValue).joined(separator: ".")
        @unknown default: return nil
        }
        var path = ""
        for key in context.codingPath {
            if let index = key.intValue { path += "[\(index)]" } else { path += (path.isEmpty ? "" : ".") + key.stringValue }
        }
        return path
    }

    static func reason(_ error: DecodingError) -> String {
        switch error {
        case .typeMismatch(_, let c), .valueNotFound(_, let c), .dataCorrupted(let c), .keyNotFound(_, let c):
            return c.debugDescription
        @unknown default: return "\(error)"
        }
    }
}
