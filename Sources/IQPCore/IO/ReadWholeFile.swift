import Foundation

/// The whole file at `path` as bytes, or an `IQPError` naming `path` and the reason
/// (`model.json: cannot read file: no such file`).
func readWholeFile(path: String) throws -> Data {
    do {
        return try Data(contentsOf: URL(fileURLWithPath: path))
    } catch {
        var isDirectory: ObjCBool = false
        let reason: String
        if !FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            reason = "no such file"
        } else if isDirectory.boolValue {
            reason = "it is a directory"
        } else if !FileManager.default.isReadableFile(atPath: path) {
            reason = "permission denied"
        } else {
            reason = (error as NSError).localizedDescription
        }
        throw IQPError("cannot read file: \(reason)", file: path)
    }
}
