#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The single-rank communicator: every collective is the identity. This is what a dry run
/// and the single-process tests use; the trainer's code path is the same as under MPI.
public final class LocalCommunicator: Communicator, @unchecked Sendable {
    public init() {}
    public var rank: Int { 0 }
    public var size: Int { 1 }
    public func allreduceSum(_ buffer: UnsafeMutableBufferPointer<Double>) {}
    public func allreduceSum(_ buffer: UnsafeMutableBufferPointer<Int64>) {}
    public func allreduceMax(_ buffer: UnsafeMutableBufferPointer<Double>) {}
    public func reduceSum(_ buffer: UnsafeMutableBufferPointer<Double>, root: Int) {}
    public func broadcast(_ buffer: UnsafeMutableBufferPointer<Double>, root: Int) {}
    public func broadcast(_ buffer: UnsafeMutableBufferPointer<Int64>, root: Int) {}
    public func gather(_ send: [Double], root: Int) -> [Double] { send }
    public func reduceScatterSum(_ send: UnsafeBufferPointer<Double>, into receive: UnsafeMutableBufferPointer<Double>,
                                 counts: [Int]) {
        precondition(counts == [send.count] && receive.count == send.count, "reduceScatterSum on one rank: counts \(counts)")
        for i in send.indices { receive[i] = send[i] }
    }
    public func allgather(_ send: UnsafeBufferPointer<Double>, into receive: UnsafeMutableBufferPointer<Double>,
                          counts: [Int]) {
        precondition(counts == [send.count] && receive.count == send.count, "allgather on one rank: counts \(counts)")
        for i in send.indices { receive[i] = send[i] }
    }
    public func split(color: Int, key: Int) -> Communicator { LocalCommunicator() }
    public func barrier() {}
    public func abort(_ message: String, code: Int32) -> Never {
        writeToStandardError("iqp: error: \(message)\n")
        exit(code == 0 ? 1 : code)
    }
}
