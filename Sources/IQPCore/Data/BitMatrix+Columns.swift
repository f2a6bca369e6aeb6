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
