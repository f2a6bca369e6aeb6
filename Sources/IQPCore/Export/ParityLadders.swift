/// How CNOT ladders are shared between supports (see `ParityLadders`).
public enum LadderSynthesis: String, CaseIterable, Sendable {
    /// Supports in lexicographic order keep the common prefix of their ladders: the CNOTs
    /// form a depth-first walk of the trie of supports, each trie edge applied once and undone
    /// once.
    case shared
    /// Every support gets its own ladder, undone right after its rotation.
    case independent
}

/// exp(iθ_S Z_S) for supports S = (s₁ < … < s_w) of weight ≥ 2 by CNOT ladders.
///
/// A *path* (p₁, …, p_m) means the CNOTs cx p₁,p₂; cx p₂,p₃; …; cx p_{m−1},p_m are applied,
/// so qubit p_m holds the parity p₁ ⊕ … ⊕ p_m of the path's input bits and the other bits
/// are unchanged or hold parities of path prefixes. Basis rzz: S needs the path
/// (s₁, …, s_{w−1}), then rzz(−2θ_S) p_m, s_w — s_w is off the path, so it still holds its own
/// bit and the rotation sees the parity of all of S. Basis cx: S needs the path S itself,
/// then rz(−2θ_S) s_w. Going from one path to the next undoes the CNOTs beyond the common
/// prefix (last first) and applies the missing ones.
///
/// Shared ladders on all C(16, w), w ≤ 4 supports (the ising-4x4 model): 1,120 CNOTs
/// (basis rzz) against 8,400 for independent ladders; counts in docs/hardware.md.
public enum ParityLadders {
    public static func rotations(_ terms: [PhaseTerm], basis: TwoQubitBasis, ladders: LadderSynthesis) -> [HardwareGate] {
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
            let needed = basis == .rzz ? term.qubits.dropLast() : term.qubits[...]
            var common = 0
            while common < min(path.count, needed.count) && path[common] == needed[needed.startIndex + common] { common += 1 }
            truncate(to: ladders == .shared ? common : 0)
            for q in needed.dropFirst(path.count) {
                if let last = path.last { gates.append(.cx(control: last, target: q)) }
                path.append(q)
            }
            switch basis {
            case .rzz: gates.append(.rzz(angle: -2 * term.theta, path.last!, term.qubits.last!))
            case .cx: gates.append(.rz(angle: -2 * term.theta, qubit: path.last!))
            }
            if ladders == .independent { truncate(to: 0) }
        }
        truncate(to: 0)
        return gates
    }
}
