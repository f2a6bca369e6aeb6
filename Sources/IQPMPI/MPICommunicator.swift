import CMPI
import Foundation
import IQPCore

/// A `Communicator` over an Open MPI communicator (`MPI_COMM_WORLD` from `MPIRuntime.world`,
/// or one made by `split`).
///
/// Every collective maps to one MPI call: `allreduceSum`/`allreduceMax` → `MPI_Allreduce` with
/// `MPI_IN_PLACE`; `reduceSum` → `MPI_Reduce` (in place on root); `broadcast` → `MPI_Bcast`;
/// `gather` → `MPI_Gather`; `reduceScatterSum` → `MPI_Reduce_scatter`; `allgather` →
/// `MPI_Allgatherv`; `split` → `MPI_Comm_split`; `barrier` → `MPI_Barrier`. While the step
/// watchdog is armed (`--step-timeout`, `StepWatchdog`) each runs as its non-blocking form
/// with a deadline instead. Errors are fatal (`MPI_ERRORS_ARE_FATAL`); a non-success return,
/// which that handler should make impossible, is turned into `abort`.
///
/// Sub-communicators are never freed: `MPI_Comm_free` is collective and the trainer makes two
/// of them per run, so they live until `MPI_Finalize`.
public final class MPICommunicator: Communicator, @unchecked Sendable {
    // @unchecked Sendable: the stored properties are immutable (an MPI handle is a pointer
    // to a library object that MPI itself owns; the watchdog slot is touched only by the
    // thread that calls the collectives), and MPI runs at MPI_THREAD_SERIALIZED, so any thread
    // may call in as long as calls do not overlap, which the one-task trainer guarantees.
    let handle: MPI_Comm
    /// This process's rank in `MPI_COMM_WORLD`, printed in error messages.
    public let worldRank: Int
    public let rank: Int
    public let size: Int
    /// The job's step watchdog, shared by the world and every communicator split from it.
    let watch: WatchdogSlot

    init(handle: MPI_Comm, worldRank: Int, watch: WatchdogSlot = WatchdogSlot()) {
        self.handle = handle
        self.worldRank = worldRank
        self.watch = watch
        var rank: Int32 = 0, size: Int32 = 0
        MPI_Comm_rank(handle, &rank)
        MPI_Comm_size(handle, &size)
        self.rank = Int(rank)
        self.size = Int(size)
    }

    /// Collective over `MPI_COMM_WORLD`: from now on a rank that waits more than `timeout`
    /// seconds in a collective of a marked training step ends the job (`StepWatchdog`).
    /// `hangRank` is a test hook: that rank stops without exiting at step 3.
    public func enableStepWatchdog(timeout: Double, hangRank: Int? = nil) {
        precondition(timeout > 0 && timeout.isFinite)
        watch.watchdog = StepWatchdog(timeout: timeout, hangRank: hangRank, worldRank: worldRank,
                                      worldSize: MPIRuntime.world.size)
    }

    public func markStep(_ step: Int?) { watch.watchdog?.mark(step: step) }

    public func allreduceSum(_ buffer: UnsafeMutableBufferPointer<Double>) {
        allreduce(buffer, iqp_mpi_double(), iqp_mpi_sum())
    }

    public func allreduceSum(_ buffer: UnsafeMutableBufferPointer<Int64>) {
        allreduce(buffer, iqp_mpi_int64(), iqp_mpi_sum())
    }

    public func allreduceMax(_ buffer: UnsafeMutableBufferPointer<Double>) {
        allreduce(buffer, iqp_mpi_double(), iqp_mpi_max())
    }

    public func reduceSum(_ buffer: UnsafeMutableBufferPointer<Double>, root: Int) {
        guard !buffer.isEmpty else { return }
        checkRoot(root)
        // MPI_IN_PLACE is only legal as the root's send buffer; the others send theirs.
        let send: UnsafeRawPointer? = rank == root ? UnsafeRawPointer(iqp_mpi_in_place()) : UnsafeRawPointer(buffer.baseAddress)
        let receive: UnsafeMutableRawPointer? = rank == root ? UnsafeMutableRawPointer(buffer.baseAddress) : nil
        let n = count(buffer), type = iqp_mpi_double(), op = iqp_mpi_sum(), root32 = Int32(root)
        collective("MPI_Reduce", { MPI_Reduce(send, receive, n, type, op, root32, handle) },
                   { MPI_Ireduce(send, receive, n, type, op, root32, handle, $0) })
    }

    public func broadcast(_ buffer: UnsafeMutableBufferPointer<Double>, root: Int) {
        broadcast(UnsafeMutableRawPointer(buffer.baseAddress), count: buffer.count, type: iqp_mpi_double(), root: root)
    }

    public func broadcast(_ buffer: UnsafeMutableBufferPointer<Int64>, root: Int) {
        broadcast(UnsafeMutableRawPointer(buffer.baseAddress), count: buffer.count, type: iqp_mpi_int64(), root: root)
    }

    public func gather(_ send: [Double], root: Int) -> [Double] {
        checkRoot(root)
        let isRoot = rank == root
        var received = [Double](repeating: 0, count: isRoot ? send.count * size : 0)
        guard !send.isEmpty else { return received }
        let perRank = Int32(clamping: send.count)
        if Int(perRank) != send.count || (isRoot && send.count * size > Int(Int32.max)) {
            abort("gather of \(send.count) values per rank exceeds MPI's 32-bit counts", code: 2)
        }
        let type = iqp_mpi_double(), root32 = Int32(root)
        send.withUnsafeBufferPointer { sendBuffer in
            received.withUnsafeMutableBufferPointer { receiveBuffer in
                let s = sendBuffer.baseAddress, r = isRoot ? receiveBuffer.baseAddress : nil
                collective("MPI_Gather", { MPI_Gather(s, perRank, type, r, perRank, type, root32, handle) },
                           { MPI_Igather(s, perRank, type, r, perRank, type, root32, handle, $0) })
            }
        }
        return received
    }

    public func reduceScatterSum(_ send: UnsafeBufferPointer<Double>, into receive: UnsafeMutableBufferPointer<Double>,
                                 counts: [Int]) {
        let counts32 = blockCounts(counts, total: send.count, mine: receive.count, "reduceScatterSum")
        guard !send.isEmpty else { return }
        let s = send.baseAddress, r = receive.baseAddress, type = iqp_mpi_double(), op = iqp_mpi_sum()
        counts32.withUnsafeBufferPointer { c in
            collective("MPI_Reduce_scatter", { MPI_Reduce_scatter(s, r, c.baseAddress, type, op, handle) },
                       { MPI_Ireduce_scatter(s, r, c.baseAddress, type, op, handle, $0) })
        }
    }

    public func allgather(_ send: UnsafeBufferPointer<Double>, into receive: UnsafeMutableBufferPointer<Double>,
                          counts: [Int]) {
        let counts32 = blockCounts(counts, total: receive.count, mine: send.count, "allgather")
        guard !receive.isEmpty else { return }
        var displacements: [Int32] = []
        var offset: Int32 = 0
        for count in counts32 { displacements.append(offset); offset += count }
        let s = send.baseAddress, r = receive.baseAddress, mine = counts32[rank], type = iqp_mpi_double()
        counts32.withUnsafeBufferPointer { c in
            displacements.withUnsafeBufferPointer { d in
                collective("MPI_Allgatherv", { MPI_Allgatherv(s, mine, type, r, c.baseAddress, d.baseAddress, type, handle) },
                           { MPI_Iallgatherv(s, mine, type, r, c.baseAddress, d.baseAddress, type, handle, $0) })
            }
        }
    }

    public func split(color: Int, key: Int) -> Communicator {
        guard color >= 0, color <= Int(Int32.max), let key32 = Int32(exactly: key) else {
            abort("split colour \(color) must be in 0...\(Int32.max) and key \(key) a 32-bit integer", code: 2)
        }
        var child: MPI_Comm? = iqp_mpi_comm_null()
        check(MPI_Comm_split(handle, Int32(color), key32, &child), "MPI_Comm_split")
        guard let child, child != iqp_mpi_comm_null() else {
            abort("MPI_Comm_split returned MPI_COMM_NULL for colour \(color)", code: 2)
        }
        return MPICommunicator(handle: child, worldRank: worldRank, watch: watch)
    }

    public func barrier() {
        collective("MPI_Barrier", { MPI_Barrier(handle) }, { MPI_Ibarrier(handle, $0) })
    }

    /// Prints `iqp: rank R: error: message` (R = world rank) to stderr and calls `MPI_Abort`
    /// on `MPI_COMM_WORLD`, which makes `mpirun` kill every rank; exits with `code` (1 if 0).
    public func abort(_ message: String, code: Int32) -> Never {
        let status = code == 0 ? 1 : code
        writeToStandardError("iqp: rank \(worldRank): error: \(message)\n")
        MPI_Abort(iqp_mpi_comm_world(), status)
        exit(status)  // MPI_Abort does not return; this keeps the compiler and singleton runs honest.
    }

    // MARK: - Helpers

    /// Runs one collective: `blocking`, or, while the step watchdog is armed, `start` (the
    /// non-blocking form) completed under the watchdog's deadline.
    private func collective(_ name: String, _ blocking: () -> Int32,
                            _ start: (UnsafeMutablePointer<MPI_Request?>) -> Int32) {
        guard let watchdog = watch.watchdog, watchdog.step != nil else {
            check(blocking(), name)
            return
        }
        watchdog.enter()
        var request: MPI_Request? = nil
        check(start(&request), name)
        if let message = watchdog.wait(&request, operation: name) { abort(message, code: 4) }
    }

    private func allreduce<T>(_ buffer: UnsafeMutableBufferPointer<T>, _ type: MPI_Datatype, _ op: MPI_Op) {
        guard !buffer.isEmpty else { return }
        let n = count(buffer), inPlace = UnsafeRawPointer(iqp_mpi_in_place()), data = buffer.baseAddress
        collective("MPI_Allreduce", { MPI_Allreduce(inPlace, data, n, type, op, handle) },
                   { MPI_Iallreduce(inPlace, data, n, type, op, handle, $0) })
    }

    private func broadcast(_ data: UnsafeMutableRawPointer?, count: Int, type: MPI_Datatype, root: Int) {
        guard count > 0 else { return }
        checkRoot(root)
        guard let n = Int32(exactly: count) else {
            abort("a buffer of \(count) values exceeds MPI's 32-bit counts", code: 2)
        }
        let root32 = Int32(root)
        collective("MPI_Bcast", { MPI_Bcast(data, n, type, root32, handle) },
                   { MPI_Ibcast(data, n, type, root32, handle, $0) })
    }

    private func count<T>(_ buffer: UnsafeMutableBufferPointer<T>) -> Int32 {
        guard let count = Int32(exactly: buffer.count) else {
            abort("a buffer of \(buffer.count) values exceeds MPI's 32-bit counts", code: 2)
        }
        return count
    }

    /// `counts` as MPI's 32-bit counts, after checking them against the communicator's size,
    /// the whole buffer (`total` = Σ counts, below 2³¹) and this rank's block (`mine`).
    private func blockCounts(_ counts: [Int], total: Int, mine: Int, _ call: String) -> [Int32] {
        guard counts.count == size, counts.allSatisfy({ $0 >= 0 }), counts.reduce(0, +) == total,
              counts[rank] == mine, Int32(exactly: total) != nil else {
            abort("\(call): counts \(counts.count <= 8 ? "\(counts)" : "of \(counts.count) ranks") do not fit "
                  + "\(size) ranks, \(total) values in all and \(mine) on rank \(rank) (or exceed MPI's 32-bit counts)", code: 2)
        }
        return counts.map { Int32($0) }
    }

    private func checkRoot(_ root: Int) {
        if !(0..<size).contains(root) { abort("root \(root) is not a rank of a \(size)-rank communicator", code: 2) }
    }

    private func check(_ status: Int32, _ call: String) {
        if status != iqp_mpi_success() { abort("\(call) failed: \(mpiErrorString(status))", code: 2) }
    }
}

/// The step watchdog of a job, once enabled; shared by reference by every communicator of the job.
final class WatchdogSlot: @unchecked Sendable {
    // @unchecked Sendable: set once by `enableStepWatchdog` before training, then read by the
    // one thread that calls the collectives.
    var watchdog: StepWatchdog?
    init() {}
}
