/// The buffers of one MMD² evaluation whose size the options choose (docs/math.md §3), for
/// `MemoryAdmission` before a run starts (docs/reliability.md, "Memory admission"):
///
/// - every rank holds all B strings of every bandwidth (the data term needs each of them), and
///   per string its data terms (training and validation), its Σf, Σf² and its ∂L/∂f:
///   K·B·(8w + 8v + 48) bytes, w = ⌈n/64⌉ words per string, v = 1 or 2 data sets;
/// - per bandwidth, the rank's block of samples (⌈s / grid columns⌉ of them), each 8w packed
///   bytes plus what the estimator keeps per sample: the fast path (docs/math.md §5) the
///   sample's spins and local fields (about 24n bytes), the dense path its bits as bytes and
///   one row of Φ, cos Φ and sin Φ (about n + 48 bytes). The bitflip model draws no samples.
///
/// The estimators' work matrices are chunked to the same budget by the estimators themselves
/// (`DenseEstimator`, `PairwiseIsingEstimator`) and are not counted here: a step's peak is at
/// most about twice the budget.
public enum StepMemory {
    /// The sizes and the options that set them.
    public struct Sizes: Sendable {
        /// Strings per bandwidth in one evaluation (B), and the option and value that set it.
        public var strings: Int
        public var stringsOption: String
        public var stringsValue: String
        /// Samples per bandwidth in one evaluation (s), and the option that sets it.
        public var samples: Int
        public var samplesOption: String

        public init(strings: Int, stringsOption: String, stringsValue: String? = nil, samples: Int, samplesOption: String) {
            self.strings = strings
            self.stringsOption = stringsOption
            self.stringsValue = stringsValue ?? "\(strings)"
            self.samples = samples
            self.samplesOption = samplesOption
        }
    }

    /// The needs of one evaluation of `model`'s loss with `settings`' bandwidths, wires and
    /// estimator, the sizes of `sizes`, on one rank of a grid with `gridColumns` sample groups.
    public static func needs(model: (circuit: Circuit, kind: ModelKind), settings: LossSettings, sizes: Sizes,
                             gridColumns: Int, dataSets: Int) -> [MemoryAdmission.Need] {
        let n = model.circuit.nQubits
        let k = Double(settings.sigmas.count)
        let words = Double(max(1, (n + 63) / 64))
        let perString = 8 * words + 8 * Double(max(1, dataSets)) + 48
        var needs = [MemoryAdmission.Need(sizes.stringsOption, value: sizes.stringsValue,
                                          what: "Pauli strings of \(n) qubits and their sums",
                                          count: k * Double(sizes.strings), bytesEach: perString)]
        guard model.kind == .iqp else { return needs }
        let fast = settings.estimator != .dense && PairwiseIsingEstimator.applies(to: model.circuit)
        let perSample = 8 * words + (fast ? 24 * Double(n) : Double(n) + 48)
        let block = (Double(sizes.samples) / Double(max(1, gridColumns))).rounded(.up)
        needs.append(MemoryAdmission.Need(sizes.samplesOption, value: sizes.samples,
                                          what: "Monte Carlo samples of \(n) qubits and the estimator's rows",
                                          count: k * block, bytesEach: perSample))
        return needs
    }
}
