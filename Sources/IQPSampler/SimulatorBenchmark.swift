import IQPCore

/// The simulator benchmark of `iqp simulator-bench`: one exact sampling job on the circuit with
/// every generator of weight ≤ 2 (n + n(n−1)/2 gates, one generator each), timed by phase.
public enum SimulatorBenchmark {
    /// One benchmark measurement.
    public struct Row: Sendable {
        public var nQubits: Int
        public var generators: Int
        public var precision: Precision
        public var shots: Int
        /// Bytes of the state vector (2^n complex amplitudes).
        public var stateBytes: Double
        public var timings: SimulationTimings

        /// Memory throughput of a transform in GB/s (10^9 bytes per second).
        public static func throughput(bytes: Double, seconds: Double) -> Double {
            seconds > 0 ? bytes / seconds / 1e9 : .infinity
        }
    }

    /// The circuit with all generators of weight ≤ 2 on n qubits (`GateBuilders.local`, in
    /// IQPopt's order), parameters uniform in
    /// [−π, π) from the stream keyed by (seed, purpose .initialisation).
    public static func allPairsModel(nQubits n: Int, seed: UInt64) throws -> IQPModel {
        let gates = try GateBuilders.local(nQubits: n, maxWeight: 2)
        var stream = KeyedStream(seed: seed, step: 0, sigmaIndex: 0, purpose: .initialisation, index: 0)
        let params = gates.map { _ in (stream.nextUniform() * 2 - 1) * Double.pi }
        return try IQPModel(circuit: Circuit(nQubits: n, gates: gates), params: params)
    }

    /// Times one job (build, both transforms, exponentiation, `shots` shots).
    public static func run(nQubits: Int, precision: Precision, shots: Int, seed: UInt64) throws -> Row {
        let model = try allPairsModel(nQubits: nQubits, seed: seed)
        let simulator = try ExactIQPSimulator(model: model, precision: precision)
        let (_, timings) = try simulator.sample(shots: shots, seed: seed)
        return Row(nQubits: nQubits, generators: model.circuit.generatorCount, precision: precision, shots: shots,
                   stateBytes: SamplerLimits.stateBytes(nQubits: nQubits, kind: .iqp, precision: precision),
                   timings: timings)
    }
}
