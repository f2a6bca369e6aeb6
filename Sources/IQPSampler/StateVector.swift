import IQPCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// 2^n complex numbers stored interleaved (re, im) in 2^(n+1) scalars, owned by this object.
///
/// `@unchecked Sendable`: the buffer is written only while the simulator builds it (with
/// disjoint index ranges per thread) and only read afterwards.
final class StateVector<T: SimulationScalar>: @unchecked Sendable {
    let nQubits: Int
    let data: UnsafeMutablePointer<T>

    /// Whether `data` came from posix_memalign (freed with free) rather than allocate.
    private let alignedAllocation: Bool

    /// Buffers of 4 MiB and more are 2 MiB-aligned and marked for transparent huge pages, so
    /// first touching them costs one page fault per 2 MiB instead of per 4 KiB.
    init(nQubits: Int) {
        self.nQubits = nQubits
        let count = 2 << nQubits
        let bytes = count * MemoryLayout<T>.stride
        #if canImport(Glibc)
        if bytes >= 4 << 20 {
            var raw: UnsafeMutableRawPointer?
            if posix_memalign(&raw, 2 << 20, bytes) == 0, let raw {
                _ = madvise(raw, bytes, Int32(MADV_HUGEPAGE))
                self.data = raw.bindMemory(to: T.self, capacity: count)
                self.alignedAllocation = true
                return
            }
        }
        #endif
        self.data = UnsafeMutablePointer<T>.allocate(capacity: count)
        self.alignedAllocation = false
    }

    deinit {
        if alignedAllocation { free(UnsafeMutableRawPointer(data)) } else { data.deallocate() }
    }

    /// |2^n · amplitude(x)|² = 4^n · p(x).
    @inline(__always)
    func unnormalisedProbability(_ x: Int) -> Double {
        let re = data[2 * x].asDouble, im = data[2 * x + 1].asDouble
        return re * re + im * im
    }

    /// 1/4^n: the buffer holds 2^n · amplitude.
    var probabilityScale: Double { pow(0.25, Double(nQubits)) }

    /// p(x) for every x.
    func probabilities() -> [Double] {
        let scale = probabilityScale
        return (0..<(1 << nQubits)).map { x in
            let re = data[2 * x].asDouble, im = data[2 * x + 1].asDouble
            return (re * re + im * im) * scale
        }
    }
}
