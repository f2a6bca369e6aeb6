import CMPI
import Foundation
import IQPCore

/// A `Communicator` over an Open MPI communicator (`MPI_COMM_WORLD` from `MPIRuntime.world`,
/// or one made by `split`).
///
/// Every collective maps to one MPI call: `allreduceSum`/`allreduceMax` → `MPI_Allreduce` with
/// `MPI_IN_PLACE`; `reduceSum` → `MPI_Reduce` (in place on root); `broadcast` → `MPI_Bcast`;
/// `gather` → `MPI_Gather`; `reduceScatterSum` → `MPI_Reduce_scatter`; `allgather` →
/// `MPI_Allgatherv`; `split` → `MPI_Comm_split`; `barrier` → `MPI_Barrier`. Errors
/// are fatal (`MPI_ERRORS_ARE_FATAL`); a non-success return, which that handler should make
/// impossible, is turned into `abort`.
///
/// Sub-communicators are never freed: `MPI_Comm_free` is collective and the trainer makes two
/// of them per run, so they live until `MPI_Finalize`.
public final class MPICommunicator: Communicator, @unchecked Sendable {
    // @unchecked Sendable: the stored properties are immutable (an MPI handle is a pointer
    // to a library object that MPI itself owns), and MPI runs at MPI_THREAD_SERIALIZED, so
    // any thread may call in as long as calls do not overlap, which the one-task trainer
    // guarantees.
    let handle: MPI_Comm
    /// This process's rank in `MPI_COMM_WORLD`, printed in error messages.
    public let worldRank: Int
    public let rank: Int
    public let size: Int

    init(handle: MPI_Comm, worldRank: Int) {
        self.handle = handle
        self.worldRank = worldRank
        var rank: Int32 = 0, size: Int32 = 0
        MPI_Comm_rank(handle, &rank)
        MPI_Comm_size(handle, &size)
        self.rank = Int(rank)
        self.size = Int(size)
    }

    public func allreduceSum(_ buffer: UnsafeMutableBufferPointer<Double>) {
        guard !buffer.isEmpty else { return }
        check(MPI_Allreduce(iqp_mpi_in_place(), buffer.baseAddress, count(buffer), iqp_mpi_double(),
                            iqp_mpi_sum(), handle), "MPI_Allreduce")
    }

    public func allreduceSum(_ buffer: UnsafeMutableBufferPointer<Int64>) {
        guard !buffer.isEmpty else { return }
        check(MPI_Allreduce(iqp_mpi_in_place(), buffer.baseAddress, count(buffer), iqp_mpi_int64(),
                            iqp_mpi_sum(), handle), "MPI_Allreduce")
    }

    public func allreduceMax(_ buffer: UnsafeMutableBufferPointer<Double>) {
        guard !buffer.isEmpty else { return }
        check(MPI_Allreduce(iqp_mpi_in_place(), buffer.baseAddress, count(buffer), iqp_mpi_double(),
                            iqp_mpi_max(), handle), "MPI_Allreduce")
    }

    public func reduceSum(_ buffer: UnsafeMutableBufferPointer<Double>, root: Int) {
        guard !buffer.isEmpty else { return }
        checkRoot(root)
        // MPI_IN_PLACE is only legal as the root's send buffer; the others send theirs.
        let send: UnsafeRawPointer? = rank == root ? UnsafeRawPointer(iqp_mpi_in_place()) : UnsafeRawPointer(buffer.baseAddress)
        let receive: UnsafeMutableRawPointer? = rank == root ? UnsafeMutableRawPointer(buffer.baseAddress) : nil
        check(MPI_Reduce(send, receive, count(buffer), iqp_mpi_double(), iqp_mpi_sum(), Int32(root), handle),
              "MPI_Reduce")
    }

    public func broadcast(_ buffer: UnsafeMutableBufferPointer<Double>, root: Int) {
        guard !buffer.isEmpty else { return }
        checkRoot(root)
        check(MPI_Bcast(buffer.baseAddress, count(buffer), iqp_mpi_double(), Int32(root), handle), "MPI_Bcast")
    }

    public func broadcast(_ buffer: UnsafeMutableBufferPointer<Int64>, root: Int) {
        guard !buffer.isEmpty else { return }
        checkRoot(root)
        check(MPI_Bcast(buffer.baseAddress, count(buffer), iqp_mpi_int64(), Int32(root), handle), "MPI_Bcast")
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
        send.withUnsafeBufferPointer { sendBuffer in
            received.withUnsafeMutableBufferPointer { receiveBuffer in
                check(MPI_Gather(sendBuffer.baseAddress, perRank, iqp_mpi_double(),
                                 isRoot ? receiveBuffer.baseAddress : nil, perRank, iqp_mpi_double(),
                                 Int32(root), handle), "MPI_Gather")
            }
        }
        return received
    }

    public func reduceScatterSum(_ send: UnsafeBufferPointer<Double>, into receive: UnsafeMutableBufferPointer<Double>,
                                 counts: [Int]) {
        let counts32 = blockCounts(counts, total: send.count, mine: receive.count, "reduceScatterSum")
        guard !send.isEmpty else { return }
        check(MPI_Reduce_scatter(send.baseAddress, receive.baseAddress, counts32, iqp_mpi_double(), iqp_mpi_sum(), handle),
              "MPI_Reduce_scatter")
    }

    public func allgather(_ send: UnsafeBufferPointer<Double>, into receive: UnsafeMutableBufferPointer<Double>,
                          counts: [Int]) {
        let counts32 = blockCounts(counts, total: receive.count, mine: send.count, "allgather")
        guard !receive.isEmpty else { return }
        var displacements: [Int32] = []
        var offset: Int32 = 0
        for count in counts32 { displacements.append(offset); offset += count }
        check(MPI_Allgatherv(send.baseAddress, counts32[rank], iqp_mpi_double(), receive.baseAddress, counts32,
                             displacements, iqp_mpi_double(), handle), "MPI_Allgatherv")
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
        return MPICommunicator(handle: child, worldRank: worldRank)
    }

    public func barrier() {
        check(MPI_Barrier(handle), "MPI_Barrier")
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
