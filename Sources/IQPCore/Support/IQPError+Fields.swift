/// Settings named inside an error's message.
///
/// IQPCore's errors name the settings they are about by the fields of its types
/// (`learningRate`, `sigmas`, `checkpointPath`), never by a front end's spelling of them: the
/// same error reaches `iqp train`, `iqp tune` and any other caller of the library. The `field`
/// of an error is such a name (with an index or a path after it: `sigmas`, `gates[3]`), and a
/// message that mentions another setting writes it with `IQPError.ref`, in backquotes:
///
///     needs a checkpoint file (`checkpointPath`)
///
/// A front end renames both for its users with `renamingFields` (the `iqp` command line:
/// `field 'checkpoint-every': needs a checkpoint file (--checkpoint)`).
extension IQPError {
    /// `field` as a message names it: in backquotes (`` `learningRate` ``).
    public static func ref(_ field: String) -> String { "`\(field)`" }

    /// The same error with its field and the fields its message names (`ref`) renamed by
    /// `rename`, which gets a field's name (the part before `[` or `.`) and returns the new
    /// name of the field and the new text of a reference, or nil to keep them.
    public func renamingFields(_ rename: (String) -> (field: String, reference: String)?) -> IQPError {
        var copy = self
        if let field {
            let head = field.prefix { $0 != "[" && $0 != "." }
            if let renamed = rename(String(head)) { copy.field = renamed.field + field.dropFirst(head.count) }
        }
        var text = "", rest = message[...]
        while let open = rest.firstIndex(of: "`"),
              let close = rest[rest.index(after: open)...].firstIndex(of: "`") {
            let name = String(rest[rest.index(after: open)..<close])
            text += rest[..<open]
            text += rename(name)?.reference ?? "`\(name)`"
            rest = rest[rest.index(after: close)...]
        }
        copy.message = text + rest
        return copy
    }

    /// The one line a front end prints for this error, its settings named as the front end
    /// names them: `names` maps a field (the part before `[` or `.`) to the front end's name,
    /// `reference` spells that name inside a message, and `setting` spells it where the line
    /// starts with it. An error about a renamed setting and no file reads
    /// `setting(name): message` (`--lr: must be positive, got -1.0` on the command line,
    /// `stepsize: …` in Python); any other keeps its form (`description`) with the fields renamed.
    public func described(renaming names: [String: String], reference: (String) -> String,
                          setting: (String) -> String) -> String {
        let renamed = renamingFields { field in names[field].map { ($0, reference($0)) } }
        guard file == nil, line == nil, let field, names[String(field.prefix { $0 != "[" && $0 != "." })] != nil,
              let name = renamed.field else {
            return renamed.description
        }
        return EscapedText.escape("\(setting(name)): \(renamed.message)")
    }
}
