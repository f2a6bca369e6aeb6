/// The spin covariance matrix C_ij = E[s_i s_j] − E[s_i] E[s_j] of a model or a sample set, with
/// spins s = (−1)^x = 1 − 2x (the study's `calc_cov_matrix.py`: `np.cov` of `1 − 2·samples`,
/// IQPopt's `construct_convariance_matrix` for a model). For a model E[s_i] = ⟨Z_i⟩ and
/// E[s_i s_j] = ⟨Z_i Z_j⟩ (docs/math.md §2), so
///
///     C_ij = ⟨Z_i Z_j⟩ − ⟨Z_i⟩⟨Z_j⟩,    C_ii = 1 − ⟨Z_i⟩²,
///
/// from all 2ⁿ expectations exactly (n ≤ 26), or from the n(n+1)/2 strings of weight 1 and 2 by
/// Monte Carlo. From M samples it is the unbiased sample covariance (divisor M − 1), as `np.cov`.
/// The matrix is n × n, row-major, symmetric.
public enum SpinCovariance {
    /// Admits the n × n matrices a covariance comparison holds (the model's, the data's, and one
    /// of work) against `admission`, before they are allocated: a model file that claims a huge
    /// n_qubits is refused with a message, never an allocation failure.
    public static func admit(nQubits n: Int, admission: MemoryAdmission) throws {
        try admission.admit([MemoryAdmission.Need(IQPError.ref("covariance"), value: "with \(n) qubits",
                                                  what: "three \(n) × \(n) covariance matrices",
                                                  count: 3 * Double(n) * Double(n), bytesEach: 8)])
    }

    /// The unbiased sample covariance of the spins of `samples`' rows (np.cov(1 − 2X, rowvar=False)).
    public static func of(samples: BitMatrix) throws -> [Double] {
        let n = samples.columns, m = samples.rows
        guard m >= 2 else { throw IQPError("needs at least 2 rows for a covariance, got \(m)", field: "samples") }
        var ones = [Int](repeating: 0, count: n)
        var both = [Int](repeating: 0, count: n * n)
        for r in 0..<m {
            let bits = samples.bits(row: r)
            let set = (0..<n).filter { bits[$0] == 1 }
            for i in set {
                ones[i] += 1
                for j in set where j >= i { both[i * n + j] += 1 }
            }
        }
        // With s = 1 − 2x: Σ s_i = M − 2·ones_i and Σ s_i s_j = M − 2 ones_i − 2 ones_j + 4 both_ij.
        let mm = Double(m)
        var c = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in i..<n {
                let si = mm - 2 * Double(ones[i]), sj = mm - 2 * Double(ones[j])
                let sij = mm - 2 * Double(ones[i]) - 2 * Double(ones[j]) + 4 * Double(both[i * n + j])
                let value = (sij - si * sj / mm) / (mm - 1)
                c[i * n + j] = value
                c[j * n + i] = value
            }
        }
        return c
    }

    /// The model's covariance from ⟨Z_i⟩ and ⟨Z_i Z_j⟩ (`expectation(mask)`: ⟨Z_a⟩ for the string
    /// with bit mask a).
    static func fromExpectations(n: Int, _ expectation: (_ i: Int, _ j: Int?) -> Double) -> [Double] {
        let single = (0..<n).map { expectation($0, nil) }
        var c = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            c[i * n + i] = 1 - single[i] * single[i]
            for j in (i + 1)..<max(i + 1, n) {
                let value = expectation(i, j) - single[i] * single[j]
                c[i * n + j] = value
                c[j * n + i] = value
            }
        }
        return c
    }

    /// Exactly, from all 2ⁿ ⟨Z_a⟩ (`AllStringExpectations`, n ≤ 26, within `memoryBudget`); of
    /// the visible qubits when the model has ancillas (docs/math.md §12).
    public static func exact(model: IQPModel, memoryBudget: Int) throws -> [Double] {
        let n = model.nVisible
        try ExactPathCost.admit(nQubits: model.nQubits, kind: model.kind, dataSets: 0, memoryBudget: memoryBudget)
        let layout = ExactVectorLayout(nQubits: model.nQubits, communicator: LocalCommunicator())
        let expectations = ExactPathCost.expectations(for: model, layout: layout)
        expectations.forward(thetaPrime: model.circuit.generatorParameters(model.params))
        let values = expectations.values
        return fromExpectations(n: n) { i, j in values[(1 << i) | (j.map { 1 << $0 } ?? 0)] }
    }

    /// By Monte Carlo: ⟨Z_i⟩ and ⟨Z_i Z_j⟩ estimated with `samples` bitstrings each
    /// (`ExpectationEstimate`; the bitflip model's values are exact); of the visible qubits.
    public static func monteCarlo(model: IQPModel, samples: Int, seed: UInt64, memoryBudget: Int) throws -> [Double] {
        let n = model.nVisible
        var strings = BitMatrix(rows: n * (n + 1) / 2, columns: model.nQubits)
        var index = [Int](repeating: 0, count: n * n)
        var row = 0
        for i in 0..<n {
            for j in i..<n {
                strings[row, i] = true
                strings[row, j] = true
                index[i * n + j] = row
                row += 1
            }
        }
        let values = try ExpectationEstimate.estimate(model: model, strings: strings, samples: samples, seed: seed,
                                                      memoryBudget: memoryBudget)
        return fromExpectations(n: n) { i, j in values[index[i * n + (j ?? i)]].mean }
    }
}
