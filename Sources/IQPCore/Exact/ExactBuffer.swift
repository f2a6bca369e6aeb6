/// A heap array of Doubles owned by one exact-path object, for the 2ⁿ-entry vectors of
/// docs/math.md §10 (a pointer, not an `Array`, so that the transforms and the parallel loops
/// write it without copy-on-write checks or exclusivity conflicts).
///
/// `@unchecked Sendable`: the owner writes it from parallel loops over disjoint index ranges
/// only (documented at each loop), and never while another thread reads the same entries.
public final class ExactBuffer: @unchecked Sendable {
    public let count: Int
    public let base: UnsafeMutablePointer<Double>

    /// `count` Doubles, zeroed.
    public init(count: Int) {
        self.count = count
        base = UnsafeMutablePointer<Double>.allocate(capacity: max(1, count))
        base.initialize(repeating: 0, count: count)
    }

    deinit { base.deallocate() }

    public subscript(i: Int) -> Double {
        get { base[i] }
        set { base[i] = newValue }
    }
}
