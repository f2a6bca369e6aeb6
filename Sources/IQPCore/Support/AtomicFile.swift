import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes files so that readers see either the old content or the complete new content,
/// never a half-written file: the bytes go to a temporary file in the same directory
/// (`.<name>.tmp-<pid>-<random>`), which is flushed to disk (fsync) and then renamed over
/// `path`. On any error the temporary file is removed and an `IQPError` naming `path` is
/// thrown. Every writer of the project goes through here.
public enum AtomicFile {
    public static func write(_ text: String, to path: String) throws {
        try write(Data(text.utf8), to: path)
    }

    public static func write(_ data: Data, to path: String) throws {
        try data.withUnsafeBytes { try write(bytes: $0, to: path) }
    }

    public static func write(bytes: UnsafeRawBufferPointer, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        // The random suffix only has to avoid clashing with other writers; it is not part
        // of any result, so it does not come from KeyedStream.
        let temp = directory + "/." + url.lastPathComponent + ".tmp-\(getpid())-"
            + String(UInt64.random(in: 0...UInt64.max), radix: 36)

        func failure(_ what: String, _ code: Int32) -> IQPError {
            IQPError("cannot write file: \(what): \(String(cString: strerror(code)))", file: path)
        }

        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        guard fd >= 0 else {
            let code = errno
            throw failure(code == ENOENT ? "directory '\(directory)' does not exist"
                                         : "cannot create a file in '\(directory)'", code)
        }
        var closed = false
        do {
            var offset = 0
            while offset < bytes.count {
                let n = Glibc_write(fd, bytes.baseAddress! + offset, bytes.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw failure("write failed", errno)
                }
                offset += n
            }
            guard fsync(fd) == 0 else { throw failure("fsync failed", errno) }
            closed = true
            guard close(fd) == 0 else { throw failure("close failed", errno) }
            guard rename(temp, path) == 0 else {
                let code = errno
                throw failure(code == EISDIR ? "it is a directory" : "rename failed", code)
            }
        } catch {
            if !closed { close(fd) }
            unlink(temp)
            throw error
        }
        // Make the rename itself durable (best effort: not every file system allows it).
        let dirfd = open(directory, O_RDONLY | O_CLOEXEC)
        if dirfd >= 0 {
            fsync(dirfd)
            close(dirfd)
        }
    }
}

/// POSIX `write(2)` (the name is shadowed inside `AtomicFile`).
@inline(__always)
private func Glibc_write(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    return Glibc.write(fd, buffer, count)
    #else
    return Darwin.write(fd, buffer, count)
    #endif
}
