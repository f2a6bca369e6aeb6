/// An order of commuting two-qubit gates that a device can run in few layers: a greedy
/// (first-fit) edge colouring of the interaction graph. Gate (a, b) gets the smallest layer
/// in which neither a nor b is busy; the gates are returned layer by layer, and within a layer
/// in input order. A graph of maximum degree Δ needs at least Δ layers and gets at most
/// 2Δ − 1 this way (each pair conflicts with at most 2Δ − 2 others); measured in
/// docs/hardware.md: Δ = 87 layers for the study's scale-free graph, 1,023 for K₁₀₀₀ in
/// lexicographic order (optimum 999).
public enum TwoQubitLayering {
    /// The permutation of `pairs` (indices into it), grouped by layer.
    public static func order(_ pairs: [(Int, Int)], nQubits: Int) -> [Int] {
        layers(pairs, nQubits: nQubits).flatMap { $0 }
    }

    /// The gates (indices into `pairs`) of each layer.
    public static func layers(_ pairs: [(Int, Int)], nQubits: Int) -> [[Int]] {
        // busy[q] is a bit set of the layers in which qubit q already has a gate.
        var busy = [[UInt64]](repeating: [], count: nQubits)
        var layers: [[Int]] = []
        for (index, (a, b)) in pairs.enumerated() {
            var word = 0
            var layer = 0
            while true {
                let free = ~(word < busy[a].count ? busy[a][word] : 0) & ~(word < busy[b].count ? busy[b][word] : 0)
                if free != 0 { layer = 64 * word + free.trailingZeroBitCount; break }
                word += 1
            }
            for q in [a, b] {
                while busy[q].count <= word { busy[q].append(0) }
                busy[q][word] |= 1 << UInt64(layer % 64)
            }
            while layers.count <= layer { layers.append([]) }
            layers[layer].append(index)
        }
        return layers
    }
}
