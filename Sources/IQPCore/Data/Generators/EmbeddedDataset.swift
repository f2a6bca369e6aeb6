/// Data sets the trainer can make on the spot when the user gives no data file.
public enum EmbeddedDataset {
    /// The settings of the study's 4×4 Ising set (datasets/ising-4x4/settings.yaml): a periodic
    /// 4×4 lattice, couplings J_ij = A_ij·U(0, 2), no bias, T = 3, 8 chains, 50,000 burn-in
    /// sweeps, one kept sample every 14 sweeps.
    public static let isingLattice4x4Rows = 4
    public static let isingLattice4x4Columns = 4
    public static let isingLattice4x4CouplingScale = 2.0
    public static let isingLattice4x4Temperature = 3.0
    public static let isingLattice4x4BurnInSweeps = 50_000
    public static let isingLattice4x4ThinningSweeps = 14
    public static let isingLattice4x4Chains = 8
    public static let isingLattice4x4TrainCount = 5_000
    public static let isingLattice4x4TestCount = 5_000

    /// The embedded default data: a 4×4 periodic-lattice Ising model with those settings (its
    /// couplings drawn from `seed`), 5,000 training and 5,000 test rows of 16 bits, taken
    /// from one shuffled Metropolis run (`MetropolisSampler`). A fresh draw of the study's
    /// model family, not the published file: the published couplings are not recoverable.
    public static func isingLattice4x4(seed: UInt64) -> (train: BitMatrix, test: BitMatrix) {
        // The settings are constants known to be valid, so these cannot throw.
        let graph = try! Graph.lattice(rows: isingLattice4x4Rows, columns: isingLattice4x4Columns, periodic: true)
        let model = try! IsingModel.random(graph: graph, couplingScale: isingLattice4x4CouplingScale,
                                           bias: .constant(0), temperature: isingLattice4x4Temperature, seed: seed)
        let sampler = try! MetropolisSampler(burnInSweeps: isingLattice4x4BurnInSweeps,
                                             thinningSweeps: isingLattice4x4ThinningSweeps,
                                             chains: isingLattice4x4Chains)
        let all = sampler.sample(model, count: isingLattice4x4TrainCount + isingLattice4x4TestCount, seed: seed)
        return (all.rows(0..<isingLattice4x4TrainCount),
                all.rows(isingLattice4x4TrainCount..<all.rows))
    }
}
