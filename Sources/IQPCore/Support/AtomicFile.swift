import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Every output file of the project is written here, so that readers see either the old content
/// or the complete new content, never a half-written file (docs/reliability.md, "Outputs"):
///
/// - a regular file (or a new one) gets its bytes in a temporary file in the same folder,
///   `.<name>.iqp-tmp-<random>-<pid>@<host>`, flushed to disk (fsync) and renamed over it; a
///   symbolic link is followed and its target replaced, so the link stays. Before that, the
///   temporary files of earlier writes to the same name whose process is gone (same host, pid
///   no longer running: a killed run) are removed;
/// - `-` is standard output, and `/dev/stdout`, `/dev/stderr`, `/dev/fd/N` are those
///   descriptors: written directly, never renamed over;
/// - any other existing file that is not a regular file (a device, a FIFO) is opened and
///   written in place.
///
/// On any error the temporary file is removed and an `IQPError` naming `path` is thrown.
/// `checkTargets` (AtomicFile+Targets.swift) checks a command's outputs against its inputs
/// before any work starts.
public enum AtomicFile {
    /// The path that means standard output.
    public static let standardOutputPath = "-"

    public static func write(_ text: String, to path: String) throws {
        try write(Data(text.utf8), to: path)
    }

    public static func write(_ data: Data, to path: String) throws {
        try write(to: path) { try $0.write(data) }
    }

    public static func write(bytes: UnsafeRawBufferPointer, to path: String) throws {
        try write(to: path) { try $0.write(bytes) }
    }

    /// Writes what `produce` emits (in as many pieces as it likes) to `path`, as above.
    public static func write(to path: String, _ produce: (Sink) throws -> Void) throws {
        switch try Target(path: path) {
        case .descriptor(let fd):
            fflush(nil)    // every stdio stream: keeps the order of anything already printed
            try produce(Sink(fd: fd, path: path))
        case .inPlace(let device):
            let fd = open(device, O_WRONLY | O_CLOEXEC)
            guard fd >= 0 else { throw failure(path, "cannot open it for writing", errno) }
            defer { close(fd) }
            try produce(Sink(fd: fd, path: path))
        case .replace(let file):
            try replace(file, reportedAs: path, produce)
        }
    }

    /// Temporary file, fsync, rename over `file` (`path` is what the user named).
    static func replace(_ file: String, reportedAs path: String, _ produce: (Sink) throws -> Void) throws {
        let (directory, name) = split(file)
        TemporaryName.removeStale(in: directory, for: name)
        let temp = directory + "/" + TemporaryName.make(for: name)
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        guard fd >= 0 else {
            let code = errno
            throw failure(path, code == ENOENT ? "directory '\(directory)' does not exist"
                                               : "cannot create a file in '\(directory)'", code)
        }
        var closed = false
        do {
            try produce(Sink(fd: fd, path: path))
            guard fsync(fd) == 0 else { throw failure(path, "fsync failed", errno) }
            closed = true
            guard close(fd) == 0 else { throw failure(path, "close failed", errno) }
            guard rename(temp, file) == 0 else {
                let code = errno
                throw failure(path, code == EISDIR ? "it is a directory" : "rename failed", code)
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

    static func failure(_ path: String, _ what: String, _ code: Int32) -> IQPError {
        IQPError("cannot write file: \(what): \(String(cString: strerror(code)))", file: path)
    }

    /// Where a writer's bytes go: one open descriptor.
    public struct Sink {
        let fd: Int32
        let path: String

        public func write(_ bytes: UnsafeRawBufferPointer) throws {
            var offset = 0
            while offset < bytes.count {
                let n = posixWrite(fd, bytes.baseAddress! + offset, bytes.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw AtomicFile.failure(path, "write failed", errno)
                }
                offset += n
            }
        }

        public func write(_ data: Data) throws { try data.withUnsafeBytes { try write($0) } }

        public func write(_ text: String) throws {
            var text = text
            try text.withUTF8 { try write(UnsafeRawBufferPointer($0)) }
        }
    }
}

/// POSIX `write(2)` (the name is shadowed inside `AtomicFile.Sink`).
@inline(__always)
private func posixWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    return Glibc.write(fd, buffer, count)
    #else
    return Darwin.write(fd, buffer, count)
    #endif
}
