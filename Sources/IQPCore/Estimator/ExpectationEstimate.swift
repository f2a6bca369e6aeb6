/// <Z_a> for a list of Pauli-Z strings with the Monte Carlo standard error (docs/math.md §2):
/// mean of f_i = cos φ(a, z_i)·m(a, z_i) over s samples, standard error std(f, ddof=1)/√s.
/// The bitflip model's values are exact (standard error 0). Weight-≤2 circuits take the fast
/// path (docs/math.md §5) when it is cheaper, exactly as in training.
public enum ExpectationEstimate {
    public struct Value: Equatable, Sendable {
        public var mean: Double
        public var standardError: Double
    }

    public static func estimate(model: IQPModel, strings: BitMatrix, samples: Int, seed: UInt64,
                                memoryBudget: Int = DenseEstimator.defaultMemoryBudget) throws -> [Value] {
        guard strings.columns == model.nQubits else {
            throw IQPError("the Pauli strings have \(strings.columns) columns but the model has \(model.nQubits) qubits", field: "ops")
        }
        let thetaPrime = model.circuit.generatorParameters(model.params)
        if model.kind == .bitflip {
            return BitflipExpectation(circuit: model.circuit).expectations(thetaPrime: thetaPrime, strings: strings, spinSym: model.spinSym)
                .map { Value(mean: $0, standardError: 0) }
        }
        guard samples >= 2 else { throw IQPError("needs at least 2 samples, got \(samples)", field: "samples") }
        let z = UniformSampleSampler.samples(nQubits: model.nQubits, seed: seed, step: 0, sigmaIndex: 0, range: 0..<samples)
        let fwd = try PathSelectingEstimator(circuit: model.circuit, path: .auto, memoryBudget: memoryBudget)
            .forward(thetaPrime: thetaPrime, strings: strings, samples: z, spinSym: model.spinSym)
        let s = Double(samples)
        return (0..<strings.rows).map { a in
            let mean = fwd.rowSum[a] / s
            let variance = max(0, (fwd.rowSumSquares[a] - s * mean * mean) / (s - 1))
            return Value(mean: mean, standardError: (variance / s).squareRoot())
        }
    }
}
