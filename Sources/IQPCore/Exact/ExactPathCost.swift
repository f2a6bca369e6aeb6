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
                           + "the model has \(n); use --estimator dense or fast", field: "estimator")
        }
        let needed = bytes(nQubits: n, kind: kind, dataSets: dataSets)
        guard needed <= memoryBudget else {
            throw IQPError("the exact estimator needs \(describe(needed)) (\(needed) bytes) for \(n) qubits, more than "
                           + "the budget of \(describe(memoryBudget)); raise --memory-budget or use --estimator dense",
                           field: "memory-budget")
        }
    }

    /// `bytes` as a short size with a binary unit (e.g. "3.0 GiB").
    static func describe(_ bytes: Int) -> String {
        let units = ["bytes", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(bytes), unit = 0
        while value >= 1024 && unit < units.count - 1 { value /= 1024; unit += 1 }
        return unit == 0 ? "\(bytes) bytes" : String(format: "%.1f ", value) + units[unit]
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
    /// (n butterfly passes each, two operations per entry and pass), sin and cos of 2ⁿ phases
    /// (about 40 operations each), about 6 operations per string and bandwidth for the loss and
    /// ρ, and O(m) to fold the generators and read the gradient.
    public static func exact(nQubits n: Int, generators m: Int, sigmas k: Int) -> EstimatorCost {
        let entries = Double(1 << min(n, 62))
        return EstimatorCost(gemmFlops: 0,
                             otherOperations: entries * (16 * Double(n) + 40 + 6 * Double(k)) + 8 * Double(m))
    }
}
