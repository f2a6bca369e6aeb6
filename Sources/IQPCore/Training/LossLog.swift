import Foundation

/// The loss log CSV (`step,loss,validation_loss,seconds`), written by root one line per step
/// and flushed, so a crashed run keeps every completed step. A resumed run rewrites it from
/// the checkpoint's history before appending. `-` (and `/dev/stdout`) is standard output; a
/// device or FIFO is written in place (`AtomicFile.openLog`).
public final class LossLog {
    let handle: FileHandle
    public let path: String

    /// Creates (or truncates) the log and writes the header and `history`.
    public init(path: String, history: [TrainingRecord] = []) throws {
        self.path = path
        var text = TrainingRecord.csvHeader + "\n"
        for r in history { text += r.csvLine + "\n" }
        handle = try AtomicFile.openLog(path)
        do { try handle.write(contentsOf: Data(text.utf8)) } catch {
            throw IQPError("cannot write the loss log: \(error.localizedDescription)", file: path)
        }
    }

    /// Appends one line (a full disk or a closed pipe is an error naming the log).
    public func append(_ record: TrainingRecord) throws {
        do { try handle.write(contentsOf: Data((record.csvLine + "\n").utf8)) } catch {
            throw IQPError("cannot write the loss log: \(error.localizedDescription)", file: path)
        }
    }
}
