/// How the CNOT ladders of generators of weight ≥ 3 are built (see `IQPCircuitSynthesis`).
public enum LadderSynthesis: String, CaseIterable, Sendable {
    /// Generators in lexicographic order share the common prefix of their ladders: the
    /// CNOTs form a depth-first walk of the trie of qubit prefixes.
    case shared
    /// Every generator gets its own ladder, undone right after its rotation.
    case independent
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
/// 3. |S| = 1: rz(−2θ_S) q; |S| = 2: rzz(−2θ_S) a,b, in layers of disjoint pairs
///    (`TwoQubitLayering`); |S| = w ≥ 3, S = (s₁ < … < s_w): the CNOT ladder
///    cx s₁,s₂; …; cx s_{w−2},s_{w−1} puts the parity s₁⊕…⊕s_{w−1} on s_{w−1}, then
///    rzz(−2θ_S) s_{w−1},s_w, then the ladder is undone (w − 2 CNOTs each way). With
///    `.shared` ladders the supports go in lexicographic order and consecutive ones keep their
///    common prefix: each CNOT is one edge of the trie of supports, applied once, undone once;
/// 4. h on every qubit, then measure qubit i into bit i.
public enum IQPCircuitSynthesis {
    /// The hardware circuit of `model` (an IQP model; a bitflip model is classical).
    public static func compile(_ model: IQPModel, ladders: LadderSynthesis = .shared) throws -> HardwareCircuit {
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
        let pairs = terms.filter { $0.qubits.count == 2 }
        for index in TwoQubitLayering.order(pairs.map { ($0.qubits[0], $0.qubits[1]) }, nQubits: n) {
            let q = pairs[index].qubits
            circuit.gates.append(.rzz(angle: -2 * pairs[index].theta, q[0], q[1]))
        }
        circuit.gates += ladderRotations(terms.filter { $0.qubits.count >= 3 }, ladders: ladders)

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

    /// exp(iθ_S Z_S) for supports of weight ≥ 3 by CNOT ladders ending in an rzz.
    ///
    /// `path` = (p₁, …, p_m) means cx p₁,p₂; …; cx p_{m−1},p_m are applied, so qubit p_m holds
    /// the parity of the path's bits. Support S needs the path (s₁, …, s_{w−1}): the CNOTs beyond
    /// the common prefix are undone (last first), the missing ones applied, then rzz on
    /// (s_{w−1}, s_w) — s_w is not on the path, so it still holds its own bit.
    static func ladderRotations(_ terms: [PhaseTerm], ladders: LadderSynthesis) -> [HardwareGate] {
        let ordered = ladders == .shared ? terms.sorted { $0.qubits.lexicographicallyPrecedes($1.qubits) } : terms
        var gates: [HardwareGate] = []
        var path: [Int] = []
        func truncate(to length: Int) {
            while path.count > length {
                if path.count >= 2 { gates.append(.cx(control: path[path.count - 2], target: path[path.count - 1])) }
                path.removeLast()
            }
        }
        for term in ordered {
            let needed = term.qubits.dropLast()
            var common = 0
            while common < min(path.count, needed.count) && path[common] == needed[needed.startIndex + common] { common += 1 }
            truncate(to: ladders == .shared ? common : 0)
            for q in needed.dropFirst(path.count) {
                if let last = path.last { gates.append(.cx(control: last, target: q)) }
                path.append(q)
            }
            gates.append(.rzz(angle: -2 * term.theta, path.last!, term.qubits.last!))
            if ladders == .independent { truncate(to: 0) }
        }
        truncate(to: 0)
        return gates
    }
}
