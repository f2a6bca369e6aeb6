/// Gates from the data's covariance, after IQPopt's `gates_from_covariance(data, n_gates,
/// return_local)`: the `pairCount` qubit pairs (i, j) whose spin covariance |C_ij| (ddof = 1,
/// the covariance of 2x − 1) is largest, one weight-2 gate each, in order of decreasing |C_ij|;
/// with `local`, the n weight-1 gates [[0]], [[1]], … come first.
///
/// Differences from IQPopt, on purpose:
/// - IQPopt's duplicate test compares a tuple with lists and never fires, so its list holds
///   every pair twice in a row ([[i, j]], then [[j, i]]): `n_gates` = 2k gives k distinct pairs.
///   Here the pairs are distinct and `pairCount` counts them; each is written [i, j], i < j.
/// - Pairs with equal |C_ij| come in lexicographic order (numpy's default `argsort` is not
///   stable, so IQPopt's order of exact ties is unspecified).
/// - Asking for more pairs than n(n−1)/2 is an error (IQPopt returns fewer).
extension GateBuilders {
    public static func covariance(data: BitMatrix, pairCount: Int, local: Bool = false) throws -> [[[Int]]] {
        let n = data.columns
        let available = n * (n - 1) / 2
        guard pairCount >= 1 else { throw IQPError("needs at least 1 pair, got \(pairCount)", field: "gates") }
        guard pairCount <= available else {
            throw IQPError("asks for \(pairCount) pairs, but \(n) qubits have \(available)", field: "gates")
        }
        guard data.rows >= 2 else { throw IQPError("covariance gates need at least 2 data rows", field: "gates") }
        let c = Initialization.spinCovariance(data)
        var pairs: [(i: Int, j: Int, size: Double)] = []
        pairs.reserveCapacity(available)
        for i in 0..<n { for j in (i + 1)..<max(i + 1, n) { pairs.append((i, j, abs(c[i * n + j]))) } }
        // Decreasing |C|; ties in lexicographic (i, j) order (the order `pairs` was built in).
        let order = pairs.indices.sorted { a, b in
            pairs[a].size != pairs[b].size ? pairs[a].size > pairs[b].size : a < b
        }
        let chosen = order.prefix(pairCount).map { [[pairs[$0].i, pairs[$0].j]] }
        return (local ? (0..<n).map { [[$0]] } : []) + chosen
    }
}
