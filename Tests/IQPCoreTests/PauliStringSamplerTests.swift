import XCTest
@testable import IQPCore
import IQPTestSupport

/// The random Pauli strings of the MMD² loss (docs/math.md §3): drawn by geometric skipping,
/// they must have independent Bernoulli(p(σ)) bits on the wires, which is exactly what makes
/// E_a[(−1)^{a·d}] the Gaussian kernel exp(−|d|/(2σ²)).
final class PauliStringSamplerTests: XCTestCase {
    func testSampledStringsReproduceTheKernel() {
        let n = 12, count = 40_000
        let masks = [0, 0b1, 0b1000_0000_0001, 0b0110_1001_0110, 0b1111_1111_1111, 0b0000_1110_0000]
        for (sigma, wires) in [(0.9, nil), (1.6, nil), (1.2, [0, 2, 3, 5, 11])] as [(Double, [Int]?)] {
            let sampler = PauliStringSampler(nQubits: n, sigma: sigma, wires: wires)
            let strings = Reference.outcomes(sampler.strings(seed: 4, step: 1, sigmaIndex: 0, range: 0..<count))
            let onWires = (wires ?? Array(0..<n)).reduce(0) { $0 | (1 << $1) }
            for d in masks {
                let mean = strings.reduce(0.0) { $0 + (($1 & d).nonzeroBitCount & 1 == 0 ? 1 : -1) } / Double(count)
                let kernel = exp(-Double((d & onWires).nonzeroBitCount) / (2 * sigma * sigma))
                let se = ((1 - kernel * kernel) / Double(count)).squareRoot()
                XCTAssertEqual(mean, kernel, accuracy: 4 * se + 1e-15, "σ \(sigma), wires \(String(describing: wires)), d = \(d)")
            }
        }
    }
}
