import Foundation
import IQPCore

/// The order of the bits of a shot in the service's outputs.
///
/// `wires` (the default): qubit 0 first — character i of a bitstring is qubit i, as the columns
/// of the CSV data files, the qubit indices of the model's gates, and PennyLane/IQPopt's
/// bitstrings. `qiskit`: qubit 0 last, as Qiskit's `BitArray.get_counts()` and
/// `get_bitstrings()` write them (little-endian bit order).
public enum BitOrder: String, Sendable, Codable, CaseIterable {
    case wires, qiskit
}

/// How shots travel in results.
///
/// **Packed**: each shot is ⌈n/8⌉ bytes, the shots concatenated in order and base64-encoded
/// (RFC 4648, with padding). In `wires` order qubit i is bit (i mod 8) of byte ⌊i/8⌋ (least
/// significant bit first: numpy's `unpackbits(…, bitorder="little")`); in `qiskit` order the
/// bytes are those of Qiskit's `BitArray`: the shot's integer Σ_i 2^i·bit_i in big-endian bytes
/// (qubit 0 is the lowest bit of the last byte). **Text**: one "0"/"1" string per shot in the
/// bit order. **Counts**: distinct bitstrings (or integers Σ_i 2^i·bit_i, the same in both
/// orders) with how often they occur. **CSV**: one shot per line, the columns in the bit order.
public enum ShotEncoding {
    public static func bytesPerShot(nQubits: Int) -> Int { (nQubits + 7) / 8 }

    /// Packed bytes of every shot, base64.
    public static func packedBase64(_ shots: BitMatrix, order: BitOrder = .wires) -> String {
        let k = bytesPerShot(nQubits: shots.columns)
        var bytes = [UInt8](repeating: 0, count: shots.rows * k)
        for r in 0..<shots.rows {
            for b in 0..<k {
                let word = shots.words[r * shots.wordsPerRow + b / 8]
                let target = order == .wires ? b : k - 1 - b
                bytes[r * k + target] = UInt8(truncatingIfNeeded: word >> UInt64(8 * (b % 8)))
            }
        }
        return Data(bytes).base64EncodedString()
    }

    /// Reads packed base64 shots back; nil if the text is not base64 of exactly rows·⌈n/8⌉ bytes
    /// with zero padding bits.
    public static func decodePacked(_ base64: String, rows: Int, nQubits: Int, order: BitOrder = .wires) -> BitMatrix? {
        guard rows >= 0, nQubits >= 1, let data = Data(base64Encoded: base64) else { return nil }
        let k = bytesPerShot(nQubits: nQubits)
        guard data.count == rows * k else { return nil }
        var m = BitMatrix(rows: rows, columns: nQubits)
        let bytes = [UInt8](data)
        for r in 0..<rows {
            for b in 0..<k {
                let source = order == .wires ? b : k - 1 - b
                m.words[r * m.wordsPerRow + b / 8] |= UInt64(bytes[r * k + source]) << UInt64(8 * (b % 8))
            }
            if m.words[(r + 1) * m.wordsPerRow - 1] & ~m.lastWordMask != 0 { return nil }
        }
        return m
    }

    /// Shot r as "0"/"1" characters in `order`.
    public static func text(_ shots: BitMatrix, row r: Int, order: BitOrder = .wires) -> String {
        let n = shots.columns
        return String(decoding: (0..<n).map { c in
            shots[r, order == .wires ? c : n - 1 - c] ? UInt8(ascii: "1") : UInt8(ascii: "0")
        }, as: UTF8.self)
    }

    /// Shot r as the decimal digits of Σ_i 2^i·bit_i (any number of bits).
    public static func integer(_ shots: BitMatrix, row r: Int) -> String {
        var words = Array(shots.row(r))
        if words.count == 1 { return String(words[0]) }
        // Repeated division by 10^19 of the little-endian words.
        let chunk: UInt64 = 10_000_000_000_000_000_000
        var groups: [UInt64] = []
        while words.contains(where: { $0 != 0 }) {
            var remainder: UInt64 = 0
            for w in words.indices.reversed() {
                let (q, rem) = chunk.dividingFullWidth((remainder, words[w]))
                words[w] = q
                remainder = rem
            }
            groups.append(remainder)
        }
        guard let top = groups.last else { return "0" }
        return String(top) + groups.dropLast().reversed().map {
            let digits = String($0)
            return String(repeating: "0", count: 19 - digits.count) + digits
        }.joined()
    }

    /// Distinct shots with their counts: keys are bitstrings in `order`, or with `integerKeys`
    /// the decimal integers of `integer(_:row:)`.
    public static func counts(_ shots: BitMatrix, order: BitOrder = .wires, integerKeys: Bool = false) -> [String: Int] {
        var counts: [String: Int] = [:]
        for r in 0..<shots.rows {
            counts[integerKeys ? integer(shots, row: r) : text(shots, row: r, order: order), default: 0] += 1
        }
        return counts
    }

    /// CSV rows of 0/1 (the format of `iqp sample --out` in `wires` order; the project's one CSV
    /// writer, `DataFile.encodeCSV`).
    public static func csv(_ shots: BitMatrix, order: BitOrder = .wires) -> String {
        String(decoding: DataFile.encodeCSV(order == .wires ? shots : shots.reversingColumns()), as: UTF8.self)
    }
}
