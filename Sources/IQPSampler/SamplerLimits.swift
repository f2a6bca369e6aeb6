import Foundation
import IQPCore

/// Memory admission for sampling jobs: a job whose memory would not fit `maxMemoryBytes` is
/// refused up front with a reason, never started, swapped or crashed.
///
/// Exact IQP sampling holds 2^n complex amplitudes (docs/math.md §7): 2^n · 8 bytes in complex64,
/// 2^n · 16 in complex128 (30 qubits in complex64 is 8 GiB). Every shot adds its sort key,
/// its outcome and its packed row. The bitflip model (docs/math.md §9) needs only the shots.
public struct SamplerLimits: Sendable, Equatable {
    /// The memory one job may use, in bytes.
    public var maxMemoryBytes: Int
    /// The most shots one job may ask for.
    public var maxShots: Int

    public static let defaultMaxShots = 10_000_000

    public init(maxMemoryBytes: Int, maxShots: Int = SamplerLimits.defaultMaxShots) {
        precondition(maxMemoryBytes > 0 && maxShots > 0)
        self.maxMemoryBytes = maxMemoryBytes
        self.maxShots = maxShots
    }

    /// The `--max-memory auto` budget: half of the machine's physical memory, and no more than
    /// three quarters of what the host has available now (`HostMemory.availableBytes`: what
    /// other processes leave, within the container's limit), so that a busy host is not pushed
    /// into swap or the OOM killer.
    public static func automatic(maxShots: Int = SamplerLimits.defaultMaxShots) -> SamplerLimits {
        SamplerLimits(maxMemoryBytes: automaticBudget().bytes, maxShots: maxShots)
    }

    /// The automatic budget and how it was chosen ("half of 23.5 GiB" or "3/4 of the 5.1 GiB
    /// available").
    public static func automaticBudget() -> (bytes: Int, reason: String) {
        let half = HostMemory.physicalBytes / 2
        let available = HostMemory.availableBytes()
        let share = available / 4 * 3
        if share < half {
            return (max(1 << 20, share), "3/4 of the \(formatBytes(Double(available))) available on this host")
        }
        return (half, "half of this machine's \(formatBytes(Double(HostMemory.physicalBytes)))")
    }

    /// Bytes of the state vector of an exact IQP job (0 for the bitflip model).
    public static func stateBytes(nQubits: Int, kind: ModelKind, precision: Precision) -> Double {
        kind == .bitflip ? 0 : Double(precision.bytesPerAmplitude) * pow(2, Double(nQubits))
    }

    /// Bytes the shots of a job need: the packed rows, plus for exact sampling the sort key
    /// (16 bytes) and outcome (8 bytes) of each shot.
    public static func shotBytes(nQubits: Int, kind: ModelKind, shots: Int) -> Double {
        let row = Double(max(1, (nQubits + 63) / 64) * 8)
        return Double(shots) * (row + (kind == .bitflip ? 0 : 24))
    }

    /// Total bytes of a job.
    public static func requiredBytes(nQubits: Int, kind: ModelKind, precision: Precision, shots: Int) -> Double {
        stateBytes(nQubits: nQubits, kind: kind, precision: precision)
            + shotBytes(nQubits: nQubits, kind: kind, shots: shots)
    }

    /// Throws an `IQPError` naming the reason when the job does not fit.
    /// `budgetName` names whose budget it is in the message ("the service's budget").
    public func admit(nQubits: Int, kind: ModelKind, precision: Precision, shots: Int,
                      budgetName: String = "the memory budget") throws {
        guard shots >= 1 else {
            throw IQPError("must be at least 1, got \(shots)", field: "shots")
        }
        guard shots <= maxShots else {
            throw IQPError("\(shots) is over the limit of \(maxShots) shots per job", field: "shots")
        }
        let state = SamplerLimits.stateBytes(nQubits: nQubits, kind: kind, precision: precision)
        let total = state + SamplerLimits.shotBytes(nQubits: nQubits, kind: kind, shots: shots)
        guard total <= Double(maxMemoryBytes) else {
            let budget = "\(budgetName) of \(formatBytes(Double(maxMemoryBytes)))"
            if !(state <= 0x1p70) {
                throw IQPError("\(nQubits) qubits in \(precision.rawValue) needs 2^\(nQubits) amplitudes of state, over \(budget)")
            }
            if kind == .bitflip || state < 0.9 * total {
                throw IQPError("\(shots) shots of \(nQubits) qubits need \(formatBytes(total)), over \(budget)")
            }
            throw IQPError("\(nQubits) qubits in \(precision.rawValue) needs \(formatBytes(state)) of state, over \(budget)")
        }
    }

    /// Same, for a model.
    public func admit(model: IQPModel, precision: Precision, shots: Int,
                      budgetName: String = "the memory budget") throws {
        try admit(nQubits: model.nQubits, kind: model.kind, precision: precision, shots: shots,
                  budgetName: budgetName)
    }
}

/// "16 GiB", "1.5 GiB", "768 MiB": binary units, at most one decimal (`ByteCount.format`).
public func formatBytes(_ bytes: Double) -> String { ByteCount.format(bytes) }

extension SamplerLimits {
    /// Reads a memory size: "auto" (half the machine: nil), a number of bytes, or a number with
    /// a binary suffix K, M, G, T (optionally followed by "iB" or "B"): "12G", "512MiB".
    public static func parseBytes(_ text: String) throws -> Int? {
        if text.trimmingCharacters(in: .whitespaces).lowercased() == "auto" { return nil }
        do { return try ByteCount.parse(text, field: "max-memory") } catch {
            throw IQPError("expected 'auto', a number of bytes or a size such as 12G, got '\(text)'", field: "max-memory")
        }
    }
}
