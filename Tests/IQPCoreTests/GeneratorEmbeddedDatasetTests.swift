import XCTest
@testable import IQPCore

final class GeneratorEmbeddedDatasetTests: XCTestCase {
    func testIsingLattice4x4() throws {
        let (train, test) = EmbeddedDataset.isingLattice4x4(seed: 2025)
        XCTAssertEqual(train.rows, 5000)
        XCTAssertEqual(test.rows, 5000)
        XCTAssertEqual(train.columns, 16)
        XCTAssertEqual(test.columns, 16)
        XCTAssertEqual(EmbeddedDataset.isingLattice4x4(seed: 2025).train, train)

        // Ferromagnetic bonds at T = 3: every lattice bond is positively correlated, and with
        // no bias the spin-flip symmetry makes every bit mean 1/2. (The published ising-4x4
        // train file: bond correlations 0.38 … 0.69, mean 0.54; mean bit 0.496.)
        var all = train
        all.append(contentsOf: test)
        let n = Double(all.rows)
        let bonds = try Graph.lattice(rows: 4, columns: 4).edges
        var correlations: [Double] = []
        for (i, j) in bonds {
            var sum = 0.0
            for r in 0..<all.rows { sum += all[r, i] == all[r, j] ? 1 : -1 }
            correlations.append(sum / n)
        }
        XCTAssertGreaterThan(correlations.min()!, 0.1)
        let meanBit = all.columnMeans().reduce(0, +) / 16
        XCTAssertEqual(meanBit, 0.5, accuracy: 0.04)
    }
}
