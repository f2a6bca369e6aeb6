/// How a model's share of a step's loss and gradient is computed on a rank, between the step's
/// collectives (`MMDObjective`): the seam for other models and estimators. The exact path has
/// its one place here: `EstimatorPath.exact` selects `.exact` for either model, every other
/// path a Monte Carlo estimator's `BlockPath` or the bitflip model's exact <Z_a>.
public enum LocalComputation: Sendable {
    /// IQP circuit: Monte Carlo over strings and samples, the dense or fast estimator chosen
    /// per block (`BlockPath`; docs/math.md §2–§5).
    case monteCarlo(PathSelectingEstimator)
    /// The bitflip model: exact <Z_a> per drawn string (docs/math.md §9).
    case bitflip(BitflipExpectation)
    /// `EstimatorPath.exact`, either model: the loss over all 2ⁿ strings, no strings or samples
    /// drawn (docs/math.md §10).
    case exact(ExactLossTerms)

    /// The computation `settings.estimator` selects for `model` (its params are ignored).
    /// `train`, `validation`: the full data sets (the exact path histograms this rank's shard).
    public init(model: IQPModel, train: BitMatrix, validation: BitMatrix?, settings: LossSettings,
                communicator: Communicator) throws {
        guard let blockPath = BlockPath(settings.estimator) else {
            self = .exact(try ExactLossTerms(model: model, train: train, validation: validation,
                                             sigmas: settings.sigmas, wires: settings.wires,
                                             memoryBudget: settings.memoryBudget, communicator: communicator))
            return
        }
        switch model.kind {
        case .iqp:
            self = .monteCarlo(try PathSelectingEstimator(circuit: model.circuit, path: blockPath,
                                                          memoryBudget: settings.memoryBudget,
                                                          precision: settings.gemmPrecision))
        case .bitflip:
            self = .bitflip(BitflipExpectation(circuit: model.circuit))
        }
    }
}
