import Foundation

/// A parsed JSON value together with the 1-based line on which it starts, so that every
/// error about it can cite `file:line`. Objects keep their members in document order.
public struct JSONNode: Sendable {
    public enum Content: Sendable {
        case null
        case bool(Bool)
        /// A number; `integer` is its exact value when the literal was written without a
        /// fraction or exponent and fits in `Int` (e.g. `17`, but not `17.0` or `1e3`).
        case number(Double, integer: Int?)
        case string(String)
        case array([JSONNode])
        case object([JSONNodeMember])
    }

    public var content: Content
    /// 1-based line of the value's first character.
    public var line: Int
    /// The exact value of an integer literal above `Int.max` that fits in 64 bits unsigned
    /// (such as a 64-bit seed `18446744073709551615`, whose `integer` is nil); nil otherwise.
    public var unsignedInteger: UInt64?

    public init(_ content: Content, line: Int) {
        self.content = content
        self.line = line
    }

    /// The plain value (line numbers dropped).
    public var value: JSONValue {
        switch content {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .number(let x, _): return .number(x)
        case .string(let s): return .string(s)
        case .array(let items): return .array(items.map(\.value))
        case .object(let members): return .object(members.map { JSONMember($0.key, $0.node.value) })
        }
    }

    /// The member named `key` when this is an object.
    public subscript(key: String) -> JSONNode? {
        if case .object(let members) = content { return members.first { $0.key == key }?.node }
        return nil
    }

    /// The node at a field path such as `gates[3][1]`, `params[7]` or `training.lr`, as used
    /// in `IQPError.field`; nil when the path does not lead anywhere.
    public func node(atPath path: String) -> JSONNode? {
        var current = self
        var rest = Substring(path)
        while !rest.isEmpty {
            if rest.first == "[" {
                guard let close = rest.firstIndex(of: "]"),
                      let index = Int(rest[rest.index(after: rest.startIndex)..<close]),
                      case .array(let items) = current.content, items.indices.contains(index)
                else { return nil }
                current = items[index]
                rest = rest[rest.index(after: close)...]
            } else {
                if rest.first == "." { rest = rest.dropFirst() }
                let end = rest.firstIndex { $0 == "." || $0 == "[" } ?? rest.endIndex
                guard let next = current[String(rest[..<end])] else { return nil }
                current = next
                rest = rest[end...]
            }
        }
        return current
    }

    /// A short name of the value's type for error messages ("a string", "an array", …).
    public var typeDescription: String {
        switch content {
        case .null: return "null"
        case .bool: return "a boolean"
        case .number(_, let integer): return integer != nil ? "an integer" : "a number"
        case .string: return "a string"
        case .array: return "a list"
        case .object: return "an object"
        }
    }
}

/// One `"key": value` member of a parsed object.
public struct JSONNodeMember: Sendable {
    public var key: String
    public var node: JSONNode
    public init(key: String, node: JSONNode) { self.key = key; self.node = node }
}
