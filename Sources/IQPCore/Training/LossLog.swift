import Foundation

/// The loss log CSV (`step,loss,validation_loss,seconds`), written by root one line per step,
/// so a crashed run keeps every completed step. A resumed run starts it from the checkpoint's
/// history before appending. The header and history replace an existing log atomically, and a
/// failed append leaves the log at its last complete line (`AppendedTextFile`). `-` (and
/// `/dev/stdout`) is standard output; a device or FIFO is written in place.
public final class LossLog {
    let file: AppendedTextFile
    public var path: String { file.path }

    /// Creates (or replaces) the log with the header and `history`.
    public init(path: String, history: [TrainingRecord] = []) throws {
        var text = TrainingRecord.csvHeader + "\n"
        for r in history { text += r.csvLine + "\n" }
        do { file = try AppendedTextFile(path: path, initial: text) } catch let error as IQPError {
            throw IQPError("cannot write the loss log: \(error.message)", file: path)
        }
    }

    /// Appends one line (a full disk or a closed pipe is an error naming the log).
    public func append(_ record: TrainingRecord) throws {
        do { try file.append(record.csvLine + "\n") } catch let error as IQPError {
            throw IQPError("cannot write the loss log: \(error.message)", file: path)
        }
    }
}
