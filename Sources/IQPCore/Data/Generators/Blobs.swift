import Foundation

/// The "blobs" data set: a few fixed peak patterns, each sample one of them chosen uniformly
/// with every bit flipped independently with probability `noise` (the reference draws a
/// Binomial(n, noise) number of distinct bits to flip, which is the same distribution).
///
/// Row i uses the keyed stream (seed, blob row, i): first the peak index, then one uniform
/// per bit.
public struct Blobs: Sendable {
    /// The peak patterns, one per row.
    public let patterns: BitMatrix
    public let noise: Double

    public init(patterns: BitMatrix, noise: Double = 0.05) throws {
        guard patterns.rows >= 1 && patterns.columns >= 1 else {
            throw IQPError("blobs need at least one peak pattern with at least one bit", field: "peaks")
        }
        guard noise >= 0 && noise <= 1 else {
            throw IQPError("noise must be a probability in [0, 1], got \(noise)", field: "noise")
        }
        self.patterns = patterns
        self.noise = noise
    }

    /// `count` distinct uniformly random patterns of `bits` bits (rejecting repeats), from the
    /// keyed stream (seed, blob patterns). Default: 8 patterns of a 4×4 grid.
    public static func randomPatterns(count: Int = 8, bits: Int = 16, seed: UInt64) throws -> BitMatrix {
        guard bits >= 1 else { throw IQPError("patterns need at least 1 bit, got \(bits)", field: "bits") }
        guard count >= 1 && (bits >= 62 || count <= 1 << bits) else {
            throw IQPError("cannot draw \(count) distinct patterns of \(bits) bits", field: "count")
        }
        var stream = DataGenerationStream.blobPatterns.stream(seed: seed)
        var m = BitMatrix(rows: count, columns: bits)
        var seen = Set<[UInt64]>()
        var r = 0
        while r < count {
            var words = (0..<m.wordsPerRow).map { _ in stream.next() }
            words[words.count - 1] &= m.lastWordMask
            guard seen.insert(words).inserted else { continue }
            m.setRow(r, words: words)
            r += 1
        }
        return m
    }

    /// Reads peak patterns from a CSV file, one pattern per line, comma-separated. The file is
    /// either all spins (−1 and 1; spin s is bit (1 + s)/2, as in the published
    /// `16_spins_8_blobs_peak_spins.csv`) or all bits (0 and 1). Blank lines are skipped.
    public static func readPeaks(path: String) throws -> BitMatrix {
        guard let data = FileManager.default.contents(atPath: path),
              let text = String(data: data, encoding: .utf8) else {
            throw IQPError("cannot read the file", file: path)
        }
        var rows: [[UInt8]] = []
        var width: Int?
        var spinForm: Bool?  // decided by the first -1 or 0 seen
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty { continue }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            if let width, fields.count != width {
                throw IQPError("has \(fields.count) fields, earlier lines have \(width)", file: path, line: index + 1)
            }
            width = fields.count
            var row: [UInt8] = []
            for (f, raw) in fields.enumerated() {
                let symbol = raw.trimmingCharacters(in: .whitespaces)
                let field = "column \(f + 1)"
                switch symbol {
                case "1", "+1": row.append(1)
                case "-1", "0":
                    let isSpin = symbol == "-1"
                    if let spinForm, spinForm != isSpin {
                        throw IQPError("symbol '\(symbol)' mixes spins (-1/1) with bits (0/1)",
                                       file: path, line: index + 1, field: field)
                    }
                    spinForm = isSpin
                    row.append(0)
                default:
                    throw IQPError("symbol '\(symbol)' is not -1, 0 or 1", file: path, line: index + 1, field: field)
                }
            }
            rows.append(row)
        }
        guard let width, !rows.isEmpty else { throw IQPError("contains no patterns", file: path) }
        return BitMatrix(rows: rows, columns: width)
    }

    /// `count` noisy samples.
    public func sample(count: Int, seed: UInt64) -> BitMatrix {
        precondition(count >= 0)
        let bits = patterns.columns
        var m = BitMatrix(rows: count, columns: bits)
        for r in 0..<count {
            var stream = DataGenerationStream.blobRow.stream(seed: seed, index: r)
            let peak = stream.nextInt(below: patterns.rows)
            m.setRow(r, words: patterns.row(peak))
            for i in 0..<bits where stream.nextUniform() < noise { m[r, i].toggle() }
        }
        return m
    }
}
