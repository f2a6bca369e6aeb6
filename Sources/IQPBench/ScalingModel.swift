import IQPCore

/// The step-time model of docs/distributed.md, "Prediction": one training step on N ranks is
///
///     T(N) = T₁/N + C(N) + A(N),
///
/// T₁ the local compute of one rank holding the whole step (strings, samples, data term,
/// forward, backward), C(N) the step's collectives (the table "Collectives per step") and A(N)
/// Adam: p·a on root (`root`) or ⌈p/N⌉·a on every rank (`sharded`). Collectives cost, with a
/// point-to-point latency α and inverse bandwidth β (seconds per byte), m bytes, L = ⌈log₂ N⌉
/// and f = (N−1)/N (Thakur, Rabenseifner & Gropp 2005, the algorithms MPI libraries use for
/// large messages):
///
///     allreduce        2Lα + 2f·mβ     (reduce-scatter + allgather)
///     reduce, bcast    2Lα + 2f·mβ     (reduce-scatter + gather; scatter + allgather)
///     reduce-scatter    Lα +  f·mβ     (recursive halving)
///     allgather         Lα +  f·mβ     (recursive doubling)
///
/// so a root step sends 4f·8p·β of gradient and parameters and a sharded one 2f·8p·β.
/// Efficiency = T(1)/(N·T(N)).
public struct ScalingModel: Sendable {
    /// A network: point-to-point latency and inverse bandwidth.
    public struct Fabric: Sendable, Equatable {
        public var name: String
        public var alpha: Double
        public var beta: Double
        public init(name: String, alpha: Double, beta: Double) { self.name = name; self.alpha = alpha; self.beta = beta }
    }

    /// p: parameters (gates).
    public var parameters: Int
    /// K: bandwidths σ.
    public var sigmas: Int
    /// B: Pauli strings per σ.
    public var strings: Int
    /// T₁: one rank's local compute per step (seconds).
    public var computeSeconds: Double
    /// a: Adam's seconds per parameter.
    public var adamSecondsPerParameter: Double

    public init(parameters: Int, sigmas: Int, strings: Int, computeSeconds: Double, adamSecondsPerParameter: Double) {
        self.parameters = parameters
        self.sigmas = sigmas
        self.strings = strings
        self.computeSeconds = computeSeconds
        self.adamSecondsPerParameter = adamSecondsPerParameter
    }

    static func log2Ceiling(_ n: Int) -> Double { n <= 1 ? 0 : Double(Int.bitWidth - (n - 1).leadingZeroBitCount) }
    static func fraction(_ n: Int) -> Double { Double(n - 1) / Double(n) }

    /// Allreduce, reduce or broadcast of `bytes` on `ranks` ranks.
    public static func treeSeconds(bytes: Double, ranks: Int, fabric: Fabric) -> Double {
        2 * log2Ceiling(ranks) * fabric.alpha + 2 * fraction(ranks) * bytes * fabric.beta
    }

    /// Reduce-scatter or allgather of `bytes` (the whole buffer) on `ranks` ranks.
    public static func halvingSeconds(bytes: Double, ranks: Int, fabric: Fabric) -> Double {
        log2Ceiling(ranks) * fabric.alpha + fraction(ranks) * bytes * fabric.beta
    }

    /// C(N): the step's collectives (world grid 1 × N: no row allreduce is needed beyond the data term's).
    public func collectiveSeconds(ranks: Int, optimizer: OptimizerKind, fabric: Fabric) -> Double {
        let dataTerm = Self.treeSeconds(bytes: Double(8 * sigmas * strings), ranks: ranks, fabric: fabric)
        let gradient = Double(8 * (parameters + 2 * sigmas)), params = Double(8 * (parameters + 1))
        switch optimizer {
        case .root:
            return dataTerm + Self.treeSeconds(bytes: gradient, ranks: ranks, fabric: fabric)
                + Self.treeSeconds(bytes: params, ranks: ranks, fabric: fabric)
        case .sharded:
            return dataTerm + Self.halvingSeconds(bytes: gradient, ranks: ranks, fabric: fabric)
                + Self.halvingSeconds(bytes: params, ranks: ranks, fabric: fabric)
        }
    }

    /// A(N): Adam's seconds per step.
    public func adamSeconds(ranks: Int, optimizer: OptimizerKind) -> Double {
        let updated = optimizer == .root ? parameters : (parameters + ranks - 1) / ranks
        return Double(updated) * adamSecondsPerParameter
    }

    /// T(N).
    public func stepSeconds(ranks: Int, optimizer: OptimizerKind, fabric: Fabric) -> Double {
        computeSeconds / Double(ranks) + collectiveSeconds(ranks: ranks, optimizer: optimizer, fabric: fabric)
            + adamSeconds(ranks: ranks, optimizer: optimizer)
    }

    /// T(1)/(N·T(N)).
    public func efficiency(ranks: Int, optimizer: OptimizerKind, fabric: Fabric) -> Double {
        stepSeconds(ranks: 1, optimizer: optimizer, fabric: fabric)
            / (Double(ranks) * stepSeconds(ranks: ranks, optimizer: optimizer, fabric: fabric))
    }

    /// Bytes of Adam state (m, v) on root: 16p for `root`, 16⌈p/N⌉ for `sharded`.
    public func rootOptimizerBytes(ranks: Int, optimizer: OptimizerKind) -> Int {
        16 * (optimizer == .root ? parameters : (parameters + ranks - 1) / ranks)
    }
}
