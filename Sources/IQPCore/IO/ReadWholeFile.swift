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
/// read until memory runs out. The check is made on the opened descriptor (no race with a
/// rename), and the bytes are read with `read(2)` into one buffer of the file's size.
func readWholeFile(path: String) throws -> Data {
    func failure(_ reason: String) -> IQPError { IQPError("cannot read file: \(reason)", file: path) }
    func reason(_ code: Int32) -> String {
        switch code {
        case ENOENT, ENOTDIR: return "no such file"
        case EACCES, EPERM: return "permission denied"
        case EISDIR: return "it is a directory"
        default: return String(cString: strerror(code))
        }
    }
    let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
    guard fd >= 0 else { throw failure(reason(errno)) }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0 else { throw failure(reason(errno)) }
    switch info.st_mode & S_IFMT {
    case S_IFREG: break
    case S_IFDIR: throw failure("it is a directory")
    default: throw failure("it is not a regular file (a device, FIFO or socket)")
    }
    var data = Data(count: Int(info.st_size))
    var filled = 0
    while true {
        if filled == data.count { data.count += max(4096, data.count / 2) }   // the file grew
        let n = data.withUnsafeMutableBytes { read(fd, $0.baseAddress! + filled, $0.count - filled) }
        if n < 0 {
            if errno == EINTR { continue }
            throw failure(reason(errno))
        }
        if n == 0 { break }
        filled += n
    }
    data.count = filled
    return data
}
