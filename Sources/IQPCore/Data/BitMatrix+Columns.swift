extension BitMatrix {
    /// The first `count` columns of every row (the marginal data of qubits 0..<count).
    public func leadingColumns(_ count: Int) -> BitMatrix {
        precondition(count >= 0 && count <= columns)
        var out = BitMatrix(rows: rows, columns: count)
        let keep = out.wordsPerRow
        for r in 0..<rows { out.setRow(r, words: words[(r * wordsPerRow)..<(r * wordsPerRow + keep)]) }
        return out
    }
}

extension BitMatrix {
    /// Every row with its columns in reverse order (column c becomes column columns − 1 − c):
    /// Qiskit's bit order, qubit 0 last.
    public func reversingColumns() -> BitMatrix {
        var out = BitMatrix(rows: rows, columns: columns)
        for r in 0..<rows {
            for c in 0..<columns where self[r, c] { out[r, columns - 1 - c] = true }
        }
        return out
    }
}

extension BitMatrix {
    /// Every row followed by `count` zero columns (the ancilla qubits' zero bits, `--ancillas`).
    public func appendingZeroColumns(_ count: Int) -> BitMatrix {
        precondition(count >= 0)
        guard count > 0 else { return self }
        var out = BitMatrix(rows: rows, columns: columns + count)
        for r in 0..<rows {
            let base = r * out.wordsPerRow
            for (i, w) in row(r).enumerated() { out.words[base + i] = w }
        }
        return out
    }
}
