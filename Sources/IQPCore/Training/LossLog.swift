import Foundation

/// The loss log CSV (`step,loss,validation_loss,seconds`), written by root one line per step
/// and flushed, so a crashed run keeps every completed step. A resumed run rewrites it from
/// the checkpoint's history before appending.
public final class LossLog {
    let handle: FileHandle
    public let path: String

    /// Creates (or truncates) the log and writes the header and `history`.
    public init(path: String, history: [TrainingRecord] = []) throws {
        self.path = path
        var text = TrainingRecord.csvHeader + "\n"
        for r in history { text += r.csvLine + "\n" }
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)),
              let h = FileHandle(forWritingAtPath: path) else {
            throw IQPError("cannot create the loss log", file: path)
        }
        h.seekToEndOfFile()
        handle = h
    }

    public func append(_ record: TrainingRecord) {
        handle.write(Data((record.csvLine + "\n").utf8))
    }

    deinit { try? handle.close() }
}
