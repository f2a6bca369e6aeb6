/// Counter-based random streams (docs/random-streams.md).
///
/// Every random number of a run is a pure function of a key, never of the order in which
/// numbers were drawn: the Pauli string b of bandwidth k at step t is drawn from the stream
/// keyed by (seed, t, k, .pauliStrings, b), the Monte Carlo sample i from the stream keyed by
/// (seed, t, k, .samples, i). Any process can therefore draw exactly the strings and samples
/// of its own block, and the numbers do not depend on the number of processes.
///
/// The key is built by chaining the SplitMix64 finaliser over the fields; the stream is
/// SplitMix64 started at that key: value c = mix64(key + (c+1)·γ), γ = 0x9E3779B97F4A7C15.
public struct KeyedStream: Sendable {
    /// Purposes of the streams; part of the key so that streams never overlap.
    public enum Purpose: UInt64, Sendable {
        case pauliStrings = 1
        case samples = 2
        case initialisation = 3
        case shots = 4
        case dataGeneration = 5
        case bootstrap = 6
        /// `iqp tune`'s split of the data into training and held-out rows.
        case gridSplit = 7
    }

    public static let gamma: UInt64 = 0x9E37_79B9_7F4A_7C15

    @usableFromInline var state: UInt64

    /// The stream keyed by (seed, step, bandwidth index, purpose, index).
    @inlinable
    public init(seed: UInt64, step: UInt64, sigmaIndex: Int, purpose: Purpose, index: Int) {
        var h = KeyedStream.mix64(seed &+ 0x5851_F42D_4C95_7F2D)
        h = KeyedStream.mix64(h ^ (step &* 0xD6E8_FEB8_6659_FD93))
        h = KeyedStream.mix64(h ^ (UInt64(truncatingIfNeeded: sigmaIndex) &* 0xA076_1D64_78BD_642F))
        h = KeyedStream.mix64(h ^ (purpose.rawValue &* 0xE703_7ED1_A0B4_28DB))
        h = KeyedStream.mix64(h ^ (UInt64(truncatingIfNeeded: index) &* 0x8EBC_6AF0_9C88_C6E3))
        state = h
    }

    /// A stream started directly at `key` (for sequential uses such as data generation).
    @inlinable public init(key: UInt64) { state = KeyedStream.mix64(key) }

    /// The SplitMix64 output function (Stafford's Mix13).
    @inlinable @inline(__always)
    public static func mix64(_ x: UInt64) -> UInt64 {
        var z = x
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Next 64 random bits.
    @inlinable @inline(__always)
    public mutating func next() -> UInt64 {
        state &+= KeyedStream.gamma
        return KeyedStream.mix64(state)
    }

    /// Uniform double in [0, 1) with 53 random bits.
    @inlinable @inline(__always)
    public mutating func nextUniform() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// Uniform double in (0, 1].
    @inlinable @inline(__always)
    public mutating func nextUniformPositive() -> Double {
        Double((next() >> 11) + 1) * 0x1.0p-53
    }

    /// Standard normal (Box–Muller, one value per call).
    @inlinable
    public mutating func nextGaussian() -> Double {
        let u1 = nextUniformPositive()
        let u2 = nextUniform()
        return (-2 * _log(u1)).squareRoot() * _cos(2 * Double.pi * u2)
    }

    /// Uniform integer in 0..<bound (Lemire's multiply-shift; bound > 0).
    @inlinable
    public mutating func nextInt(below bound: Int) -> Int {
        precondition(bound > 0)
        let m = next().multipliedFullWidth(by: UInt64(bound))
        return Int(m.high)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

@usableFromInline func _log(_ x: Double) -> Double { log(x) }
@usableFromInline func _cos(_ x: Double) -> Double { cos(x) }
