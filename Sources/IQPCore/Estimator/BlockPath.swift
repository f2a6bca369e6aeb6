/// Which Monte Carlo estimator computes a block of strings × samples (`PathSelectingEstimator`):
/// the `EstimatorPath`s that estimate, without `.exact`, which is a whole step's choice
/// (`LocalComputation.exact`) and never a block's.
public enum BlockPath: String, Sendable, CaseIterable {
    /// `DenseEstimator`: any circuit (docs/math.md §2, §4).
    case dense
    /// `PairwiseIsingEstimator`: generators of weight ≤ 2 only (docs/math.md §5).
    case fast
    /// The cheaper of the two by `EstimatorCost`, block by block (dense when fast does not apply).
    case auto

    /// The block path of a step's estimator choice; nil for `.exact`.
    public init?(_ path: EstimatorPath) {
        switch path {
        case .dense: self = .dense
        case .fast: self = .fast
        case .auto: self = .auto
        case .exact: return nil
        }
    }
}
