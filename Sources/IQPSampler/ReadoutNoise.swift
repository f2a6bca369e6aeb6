import IQPCore

/// Classical readout noise applied to every shot after it is drawn: qubit q that measured 0
/// reads 1 with probability `p01[q]`, one that measured 1 reads 0 with probability `p10[q]`,
/// independently. One uniform number per qubit per shot is drawn from the shot's stream (after
/// the number that chose the outcome), so results do not depend on thread count.
public struct ReadoutNoise: Sendable, Equatable {
    /// p(0→1) per qubit (length n), or one value for every qubit (length 1).
    public let p01: [Double]
    /// p(1→0) per qubit (length n), or one value for every qubit (length 1).
    public let p10: [Double]

    /// No noise.
    public static let none = ReadoutNoise(uncheckedP01: [0], p10: [0])

    /// The same flip probabilities on every qubit.
    public init(p01: Double, p10: Double) throws {
        try self.init(p01: [p01], p10: [p10])
    }

    /// Per-qubit flip probabilities (or one value each for every qubit); each in [0, 1].
    public init(p01: [Double], p10: [Double]) throws {
        for (name, values) in [("p01", p01), ("p10", p10)] {
            guard !values.isEmpty else { throw IQPError("needs at least one probability", field: "noise.\(name)") }
            if let i = values.firstIndex(where: { !($0 >= 0 && $0 <= 1) }) {
                throw IQPError("probability \(values[i]) is not in [0, 1]", field: "noise.\(name)[\(i)]")
            }
        }
        self.p01 = p01
        self.p10 = p10
    }

    private init(uncheckedP01: [Double], p10: [Double]) {
        self.p01 = uncheckedP01
        self.p10 = p10
    }

    /// True when no bit can ever flip.
    public var isNone: Bool { p01.allSatisfy { $0 == 0 } && p10.allSatisfy { $0 == 0 } }

    /// Checks that per-qubit lists have one value per qubit.
    public func validate(nQubits: Int) throws {
        for (name, values) in [("p01", p01), ("p10", p10)] where values.count != 1 && values.count != nQubits {
            throw IQPError("has \(values.count) values; give 1 (every qubit) or \(nQubits) (one per qubit)",
                           field: "noise.\(name)")
        }
    }

    /// Applies the noise to one packed row (`words`, `nQubits` bits) drawing from `stream`.
    func apply(to words: UnsafeMutablePointer<UInt64>, nQubits: Int, stream: inout KeyedStream) {
        let uniform01 = p01.count == 1, uniform10 = p10.count == 1
        for q in 0..<nQubits {
            let u = stream.nextUniform()
            let w = q >> 6
            let bit = UInt64(1) << UInt64(q & 63)
            let isOne = words[w] & bit != 0
            let p = isOne ? (uniform10 ? p10[0] : p10[q]) : (uniform01 ? p01[0] : p01[q])
            if u < p { words[w] ^= bit }
        }
    }
}
