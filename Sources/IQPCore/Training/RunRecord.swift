/// The settings of an `iqp train` run as its checkpoint records them (docs/file-formats.md,
/// "Checkpoint"): every option that decides the run, by its long name without the dashes, with
/// its value as text (`"lr": "0.001"`, `"spin-sym": "true"`), and the SHA-256 of each file the
/// run read (`"data"`, `"test"`, …), so that `iqp train --resume CHECKPOINT` alone continues
/// the run and a changed file is refused by name.
public struct RunRecord: Sendable, Equatable {
    public struct Setting: Sendable, Equatable {
        public var name: String
        public var value: String
        public init(_ name: String, _ value: String) { self.name = name; self.value = value }
    }

    /// In the order of `iqp train --help`.
    public var settings: [Setting]
    /// Option name → SHA-256 (hex) of the file it named.
    public var sha256: [Setting]

    public init(settings: [Setting], sha256: [Setting]) { self.settings = settings; self.sha256 = sha256 }

    public func value(_ name: String) -> String? { settings.last { $0.name == name }?.value }
    public func digest(_ name: String) -> String? { sha256.last { $0.name == name }?.value }

    var json: JSONValue {
        .object([
            JSONMember("settings", .object(settings.map { JSONMember($0.name, .string($0.value)) })),
            JSONMember("sha256", .object(sha256.map { JSONMember($0.name, .string($0.value)) })),
        ])
    }

    /// The checkpoint's `run` member (nil: a checkpoint written before runs were recorded).
    static func read(_ top: JSONObjectReader) throws -> RunRecord? {
        guard let field = top.optional("run") else { return nil }
        let object = try field.object()
        func pairs(_ name: String) throws -> [Setting] {
            guard let member = object.optional(name) else { return [] }
            let inner = try member.object("an object of strings")
            return try inner.keys.map { key in Setting(key, try inner.required(key).string()) }
        }
        return RunRecord(settings: try pairs("settings"), sha256: try pairs("sha256"))
    }
}
