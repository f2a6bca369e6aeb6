/// A value of a parsed JSON document seen as a field of a file format: it knows its file,
/// its line and its field path (`n_qubits`, `gates[3][1]`, `params[7]`, `training.lr`), so
/// every typed accessor throws a one-line `IQPError` such as
/// `model.json:5: field 'gates[3][1]': expected an integer qubit index, got 1.5`.
public struct JSONField: Sendable {
    public let node: JSONNode
    public let file: String?
    /// The path of the containing list and this field's index in it; the path string is only
    /// built when needed (an error), which keeps reading large lists fast.
    private let parentPath: String
    private let index: Int?

    public init(node: JSONNode, file: String?, path: String = "") {
        self.node = node
        self.file = file
        self.parentPath = path
        self.index = nil
    }

    private init(node: JSONNode, file: String?, parentPath: String, index: Int) {
        self.node = node
        self.file = file
        self.parentPath = parentPath
        self.index = index
    }

    /// Field path (`gates[3][1]`); empty for the document root.
    public var path: String {
        guard let index else { return parentPath }
        return "\(parentPath)[\(index)]"
    }

    public var line: Int { node.line }

    /// An error located at this field.
    public func error(_ message: String) -> IQPError {
        IQPError(message, file: file, line: node.line, field: path.isEmpty ? nil : path)
    }

    /// The value as an exact integer (`17`, or an integral number such as `17.0`).
    public func int(_ what: String = "an integer") throws -> Int {
        guard case .number(let x, let integer) = node.content else {
            throw error("expected \(what), got \(node.typeDescription)")
        }
        if let integer { return integer }
        guard x == x.rounded(), abs(x) <= 9_007_199_254_740_992 else {
            throw error("expected \(what), got \(formatNumber(x))")
        }
        return Int(x)
    }

    /// The value as a (finite) number.
    public func double(_ what: String = "a number") throws -> Double {
        guard case .number(let x, _) = node.content else {
            throw error("expected \(what), got \(node.typeDescription)")
        }
        return x
    }

    public func bool(_ what: String = "true or false") throws -> Bool {
        guard case .bool(let b) = node.content else {
            throw error("expected \(what), got \(node.typeDescription)")
        }
        return b
    }

    public func string(_ what: String = "a string") throws -> String {
        guard case .string(let s) = node.content else {
            throw error("expected \(what), got \(node.typeDescription)")
        }
        return s
    }

    /// The elements of a list, each a field `path[i]`.
    public func array(_ what: String = "a list") throws -> [JSONField] {
        guard case .array(let items) = node.content else {
            throw error("expected \(what), got \(node.typeDescription)")
        }
        let path = self.path
        return items.enumerated().map { JSONField(node: $1, file: file, parentPath: path, index: $0) }
    }

    /// The members of an object, for `required`/`optional` look-ups.
    public func object(_ what: String = "an object") throws -> JSONObjectReader {
        guard case .object(let members) = node.content else {
            throw error("expected \(what), got \(node.typeDescription)")
        }
        return JSONObjectReader(field: self, members: members)
    }

    func formatNumber(_ x: Double) -> String {
        JSONWriter.format(x)
    }
}

/// The members of a JSON object, looked up by key with errors located at the object.
public struct JSONObjectReader: Sendable {
    public let field: JSONField
    public let members: [JSONNodeMember]

    /// Keys in document order.
    public var keys: [String] { members.map(\.key) }

    /// The member `key`; a missing member is an error at the object's line.
    public func required(_ key: String) throws -> JSONField {
        guard let f = optional(key) else {
            throw IQPError("missing required field", file: field.file, line: field.line, field: childPath(key))
        }
        return f
    }

    /// The member `key`, or nil when the object has none.
    public func optional(_ key: String) -> JSONField? {
        guard let m = members.first(where: { $0.key == key }) else { return nil }
        return JSONField(node: m.node, file: field.file, path: childPath(key))
    }

    private func childPath(_ key: String) -> String {
        field.path.isEmpty ? key : field.path + "." + key
    }
}
