/// A model's OpenQASM file: the compiled circuit (`IQPCircuitSynthesis`) written by
/// `QASMWriter` after a header that states the conventions, the gate counts and the model's
/// metadata (docs/hardware.md). `iqp export` and the training's `--sampler qasm` target
/// write it.
public struct QASMExport: Sendable {
    /// The circuit as written (OpenQASM 2: rzz expanded).
    public let circuit: HardwareCircuit
    public let statistics: CircuitStatistics
    /// The same circuit with rzz written as cx·rz·cx.
    public let cnotBasisStatistics: CircuitStatistics
    public let text: String

    /// - Parameters:
    ///   - source: where the model came from (named in the header), e.g. the model file.
    ///   - notes: extra header lines (e.g. the run's shots and seed).
    public init(model: IQPModel, dialect: QASMDialect = .qasm3, basis: TwoQubitBasis = .rzz,
                ladders: LadderSynthesis = .shared, source: String, notes: [String] = [],
                admission: MemoryAdmission = .automatic()) throws {
        // The statistics and layering keep tables per qubit and the text has lines per qubit:
        // a model file claiming 10⁹ qubits is refused here, before they are made.
        do { try admission.admit([QASMExport.need(model)]) } catch var error as IQPError {
            (error.file, error.field) = (source, "n_qubits")
            throw error
        }
        let compiled = try IQPCircuitSynthesis.compile(model, basis: basis, ladders: ladders)
        let circuit = dialect == .qasm2 ? compiled.expandingRZZ() : compiled   // what the file holds
        let statistics = CircuitStatistics(circuit)
        let cnotBasis = CircuitStatistics(circuit.expandingRZZ())
        var header = [
            "IQP circuit exported by iqp \(IQPVersion.string) from \(source): n_qubits \(model.nQubits), "
                + "\(model.circuit.parameterCount) gates, \(model.circuit.generatorCount) generators, spin_sym \(model.spinSym)",
            "each generator exp(i*theta*X_g) = H exp(i*theta*Z_g) H; exp(i*theta*Z) = rz(-2*theta), "
                + "exp(i*theta*Z*Z) = rzz(-2*theta); basis \(basis.rawValue), \(ladders.rawValue) CNOT ladders",
            "bit order: qubit i of the model is q[i], measured into c[i] = column i of iqp's CSV rows "
                + "(Qiskit's count keys print c[n-1]...c[0])",
            "gates: " + CircuitStatistics.gateOrder.compactMap { name in statistics.counts[name].map { "\(name)=\($0)" } }
                .joined(separator: " ") + "; depth=\(statistics.depth); two-qubit depth=\(statistics.twoQubitDepth)",
            "with rzz = cx.rz.cx: cx=\(cnotBasis.counts["cx", default: 0]); depth=\(cnotBasis.depth); "
                + "two-qubit depth=\(cnotBasis.twoQubitDepth)",
        ]
        if model.nAncilla > 0 {
            header.append("n_ancilla \(model.nAncilla): q[\(model.nVisible)]..q[\(model.nQubits - 1)] are ancillas; every qubit is "
                          + "measured, keep c[0]..c[\(model.nVisible - 1)] (the visible bits) and drop the rest")
        }
        header += notes
        if !model.metadata.isEmpty {
            let members = model.metadata.keys.sorted().map { JSONMember($0, model.metadata[$0]!) }
            header.append("metadata: " + JSONWriter.encodeCompact(.object(members)))
        }
        self.circuit = circuit
        self.statistics = statistics
        self.cnotBasisStatistics = cnotBasis
        self.text = QASMWriter.text(circuit, dialect: dialect, header: header)
    }
}

extension QASMExport {
    /// Bytes per qubit of an export: depth counters and layering lists (about 64 bytes) and the
    /// text of the qubit's Hadamard layers (about 32).
    static let bytesPerQubit = 96.0

    /// The export's per-qubit memory as a need of the model's `n_qubits`.
    static func need(_ model: IQPModel) -> MemoryAdmission.Need {
        .init("n_qubits", value: model.nQubits, what: "the export's per-qubit tables and text",
              count: Double(model.nQubits), bytesEach: bytesPerQubit)
    }
}
