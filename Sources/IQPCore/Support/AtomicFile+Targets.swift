import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A path given to an option, named in messages (`--out model.json`).
public struct NamedPath: Sendable, Equatable {
    public var option: String
    public var path: String

    public init(_ option: String, _ path: String) {
        self.option = option
        self.path = path
    }
}

extension AtomicFile {
    /// The descriptor that `-` and `/dev/stdout` write to: 1, or a copy of the original
    /// standard output after `reserveStandardOutput()`. Set once at start, before any thread.
    nonisolated(unsafe) public private(set) static var standardOutputDescriptor: Int32 = 1

    /// Keeps standard output for the data written to `-` and sends everything else the
    /// process prints (`print`) to standard error, so that `iqp train --out - | …` carries
    /// only the model. Call once, before anything is printed.
    public static func reserveStandardOutput() {
        fflush(nil)
        let saved = dup(1)
        guard saved >= 0, dup2(2, 1) >= 0 else { return }
        standardOutputDescriptor = saved
    }

    /// Whether writing `path` writes standard output (`-`, `/dev/stdout`, `/dev/fd/1`).
    public static func isStandardOutput(_ path: String) -> Bool {
        path == standardOutputPath || Target.descriptorNamed(path) == 1
    }

    /// Checks a command's outputs before any work starts: each can be written (its folder
    /// exists and is writable; it is not a folder), no two outputs are the same file (or both
    /// standard output), and no output is one of the `inputs` — same resolved file, compared
    /// by device and inode, so links and `./` spellings are caught — except the pairs of options
    /// in `mayReplace` (`--checkpoint` may be the `--resume` file: it is read before it is
    /// replaced). Devices and FIFOs are written in place and not compared.
    public static func checkTargets(outputs: [NamedPath], inputs: [NamedPath],
                                    mayReplace: [(output: String, input: String)] = []) throws {
        var seen: [Identity: NamedPath] = [:]
        for output in outputs {
            let target = try Target(path: output.path)
            try target.checkWritable(output)
            guard let id = target.identity else { continue }
            if let other = seen[id] {
                if case .descriptor = id {
                    throw IQPError("\(other.option) \(other.path) and \(output.option) \(output.path) both write to "
                                   + "standard output; give one of them a file")
                }
                throw IQPError("\(other.option) \(other.path) and \(output.option) \(output.path) are the same file; "
                               + "give each output its own file")
            }
            seen[id] = output
        }
        for input in inputs {
            guard let id = Identity(existing: input.path), let output = seen[id] else { continue }
            if mayReplace.contains(where: { $0.output == output.option && $0.input == input.option }) { continue }
            throw IQPError("\(output.option) \(output.path) is the \(input.option) file \(input.path); writing it would "
                           + "replace that input: choose another \(output.option)")
        }
    }

    /// The folder (`.` for a bare name) and the last component of `path`.
    static func split(_ path: String) -> (folder: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let folder = path[..<slash]
        return (folder.isEmpty ? "/" : String(folder), String(path[path.index(after: slash)...]))
    }

    /// What writing a path means.
    enum Target: Equatable {
        /// Standard output or error (`-`, `/dev/stdout`, `/dev/fd/N`): written, never closed.
        case descriptor(Int32)
        /// An existing file that is not a regular file (a device, a FIFO): opened and written.
        case inPlace(String)
        /// A regular file, existing or not, at this resolved path: temporary file and rename.
        case replace(String)

        init(path: String) throws {
            if path == AtomicFile.standardOutputPath { self = .descriptor(AtomicFile.standardOutputDescriptor); return }
            if let fd = Target.descriptorNamed(path) {
                self = .descriptor(fd == 1 ? AtomicFile.standardOutputDescriptor : fd)
                return
            }
            var info = stat()
            guard stat(path, &info) == 0 else {
                let code = errno
                if code == ENOENT, lstat(path, &info) == 0 {
                    throw IQPError("cannot write file: it is a symbolic link to a missing file", file: path)
                }
                guard code == ENOENT else { throw AtomicFile.failure(path, "cannot look it up", code) }
                self = .replace(path)
                return
            }
            switch info.st_mode & S_IFMT {
            case S_IFDIR: throw IQPError("cannot write file: it is a directory", file: path)
            case S_IFREG: self = .replace(Target.resolved(path))
            default: self = .inPlace(path)
            }
        }

        /// `/dev/stdout`, `/dev/stderr`, `/dev/fd/N`, `/proc/self/fd/N`.
        static func descriptorNamed(_ path: String) -> Int32? {
            switch path {
            case "/dev/stdout": return 1
            case "/dev/stderr": return 2
            default:
                for prefix in ["/dev/fd/", "/proc/self/fd/"] where path.hasPrefix(prefix) {
                    return Int32(path.dropFirst(prefix.count))
                }
                return nil
            }
        }

        /// The path with every symbolic link resolved (the path itself if that fails).
        static func resolved(_ path: String) -> String {
            guard let r = realpath(path, nil) else { return path }
            defer { free(r) }
            return String(cString: r)
        }

        func checkWritable(_ named: NamedPath) throws {
            let field = named.option.trimmingCharacters(in: CharacterSet(charactersIn: "-`"))
            switch self {
            case .descriptor: return
            case .inPlace(let path):
                guard access(path, W_OK) == 0 else { throw IQPError("is not writable", file: named.path, field: field) }
            case .replace(let path):
                let dir = AtomicFile.split(path).folder
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDirectory), isDirectory.boolValue else {
                    throw IQPError("folder '\(dir)' does not exist", file: named.path, field: field)
                }
                guard access(dir, W_OK) == 0 else {
                    throw IQPError("folder '\(dir)' is not writable", file: named.path, field: field)
                }
            }
        }

        /// What the output would write, for comparisons (nil: a device or FIFO, not compared).
        var identity: Identity? {
            switch self {
            case .descriptor(let fd): return .descriptor(fd)
            case .inPlace: return nil
            case .replace(let path):
                if let id = Identity(existing: path) { return id }
                let (folder, name) = AtomicFile.split(path)
                return .newFile(Target.resolved(folder) + "/" + name)
            }
        }
    }

    /// A file as the system knows it.
    enum Identity: Hashable {
        case file(device: UInt64, inode: UInt64)
        case newFile(String)
        case descriptor(Int32)

        /// An existing file (links followed); nil if there is none.
        init?(existing path: String) {
            if path == AtomicFile.standardOutputPath { return nil }
            var info = stat()
            guard stat(path, &info) == 0 else { return nil }
            self = .file(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
        }
    }
}

/// Names of the temporary files of `AtomicFile`: `.<name>.iqp-tmp-<random>-<pid>@<host>`, so
/// that a later write to the same name recognises those of a process that is gone.
enum TemporaryName {
    static let marker = ".iqp-tmp-"

    static func prefix(for name: String) -> String { "." + String(name.prefix(150)) + marker }

    static func make(for name: String) -> String {
        // The random part only has to avoid clashing with other writers; it is not part of any
        // result, so it does not come from KeyedStream.
        prefix(for: name) + String(UInt64.random(in: 0...UInt64.max), radix: 36) + "-\(getpid())@\(hostName)"
    }

    /// Removes the temporary files for `name` in `directory` left by processes of this host
    /// that no longer run. Best effort: errors are ignored.
    static func removeStale(in directory: String, for name: String) {
        let prefix = prefix(for: name)
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        for entry in entries where entry.hasPrefix(prefix) {
            guard let owner = owner(of: entry.dropFirst(prefix.count)), owner.host == hostName,
                  owner.pid != getpid(), !isRunning(owner.pid) else { continue }
            unlink(directory + "/" + entry)
        }
    }

    /// The pid and host at the end of a temporary name.
    static func owner(of suffix: Substring) -> (pid: Int32, host: String)? {
        guard let at = suffix.lastIndex(of: "@"), let dash = suffix[..<at].lastIndex(of: "-"),
              let pid = Int32(suffix[suffix.index(after: dash)..<at]), pid > 0 else { return nil }
        return (pid, String(suffix[suffix.index(after: at)...]))
    }

    static func isRunning(_ pid: Int32) -> Bool { kill(pid, 0) == 0 || errno == EPERM }

    static let hostName: String = {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        return String(cString: buffer)
    }()
}
