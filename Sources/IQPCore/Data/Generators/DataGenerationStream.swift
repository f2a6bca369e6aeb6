/// The keyed streams (purpose `.dataGeneration`) of the data generators. The `step` field of
/// the key names what a stream is for, so that two uses never share numbers; `index` numbers
/// rows or chains. Row i of a generated data set therefore depends only on (seed, use, i):
/// asking for more rows leaves the first rows unchanged (except after the Ising shuffle).
enum DataGenerationStream: UInt64 {
    case barsAndStripesRow = 1
    case isingCouplings = 2
    case isingChain = 3
    case isingShuffle = 4
    case blobPatterns = 5
    case blobRow = 6

    /// The stream for `use` keyed by (seed, index).
    func stream(seed: UInt64, index: Int = 0) -> KeyedStream {
        KeyedStream(seed: seed, step: rawValue, sigmaIndex: 0, purpose: .dataGeneration, index: index)
    }
}
