import IQPBench
import IQPCore
import XCTest

/// The step-time model of docs/distributed.md, "Prediction", against hand-computed values.
final class ScalingModelTests: XCTestCase {
    let fabric = ScalingModel.Fabric(name: "test", alpha: 2e-6, beta: 1e-10)
    /// p = 1000, K = 2, B = 50: the data term is 800 B, the gradient 8·1004 B, θ 8·1001 B.
    let model = ScalingModel(parameters: 1000, sigmas: 2, strings: 50, computeSeconds: 0.8, adamSecondsPerParameter: 1e-8)

    func testCollectiveFormulas() {
        XCTAssertEqual(ScalingModel.treeSeconds(bytes: 1e6, ranks: 1, fabric: fabric), 0)
        XCTAssertEqual(ScalingModel.halvingSeconds(bytes: 1e6, ranks: 1, fabric: fabric), 0)
        // N = 4: L = 2, f = 3/4. N = 5: L = 3, f = 4/5.
        XCTAssertEqual(ScalingModel.treeSeconds(bytes: 1e6, ranks: 4, fabric: fabric), 2 * 2 * 2e-6 + 2 * 0.75 * 1e-4, accuracy: 1e-18)
        XCTAssertEqual(ScalingModel.halvingSeconds(bytes: 1e6, ranks: 5, fabric: fabric), 3 * 2e-6 + 0.8 * 1e-4, accuracy: 1e-18)
    }

    func testStepTimeAndEfficiency() {
        XCTAssertEqual(model.stepSeconds(ranks: 1, optimizer: .root, fabric: fabric), 0.8 + 1e-5, accuracy: 1e-15)
        XCTAssertEqual(model.stepSeconds(ranks: 1, optimizer: .sharded, fabric: fabric), 0.8 + 1e-5, accuracy: 1e-15)
        // N = 4, root: compute 0.2, collectives 3 trees, Adam 1000·1e-8 on root.
        let tree = { (bytes: Double) in 8e-6 + 1.5 * bytes * 1e-10 }
        let rootStep = 0.2 + tree(800) + tree(8032) + tree(8008) + 1e-5
        XCTAssertEqual(model.stepSeconds(ranks: 4, optimizer: .root, fabric: fabric), rootStep, accuracy: 1e-15)
        // Sharded: the data-term tree, two halving collectives, Adam on 250 parameters.
        let halving = { (bytes: Double) in 4e-6 + 0.75 * bytes * 1e-10 }
        let shardedStep = 0.2 + tree(800) + halving(8032) + halving(8008) + 2.5e-6
        XCTAssertEqual(model.stepSeconds(ranks: 4, optimizer: .sharded, fabric: fabric), shardedStep, accuracy: 1e-15)
        XCTAssertEqual(model.efficiency(ranks: 4, optimizer: .root, fabric: fabric), (0.8 + 1e-5) / (4 * rootStep), accuracy: 1e-12)
        XCTAssertLessThan(shardedStep, rootStep)
    }

    func testRootStateBytes() {
        XCTAssertEqual(model.rootOptimizerBytes(ranks: 3, optimizer: .root), 16_000)
        XCTAssertEqual(model.rootOptimizerBytes(ranks: 3, optimizer: .sharded), 16 * 334)
    }
}
