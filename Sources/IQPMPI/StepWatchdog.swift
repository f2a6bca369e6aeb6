import CMPI
import Foundation
import IQPCore

/// `iqp train --step-timeout SECONDS` (docs/distributed.md, "Failure behaviour"): a rank that
/// waits longer than the timeout in a collective of a training step ends the job, naming the
/// ranks that did not arrive.
///
/// While armed (`Communicator.markStep` with a step), every collective of `MPICommunicator`
/// runs as its non-blocking form (`MPI_Iallreduce`, …) completed by an `MPI_Test` loop with a
/// deadline, and each rank first tells root "I entered collective #k of step t" with a
/// 16-byte `MPI_Isend` on a duplicate of `MPI_COMM_WORLD`. Root reads those messages whenever
/// it enters or waits in a collective, so it knows how far every rank has come:
///
/// - root waits more than `timeout`: the ranks whose count is below root's did not arrive;
///   root aborts the job with their numbers (or says that all arrived but the collective did
///   not complete);
/// - another rank waits more than 2 · `timeout` (root would have reported by then if it were
///   waiting too): it aborts the job saying that root did not arrive.
///
/// Cost while armed: one small message per rank and collective, and polling (the first
/// millisecond spins on `MPI_Test`, then tests every 100 µs). Collectives outside the training
/// loop (setup, the final evaluation) are not watched.
final class StepWatchdog {
    let timeout: Double
    /// Test hook (`--hang-rank`): this world rank stops, without dying, at step 3.
    let hangRank: Int?
    private let channel: MPI_Comm
    private let worldRank: Int
    /// The step the collectives belong to; nil: disarmed.
    private(set) var step: Int?
    /// Collectives this rank has entered while armed.
    private var entered = 0
    /// Root: the latest (count, step) each world rank announced.
    private var arrivals: [(count: Int, step: Int)]
    private var pendingSends: [(request: MPI_Request?, message: UnsafeMutablePointer<Int64>)] = []
    private static let tag: Int32 = 4242

    /// Collective over `MPI_COMM_WORLD` (duplicates it for the arrival messages).
    init(timeout: Double, hangRank: Int?, worldRank: Int, worldSize: Int) {
        self.timeout = timeout
        self.hangRank = hangRank
        self.worldRank = worldRank
        var duplicate: MPI_Comm? = iqp_mpi_comm_null()
        MPI_Comm_dup(iqp_mpi_comm_world(), &duplicate)
        channel = duplicate!
        arrivals = Array(repeating: (0, 0), count: worldSize)
    }

    /// Arms the watchdog for `step` (nil: disarms it).
    func mark(step: Int?) {
        self.step = step
        if let step, step == 3, hangRank == worldRank {
            writeToStandardError("iqp: rank \(worldRank): --hang-rank: stopping at step 3 without exiting\n")
            while true { sleep(3600) }
        }
    }

    /// Called as this rank enters a collective: counts it and tells root.
    func enter() {
        entered += 1
        if worldRank == 0 {
            arrivals[0] = (entered, step ?? -1)
            drainArrivals()
        } else {
            reapSends()
            let message = UnsafeMutablePointer<Int64>.allocate(capacity: 2)
            message[0] = Int64(entered)
            message[1] = Int64(step ?? -1)
            var request: MPI_Request? = nil
            MPI_Isend(message, 2, iqp_mpi_int64(), 0, Self.tag, channel, &request)
            pendingSends.append((request, message))
        }
    }

    /// Completes `request` (the collective `operation` just started), or returns the message
    /// the job ends with when the deadline passes.
    func wait(_ request: inout MPI_Request?, operation: String) -> String? {
        let start = DispatchTime.now().uptimeNanoseconds
        let limit = worldRank == 0 ? timeout : 2 * timeout
        while true {
            var done: Int32 = 0
            MPI_Test(&request, &done, iqp_mpi_status_ignore())
            if done != 0 { return nil }
            if worldRank == 0 { drainArrivals() }
            let waited = Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
            if waited > limit { return report(operation: operation, waited: waited) }
            if waited > 1e-3 { usleep(100) }
        }
    }

    /// The abort message after waiting `waited` seconds in collective #`entered`.
    func report(operation: String, waited: Double) -> String {
        let at = "collective #\(entered) (\(operation)) of step \(step ?? -1)"
        let seconds = String(format: "%.1f", waited)
        guard worldRank == 0 else {
            return "\(at) did not complete in \(seconds) s (--step-timeout \(timeout)) and rank 0, which names late ranks, "
                + "did not report: rank 0 did not arrive"
        }
        let late = arrivals.indices.filter { arrivals[$0].count < entered }
        guard !late.isEmpty else {
            return "\(at): every rank arrived but it did not complete in \(seconds) s (--step-timeout \(timeout))"
        }
        let names = late.map { "rank \($0) (last seen at collective #\(arrivals[$0].count) of step \(arrivals[$0].step))" }
        return "\(at): \(names.joined(separator: ", ")) did not arrive within \(seconds) s (--step-timeout \(timeout))"
    }

    /// Root: reads every arrival message that is waiting.
    private func drainArrivals() {
        while true {
            var flag: Int32 = 0
            var status = MPI_Status()
            MPI_Iprobe(MPI_ANY_SOURCE, Self.tag, channel, &flag, &status)
            guard flag != 0 else { return }
            var message: [Int64] = [0, 0]
            MPI_Recv(&message, 2, iqp_mpi_int64(), status.MPI_SOURCE, Self.tag, channel, iqp_mpi_status_ignore())
            let source = Int(status.MPI_SOURCE)
            if Int(message[0]) > arrivals[source].count { arrivals[source] = (Int(message[0]), Int(message[1])) }
        }
    }

    /// Frees the buffers of arrival messages that have been sent.
    private func reapSends() {
        pendingSends.removeAll { entry in
            var request = entry.request
            var done: Int32 = 0
            MPI_Test(&request, &done, iqp_mpi_status_ignore())
            if done != 0 { entry.message.deallocate() }
            return done != 0
        }
    }
}
