import ArgumentParser
import Foundation
import IQPCore
import IQPMPI

/// Shared parsing and error handling of the commands.
enum CommandSupport {
    /// Parses a comma-separated list of numbers (`--sigma 0.6,1.3`).
    static func doubles(_ text: String, option: String) throws -> [Double] {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
        return try parts.map { part in
            guard let x = Double(part.trimmingCharacters(in: .whitespaces)), x.isFinite else {
                throw ValidationError("\(option): '\(part)' is not a number")
            }
            return x
        }
    }

    /// Parses a comma-separated list of integers, with ranges `a-b` (`--wires 0-3,7`).
    ///
    /// Values are qubit indices or counts: each must lie in 0…`Int32.max` (qubit indices are
    /// 32-bit), and the expanded list is admitted against `admission` before it is made, so
    /// `0-99999999999` is a one-line error, not an allocation that fails.
    static func integers(_ text: String, option: String,
                         admission: MemoryAdmission = .automatic()) throws -> [Int] {
        var ranges: [ClosedRange<Int>] = []
        for part in text.split(separator: ",") {
            let bounds = part.split(separator: "-", maxSplits: 1).map { Int($0.trimmingCharacters(in: .whitespaces)) }
            if bounds.count == 2, let lo = bounds[0], let hi = bounds[1], lo <= hi { ranges.append(lo...hi) }
            else if bounds.count == 1, let x = bounds[0] { ranges.append(x...x) }
            else { throw ValidationError("\(option): '\(part)' is not an integer or a range a-b") }
        }
        if let big = ranges.first(where: { $0.upperBound > Int(Int32.max) }) {
            throw ValidationError("\(option): \(big.upperBound) is larger than the largest qubit index \(Int32.max)")
        }
        let count = ranges.reduce(0.0) { $0 + Double($1.upperBound) - Double($1.lowerBound) + 1 }
        try admission.admit([.init(option, value: text, what: String(format: "a list of %.0f values", count), count: count, bytesEach: 8)])
        return ranges.flatMap { Array($0) }
    }

    /// Ends the process after `error`: under MPI with several ranks the whole job is ended
    /// with MPI_Abort (never a hang); alone, a one-line message and the exit status of
    /// `ErrorReport` (1, or 64 for a usage error).
    static func fail(_ error: Error, communicator: Communicator?) -> Never {
        if let communicator, communicator.size > 1 {
            communicator.abort(ErrorReport.message(for: error), code: ErrorReport.status(for: error))
        }
        ErrorReport.exit(error)
    }

    /// Runs checks of IQPCore that name fields (`FieldFlags`) and reports their errors as usage
    /// errors that name the options (`--checkpoint-every: needs a checkpoint file (--checkpoint)`).
    @discardableResult
    static func usage<T>(_ check: () throws -> T) throws -> T {
        do { return try check() } catch let error as IQPError {
            let named = FieldFlags.named(error)
            var text = named.field.map { "--\($0): " } ?? ""
            if let file = named.file { text += "\(file): " }
            throw ValidationError(text + named.message)
        }
    }
}

/// Aligned plain-text tables for terminal output.
enum TextTable {
    /// Cells padded to fixed widths: first column 8 wide (right-aligned), others 24 (left).
    static func row(_ cells: [String]) -> String {
        cells.enumerated().map { i, c in
            i == 0 ? String(repeating: " ", count: max(0, 8 - c.count)) + c
                   : c + String(repeating: " ", count: max(0, 24 - c.count))
        }.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
    }

    static func estimate(_ e: ModelEvaluation.Estimate) -> String {
        String(format: "%.3e ± %.1e", e.mmdSquared, e.standardError)
    }
}
