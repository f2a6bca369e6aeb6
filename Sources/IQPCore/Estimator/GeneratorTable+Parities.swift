/// Parities g_j·x mod 2 of many bitstrings x for the dense path (docs/math.md §2:
/// S = (A Gᵀ) mod 2, ζ = 1 − 2((Z Gᵀ) mod 2)).
extension GeneratorTable {
    /// Unpacks the rows of `m` into one byte (0 or 1) per bit, row-major rows×nQubits.
    public static func unpack(_ m: BitMatrix) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: m.rows * m.columns)
        let n = m.columns, wpr = m.wordsPerRow
        m.words.withUnsafeBufferPointer { words in
            out.withUnsafeMutableBufferPointer { bytes in
                parallelFor(m.rows, minimumChunk: 256) { rows in
                    for r in rows {
                        for w in 0..<wpr {
                            var x = words[r * wpr + w]
                            while x != 0 {
                                let b = x.trailingZeroBitCount
                                bytes[r * n + w * 64 + b] = 1
                                x &= x - 1
                            }
                        }
                    }
                }
            }
        }
        return out
    }

    /// Fills out[r·ld + (j − generators.lowerBound)] for rows r and generators j with
    /// `odd` when g_j·x_r is odd and `even` otherwise (x given unpacked, rows×nQubits).
    public func fillParities(bits: UnsafeBufferPointer<UInt8>, rows: Int, generators: Range<Int>,
                             odd: Double, even: Double,
                             into out: UnsafeMutablePointer<Double>, ld: Int) {
        let n = nQubits
        offsets.withUnsafeBufferPointer { off in
            qubits.withUnsafeBufferPointer { q in
                parallelFor(rows, minimumChunk: max(1, 65536 / max(1, generators.count))) { rowRange in
                    for r in rowRange {
                        let x = bits.baseAddress! + r * n
                        let o = out + r * ld - generators.lowerBound
                        for j in generators {
                            var p: UInt8 = 0
                            for t in Int(off[j])..<Int(off[j + 1]) { p ^= x[Int(q[t])] }
                            o[j] = p == 0 ? even : odd
                        }
                    }
                }
            }
        }
    }
}
