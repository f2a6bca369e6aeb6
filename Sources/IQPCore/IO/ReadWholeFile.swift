import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The whole file at `path` as bytes, or an `IQPError` naming `path` and the reason
/// (`model.json: cannot read file: no such file`). Every input file is read here.
///
/// Only regular files are read: a device (`/dev/zero`, `/dev/urandom`) or a FIFO has no end or
/// no size, so it is refused as "not a regular file" before a byte is read, instead of being
/// read until memory runs out.
func readWholeFile(path: String) throws -> Data {
    var info = stat()
    if stat(path, &info) == 0 {
        switch info.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: throw IQPError("cannot read file: it is a directory", file: path)
        default: throw IQPError("cannot read file: it is not a regular file (a device, FIFO or socket)", file: path)
        }
    }
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
