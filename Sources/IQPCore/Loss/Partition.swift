/// Balanced contiguous split of 0..<count into `parts` ranges (sizes differ by at most one);
/// part `index` is count·index/parts ..< count·(index+1)/parts.
@inlinable
public func balancedRange(count: Int, parts: Int, index: Int) -> Range<Int> {
    precondition(parts >= 1 && index >= 0 && index < parts)
    return (count * index / parts)..<(count * (index + 1) / parts)
}
