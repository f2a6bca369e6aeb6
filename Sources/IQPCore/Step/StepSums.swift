/// The loss per bandwidth σ_k of one step (docs/math.md §3): Σ_a res_a/B over the strings of
/// bandwidth k, for the training data and, when the step asked for it, the validation data.
/// A rank's local computation fills its share; the step's reduction sums the shares.
public struct LossPerSigma: Sendable, Equatable {
    /// Training loss per bandwidth.
    public var train: [Double]
    /// Validation loss per bandwidth, nil when the step did not ask for it.
    public var validation: [Double]?

    /// Zeros for `sigmaCount` bandwidths (and the validation losses when `validation`).
    public init(sigmaCount: Int, validation: Bool) {
        train = [Double](repeating: 0, count: sigmaCount)
        self.validation = validation ? train : nil
    }

    public init(train: [Double], validation: [Double]?) {
        self.train = train
        self.validation = validation
    }

    /// The number of bandwidths K.
    public var sigmaCount: Int { train.count }

    /// The loss of the step: the mean over the K bandwidths (docs/math.md §3).
    public var trainMean: Double { train.reduce(0, +) / Double(sigmaCount) }
    /// The validation loss, the mean over the K bandwidths (nil when not asked).
    public var validationMean: Double? { validation.map { $0.reduce(0, +) / Double(sigmaCount) } }
}

/// What the ranks sum at the end of a step: ∂L/∂θ, the loss per σ and the number of ranks asked
/// to stop (`StopRequest`). Before the step's reduction a rank holds its share (its stop
/// requests 0 or 1); after it root holds the totals. `StepExchange` lays it out in one buffer.
public struct StepSums: Sendable, Equatable {
    /// ∂L/∂θ, one entry per parameter (zeros when the gradient was not asked for).
    public var gradient: [Double]
    public var loss: LossPerSigma
    /// Ranks asked to stop during the step.
    public var stopRequests: Int

    /// `gradient` (empty: zeros for `parameterCount` parameters) and `loss`, with no stop request.
    public init(gradient: [Double], parameterCount: Int, loss: LossPerSigma, stopRequests: Int = 0) {
        precondition(gradient.isEmpty || gradient.count == parameterCount)
        self.gradient = gradient.isEmpty ? [Double](repeating: 0, count: parameterCount) : gradient
        self.loss = loss
        self.stopRequests = stopRequests
    }

    /// Sets the gradient of the gates `range` to zero (gates whose parameters are fixed).
    public mutating func clearGradient(of range: Range<Int>) {
        for i in range { gradient[i] = 0 }
    }
}
