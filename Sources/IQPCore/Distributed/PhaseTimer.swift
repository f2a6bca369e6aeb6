// TEMPORARY stand-in until the mpi branch lands (lead will reconcile).
import Foundation
public struct PhaseTimer: Sendable {
    public enum Phase: String, CaseIterable, Sendable { case sampling, localCompute = "local_compute", reductions, optimizer, broadcast, io }
    public private(set) var seconds: [Phase: Double] = [:]
    public init() {}
    public mutating func measure<T>(_ phase: Phase, _ body: () throws -> T) rethrows -> T {
        let t0 = DispatchTime.now().uptimeNanoseconds
        defer { seconds[phase, default: 0] += Double(DispatchTime.now().uptimeNanoseconds - t0) * 1e-9 }
        return try body()
    }
}
