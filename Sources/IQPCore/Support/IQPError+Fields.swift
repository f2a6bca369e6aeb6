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
}
