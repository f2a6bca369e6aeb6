import Foundation
import IQPCore

/// How shots travel in results.
///
/// **Packed** (default): each shot is ⌈n/8⌉ bytes, qubit i in bit (i mod 8) of byte ⌊i/8⌋
/// (least significant bit first); the shots are concatenated in order and base64-encoded
/// (RFC 4648, with padding). **Text**: one string per shot, character i is qubit i ("0"/"1").
/// **Counts**: distinct text bitstrings with how often they occur.
public enum ShotEncoding {
    public static func bytesPerShot(nQubits: Int) -> Int { (nQubits + 7) / 8 }

    /// Packed bytes of every shot, base64.
    public static func packedBase64(_ shots: BitMatrix) -> String {
        let k = bytesPerShot(nQubits: shots.columns)
        var bytes = [UInt8](repeating: 0, count: shots.rows * k)
        for r in 0..<shots.rows {
            for b in 0..<k {
                let word = shots.words[r * shots.wordsPerRow + b / 8]
                bytes[r * k + b] = UInt8(truncatingIfNeeded: word >> UInt64(8 * (b % 8)))
            }
        }
        return Data(bytes).base64EncodedString()
    }

    /// Reads packed base64 shots back; nil if the text is not base64 of exactly rows·⌈n/8⌉ bytes
    /// with zero padding bits.
    public static func decodePacked(_ base64: String, rows: Int, nQubits: Int) -> BitMatrix? {
        guard rows >= 0, nQubits >= 1, let data = Data(base64Encoded: base64) else { return nil }
        let k = bytesPerShot(nQubits: nQubits)
        guard data.count == rows * k else { return nil }
        var m = BitMatrix(rows: rows, columns: nQubits)
        let bytes = [UInt8](data)
        for r in 0..<rows {
            for b in 0..<k {
                m.words[r * m.wordsPerRow + b / 8] |= UInt64(bytes[r * k + b]) << UInt64(8 * (b % 8))
            }
            if m.words[(r + 1) * m.wordsPerRow - 1] & ~m.lastWordMask != 0 { return nil }
        }
        return m
    }

    /// Shot r as "0"/"1" characters, qubit 0 first.
    public static func text(_ shots: BitMatrix, row r: Int) -> String {
        String(decoding: (0..<shots.columns).map { shots[r, $0] ? UInt8(ascii: "1") : UInt8(ascii: "0") }, as: UTF8.self)
    }

    /// Distinct shots with their counts, most frequent first (ties by bitstring).
    public static func counts(_ shots: BitMatrix) -> [(String, Int)] {
        var counts: [String: Int] = [:]
        for r in 0..<shots.rows { counts[text(shots, row: r), default: 0] += 1 }
        return counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
    }

    /// CSV rows of 0/1 (the format of `iqp sample --out`).
    public static func csv(_ shots: BitMatrix) -> String {
        var out = ""
        out.reserveCapacity(shots.rows * (2 * shots.columns))
        for r in 0..<shots.rows {
            for c in 0..<shots.columns {
                if c > 0 { out += "," }
                out += shots[r, c] ? "1" : "0"
            }
            out += "\n"
        }
        return out
    }
}
