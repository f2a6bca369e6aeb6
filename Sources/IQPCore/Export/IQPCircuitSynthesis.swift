/// The two-qubit gates an exported circuit uses.
public enum TwoQubitBasis: String, CaseIterable, Sendable {
    /// h, rz, rzz, cx: for devices with a native ZZ rotation (IBM Heron's rzz, Quantinuum's
    /// ZZPhase, IonQ's zz); ladders end in an rzz, so a weight-w support costs w − 2 CNOTs
    /// each way plus one rzz.
    case rzz
    /// h, rz, cx: ladders run over the whole support and end in an rz (w − 1 CNOTs each way,
    /// weight 2 included, shared with the longer supports that start with the same pair).
    case cx
}

/// One diagonal factor exp(iθ Z_{q₁} ⋯ Z_{q_w}) of an IQP circuit: generators with the same
/// support merged, their θ' summed (they commute, docs/math.md §1).
public struct PhaseTerm: Equatable, Sendable {
    /// The support, ascending.
    public let qubits: [Int]
    public let theta: Double
}

/// Compiles an IQP model into hardware gates (docs/hardware.md).
///
/// The model applies U = Π_j exp(iθ'_j X_{g_j}) to |0…0⟩ (or to (|0…0⟩ + |1…1⟩)/√2 with
/// spin_sym, docs/math.md §8). Since X_g = H^{⊗n} Z_g H^{⊗n} and all factors commute,
///
///     U = H^{⊗n} · Π_S exp(iθ_S Z_S) · H^{⊗n},    θ_S = Σ_{j: g_j = S} θ'_j,
///
/// one factor per distinct support S (zero θ_S dropped). The circuit is:
/// 1. with spin_sym, the GHZ state: h q0, then CNOTs doubling the entangled set each round
///    (depth ⌈log₂ n⌉, n − 1 CNOTs);
/// 2. h on every qubit;
/// 3. |S| = 1: rz(−2θ_S) q; |S| = 2: rzz(−2θ_S) a,b (basis cx: cx·rz·cx), in layers of
///    disjoint pairs (`TwoQubitLayering`); |S| ≥ 3: CNOT ladders (`ParityLadders`) — in basis cx
///    also the pairs that begin a longer support, whose ladder step is needed anyway;
/// 4. h on every qubit, then measure qubit i into bit i.
public enum IQPCircuitSynthesis {
    /// The hardware circuit of `model` (an IQP model; a bitflip model is classical).
    public static func compile(_ model: IQPModel, basis: TwoQubitBasis = .rzz,
                               ladders: LadderSynthesis = .shared) throws -> HardwareCircuit {
        guard model.kind == .iqp else {
            throw IQPError("model 'bitflip' is a classical baseline, not a circuit: only IQP models export", field: "model")
        }
        let n = model.nQubits
        var circuit = HardwareCircuit(nQubits: n)
        if model.spinSym { circuit.gates += ghzPreparation(nQubits: n) }
        circuit.gates += (0..<n).map { .h($0) }

        let terms = phaseTerms(model).filter { $0.theta != 0 }
        for term in terms where term.qubits.count == 1 {
            circuit.gates.append(.rz(angle: -2 * term.theta, qubit: term.qubits[0]))
        }
        var laddered = terms.filter { $0.qubits.count >= 3 }
        var pairs = terms.filter { $0.qubits.count == 2 }
        if basis == .cx {
            let leadingPairs = Set(laddered.map { Array($0.qubits.prefix(2)) })
            laddered += pairs.filter { leadingPairs.contains($0.qubits) }
            pairs.removeAll { leadingPairs.contains($0.qubits) }
        }
        var layered = HardwareCircuit(nQubits: n)
        for index in TwoQubitLayering.order(pairs.map { ($0.qubits[0], $0.qubits[1]) }, nQubits: n) {
            let q = pairs[index].qubits
            layered.gates.append(.rzz(angle: -2 * pairs[index].theta, q[0], q[1]))
        }
        circuit.gates += basis == .cx ? layered.expandingRZZ().gates : layered.gates
        circuit.gates += ParityLadders.rotations(laddered, basis: basis, ladders: ladders)

        circuit.gates += (0..<n).map { .h($0) }
        circuit.gates += (0..<n).map { .measure($0) }
        return circuit
    }

    /// The model's distinct supports with summed angles, in the order of first appearance.
    public static func phaseTerms(_ model: IQPModel) -> [PhaseTerm] {
        let thetaPrime = model.circuit.generatorParameters(model.params)
        var index: [[Int]: Int] = [:]
        var supports: [[Int]] = []
        var thetas: [Double] = []
        for (j, generator) in model.circuit.generators.enumerated() {
            let support = generator.sorted()
            if let k = index[support] {
                thetas[k] += thetaPrime[j]
            } else {
                index[support] = supports.count
                supports.append(support)
                thetas.append(thetaPrime[j])
            }
        }
        return zip(supports, thetas).map { PhaseTerm(qubits: $0, theta: $1) }
    }

    /// (|0…0⟩ + |1…1⟩)/√2 from |0…0⟩: h q0, then in round r the first 2^r qubits copy their
    /// bit to the next 2^r (cx i, 2^r + i).
    static func ghzPreparation(nQubits n: Int) -> [HardwareGate] {
        var gates: [HardwareGate] = [.h(0)]
        var entangled = 1
        while entangled < n {
            for i in 0..<min(entangled, n - entangled) { gates.append(.cx(control: i, target: entangled + i)) }
            entangled *= 2
        }
        return gates
    }
}
