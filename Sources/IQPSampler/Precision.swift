/// The floating-point precision of the simulated state vector (docs/math.md §7).
///
/// `complex128` keeps amplitudes as two `Double`s (16 bytes each), `complex64` as two `Float`s
/// (8 bytes): half the memory and memory traffic, about 1e-6 relative error in the
/// probabilities. Sums over the probabilities (the sampling scan) are always done in `Double`.
public enum Precision: String, Sendable, CaseIterable, Equatable, Codable {
    case complex64
    case complex128

    /// Bytes of one complex amplitude.
    public var bytesPerAmplitude: Int {
        switch self {
        case .complex64: return 8
        case .complex128: return 16
        }
    }
}
