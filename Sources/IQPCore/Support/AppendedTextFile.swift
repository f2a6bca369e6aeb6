import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A text output that grows line by line while a run goes on (the loss log), written so that no
/// failure destroys what was there (docs/reliability.md, "Outputs"):
///
/// - its first content (header and any resumed history) replaces the file the way `AtomicFile`
///   replaces every output: temporary file, fsync, rename. Until the rename the previous file is
///   untouched, so a full disk while writing a long resumed history leaves the old log whole;
/// - each later piece is appended; when an append fails (full disk, file size limit) the file
///   is cut back to its last complete piece, so a reader never sees half a line;
/// - `-`, `/dev/stdout`, devices and FIFOs are written directly (nothing to replace or cut).
public final class AppendedTextFile {
    public let path: String
    let fd: Int32
    let ownsDescriptor: Bool
    /// Bytes of complete pieces in a regular file (nil: not a regular file, never cut back).
    var length: off_t?

    /// Creates the output with `initial` as its first content.
    public init(path: String, initial: String) throws {
        self.path = path
        switch try AtomicFile.Target(path: path) {
        case .descriptor(let descriptor):
            fflush(nil)
            (fd, ownsDescriptor, length) = (descriptor, false, nil)
            try AtomicFile.Sink(fd: fd, path: path).write(initial)
        case .inPlace(let device):
            let opened = open(device, O_WRONLY | O_CLOEXEC)
            guard opened >= 0 else { throw AtomicFile.failure(path, "cannot open it for writing", errno) }
            (fd, ownsDescriptor, length) = (opened, true, nil)
            try AtomicFile.Sink(fd: fd, path: path).write(initial)
        case .replace(let file):
            try AtomicFile.replace(file, reportedAs: path) { try $0.write(initial) }
            let opened = open(file, O_WRONLY | O_APPEND | O_CLOEXEC)
            guard opened >= 0 else { throw AtomicFile.failure(path, "cannot open it for appending", errno) }
            (fd, ownsDescriptor, length) = (opened, true, off_t(initial.utf8.count))
        }
    }

    /// Appends `text` whole or not at all (in a regular file).
    public func append(_ text: String) throws {
        do {
            try AtomicFile.Sink(fd: fd, path: path).write(text)
            length? += off_t(text.utf8.count)
        } catch {
            if let length { _ = ftruncate(fd, length) }
            throw error
        }
    }

    deinit { if ownsDescriptor { close(fd) } }
}
