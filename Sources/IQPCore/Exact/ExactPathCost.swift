import Foundation

/// What the exact path (docs/math.md §10) costs, in memory and time, and the choice of
/// `--estimator auto` between it and the Monte Carlo paths.
public enum ExactPathCost {
    /// The largest n the exact path accepts at all (the memory budget is normally far lower:
    /// 26 qubits take about 3 GiB).
    public static let maxQubits = 30

    /// Bytes of the 2ⁿ-entry vectors on each rank: the IQP kernel's F, F̂ (complex) and one real
    /// vector (40·2ⁿ), or the bitflip kernel's four real vectors (32·2ⁿ), plus one real vector per
    /// data set (its parity spectrum).
    public static func bytes(nQubits n: Int, kind: ModelKind, dataSets: Int) -> Int {
        let perEntry = (kind == .iqp ? 40 : 32) + 8 * dataSets
        return n > maxQubits ? Int.max : perEntry << n
    }

    /// Throws unless the vectors fit in `memoryBudget` bytes (the error names `--memory-budget`).
    public static func admit(nQubits n: Int, kind: ModelKind, dataSets: Int, memoryBudget: Int) throws {
        guard n <= maxQubits else {
            throw IQPError("the exact estimator handles at most \(maxQubits) qubits (it stores 2ⁿ-entry vectors), "
                           + "the model has \(n); use \(IQPError.ref("estimator")) dense or fast", field: "estimator")
        }
        let needed = bytes(nQubits: n, kind: kind, dataSets: dataSets)
        guard needed <= memoryBudget else {
            throw IQPError("the exact estimator needs \(ByteCount.format(Double(needed))) (\(needed) bytes) for \(n) qubits, more than "
                           + "the budget of \(ByteCount.format(Double(memoryBudget))); raise \(IQPError.ref("memoryBudget")) or use "
                           + "\(IQPError.ref("estimator")) dense", field: "memoryBudget")
        }
    }

    /// The settings a training job runs with: `--estimator auto` becomes `.exact` when
    /// `autoChoosesExact`, else stays the per-block Monte Carlo choice; `.exact` is checked
    /// against the memory budget here, before any collective. `dataSets`: 1, or 2 with a
    /// validation set.
    public static func resolve(_ settings: LossSettings, circuit: Circuit, kind: ModelKind,
                               dataSets: Int) throws -> LossSettings {
        var resolved = settings
        switch settings.estimator {
        case .exact:
            try admit(nQubits: circuit.nQubits, kind: kind, dataSets: dataSets, memoryBudget: settings.memoryBudget)
        case .auto where autoChoosesExact(circuit: circuit, kind: kind, settings: settings, dataSets: dataSets):
            resolved.estimator = .exact
        default:
            break
        }
        return resolved
    }

    /// `--estimator auto`: whether the exact path runs instead of a Monte Carlo path. It does when
    /// its vectors fit the memory budget and its estimated step time (`EstimatorCost.exact`) is
    /// below the Monte Carlo step's (`monteCarloSeconds`). Both estimates are for one rank: the
    /// Monte Carlo work splits over ranks and so does most of the exact path's.
    public static func autoChoosesExact(circuit: Circuit, kind: ModelKind, settings: LossSettings,
                                        dataSets: Int) -> Bool {
        let n = circuit.nQubits
        guard n <= maxQubits, bytes(nQubits: n, kind: kind, dataSets: dataSets) <= settings.memoryBudget else {
            return false
        }
        let exact = EstimatorCost.exact(nQubits: n, generators: circuit.generatorCount, sigmas: settings.sigmas.count)
        return exact.seconds < monteCarloSeconds(circuit: circuit, kind: kind, settings: settings)
    }

    /// Estimated seconds of one Monte Carlo step over all σ, for strings of the expected weight
    /// |W|·p(σ): per σ the cheaper of `EstimatorCost.dense` and (weight-≤2 circuits)
    /// `EstimatorCost.fast`; for the bitflip model the closed form of B strings (every generator's
    /// parity: about m + Σ|g| operations per string).
    public static func monteCarloSeconds(circuit: Circuit, kind: ModelKind, settings: LossSettings) -> Double {
        let b = settings.stringsPerSigma, s = settings.samples, n = circuit.nQubits, m = circuit.generatorCount
        let wires = Double(settings.wires?.count ?? n)
        let generatorQubits = circuit.generators.reduce(0) { $0 + $1.count }
        let pairs = Set(circuit.generators.filter { $0.count == 2 }.map { [min($0[0], $0[1]), max($0[0], $0[1])] })
        let pairDensity = n > 1 ? Double(pairs.count) / Double(n * (n - 1) / 2) : 0
        return settings.sigmas.reduce(0.0) { total, sigma in
            if kind == .bitflip {
                return total + EstimatorCost(gemmFlops: 0, otherOperations: Double(b) * Double(m + generatorQubits)).seconds
            }
            var best = EstimatorCost.dense(strings: b, samples: s, generators: m, generatorQubits: generatorQubits).seconds
            if PairwiseIsingEstimator.applies(to: circuit) {
                let p = PauliStringSampler.probability(sigma: sigma)
                let used = wires * (1 - pow(1 - p, Double(b)))
                let fast = EstimatorCost.fast(strings: b, samples: s, qubits: n, usedQubits: Int(used.rounded()),
                                              stringQubits: Int((Double(b) * wires * p).rounded()),
                                              stringPairs: Int((Double(b) * wires * (wires - 1) / 2 * p * p).rounded()),
                                              pairDensity: pairDensity)
                best = min(best, fast.seconds)
            }
            return total + best
        }
    }

    /// The kernel for the model's kind.
    public static func expectations(for model: IQPModel, layout: ExactVectorLayout) -> AllStringExpectations {
        switch model.kind {
        case .iqp: ExactIQPExpectations(circuit: model.circuit, spinSym: model.spinSym, layout: layout)
        case .bitflip: ExactBitflipExpectations(circuit: model.circuit, spinSym: model.spinSym, layout: layout)
        }
    }
}

extension EstimatorCost {
    /// One exact loss-and-gradient evaluation on one rank: eight real transforms of 2ⁿ entries
    /// (n butterfly passes each, counted as 1.5 operations per entry and pass: the radix-8 passes
    /// vectorise), sin and cos of 2ⁿ phases (about 40 operations each), about 6 operations per
    /// string and bandwidth for the loss and ρ, and O(m) to fold the generators and read the
    /// gradient. Measured on the 2-core test machine it overestimates by 1–3× (n = 16…24).
    public static func exact(nQubits n: Int, generators m: Int, sigmas k: Int) -> EstimatorCost {
        let entries = Double(1 << min(n, 62))
        return EstimatorCost(gemmFlops: 0,
                             otherOperations: entries * (12 * Double(n) + 40 + 6 * Double(k)) + 8 * Double(m))
    }
}
