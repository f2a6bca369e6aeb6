#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The classical "bitflip" model with the same parameters (docs/math.md §9): each generator flips
/// the bits of g_j with probability sin²θ'_j, so exactly
///
///     <Z_a> = Π_{j: g_j·a odd} cos(2θ'_j),
///     ∂<Z_a>/∂θ'_j = −2 sin(2θ'_j) Π_{k ≠ j, g_k·a odd} cos(2θ'_k)   (g_j·a odd; else 0).
///
/// With the spin-symmetric start (all zeros or all ones with probability ½ each, as the
/// sampler draws it) the flips act the same way on both, and <Z_a> gains the factor
/// ½(1 + (−1)^{|a|}): the product above for even |a|, 0 for odd |a|.
public struct BitflipExpectation: Sendable {
    public let table: GeneratorTable

    public init(circuit: Circuit) { table = circuit.table }

    /// Generators that overlap string `bits` (unpacked, one row) in an odd number of qubits.
    func oddGenerators(_ bits: UnsafePointer<UInt8>) -> [Int] {
        var out: [Int] = []
        for j in 0..<table.count {
            var p: UInt8 = 0
            for t in Int(table.offsets[j])..<Int(table.offsets[j + 1]) { p ^= bits[Int(table.qubits[t])] }
            if p != 0 { out.append(j) }
        }
        return out
    }

    /// Exact <Z_a> for each string.
    public func expectations(thetaPrime: [Double], strings: BitMatrix, spinSym: Bool = false) -> [Double] {
        let bits = GeneratorTable.unpack(strings), n = strings.columns
        return bits.withUnsafeBufferPointer { b in
            (0..<strings.rows).map { a in
                if spinSym && strings.popcount(row: a) % 2 == 1 { return 0 }
                return oddGenerators(b.baseAddress! + a * n).reduce(1.0) { $0 * cos(2 * thetaPrime[$1]) }
            }
        }
    }

    /// Adds Σ_a weight[a]·∂<Z_a>/∂θ'_j to `gradient` and returns the exact <Z_a>.
    public func expectationsAndGradient(thetaPrime: [Double], strings: BitMatrix, spinSym: Bool = false,
                                        weight: (Int, Double) -> Double,
                                        gradient: inout [Double]) -> [Double] {
        let bits = GeneratorTable.unpack(strings), n = strings.columns
        var values = [Double](repeating: 0, count: strings.rows)
        bits.withUnsafeBufferPointer { b in
            for a in 0..<strings.rows {
                if spinSym && strings.popcount(row: a) % 2 == 1 { continue }   // <Z_a> = 0, no gradient
                let odd = oddGenerators(b.baseAddress! + a * n)
                let c = odd.map { cos(2 * thetaPrime[$0]) }
                // prefix[k] = Π_{l<k} c_l, suffix product accumulated backwards.
                var prefix = [Double](repeating: 1, count: c.count + 1)
                for k in 0..<c.count { prefix[k + 1] = prefix[k] * c[k] }
                let e = prefix[c.count]
                values[a] = e
                let w = weight(a, e)
                var suffix = 1.0
                for k in stride(from: c.count - 1, through: 0, by: -1) {
                    let j = odd[k]
                    gradient[j] += w * (-2 * sin(2 * thetaPrime[j])) * prefix[k] * suffix
                    suffix *= c[k]
                }
            }
        }
        return values
    }
}
