import Foundation
import XCTest
@testable import IQPCore

/// IQPopt's convergence rule on constructed loss sequences (interval I = 4: checked from the
/// 10th value on; m₁, s₁ over the last 4 values, m₂ over the 4 before them).
final class ConvergenceRuleTests: XCTestCase {
    let rule = ConvergenceRule(interval: 4)

    func testNotCheckedBeforeTwoIntervalsAndTwoValues() {
        // IQPopt checks at step index i > 2I, i.e. with at least 2I + 2 = 10 values.
        XCTAssertNil(rule.stopReason([Double](repeating: 1, count: 9)))
        XCTAssertEqual(rule.stopReason([Double](repeating: 1, count: 10)), .plateau)
    }

    func testFallingLossGoesOn() {
        XCTAssertNil(rule.stopReason((0..<12).map { 12 - Double($0) }))
        // Falling with noise: m₂ − m₁ = 4 > s₁/(2·2).
        XCTAssertNil(rule.stopReason([9, 9, 9, 9, 6, 5, 6, 5, 2, 1, 2, 1]))
    }

    func testPlateauWithNoiseStops() {
        XCTAssertEqual(rule.stopReason([5, 5, 1, 2, 1, 2, 2, 1, 2, 1]), .plateau)
    }

    func testPlateauBoundary() {
        // Last four [0, 2, 0, 2]: m₁ = 1, s₁ = 1, threshold s₁/(2√4) = 0.25.
        let last: [Double] = [0, 2, 0, 2]
        XCTAssertEqual(rule.stopReason([9, 9] + [1.25, 1.25, 1.25, 1.25] + last), .plateau)  // |Δ| = 0.25
        XCTAssertNil(rule.stopReason([9, 9] + [1.3, 1.3, 1.3, 1.3] + last))                  // |Δ| = 0.3, falling
    }

    func testLossThatWentUpStops() {
        // m₁ − m₂ = 0.3 is above the plateau threshold 0.25, and the loss went up: IQPopt stops.
        let last: [Double] = [0, 2, 0, 2]
        XCTAssertEqual(rule.stopReason([9, 9] + [0.7, 0.7, 0.7, 0.7] + last), .increased)
        // Without noise any rise stops it.
        XCTAssertEqual(rule.stopReason([3, 3, 1, 1, 1, 1, 1.01, 1.01, 1.01, 1.01]), .increased)
        XCTAssertEqual(ConvergenceRule(interval: 1).stopReason([5, 4, 3, 3.5]), .increased)
        XCTAssertNil(ConvergenceRule(interval: 1).stopReason([5, 4, 3, 2.5]))
    }

    func testValidationSeries() throws {
        // Validation every 2 steps; interval 4 steps = 2 validation values.
        var options = TrainingOptions(steps: 100, convergenceInterval: 4, validationEvery: 2)
        options.convergenceMonitor = .validation
        try options.validate()
        let rule = try XCTUnwrap(options.convergenceRule)
        XCTAssertEqual(rule.interval, 2)
        XCTAssertEqual(rule.monitor, .validation)
        // Training loss falls; validation loss (every other step) rises after the 4th value.
        let validation: [Double] = [5, 4, 3, 2, 2.5, 3]
        var history: [TrainingRecord] = []
        for step in 0..<12 {
            history.append(TrainingRecord(step: step, loss: 10 - Double(step),
                                          validationLoss: step % 2 == 0 ? validation[step / 2] : nil, seconds: 0))
        }
        XCTAssertEqual(rule.stopReason(history: history), .increased)
        XCTAssertNil(rule.stopReason(history: Array(history.prefix(10))))   // 5 validation values: not checked
        XCTAssertNil(ConvergenceRule(interval: 4).stopReason(history: history))  // the training loss falls

        options.validationEvery = 3
        XCTAssertThrowsError(try options.validate())                          // 3 does not divide 4
        options.validationEvery = 0
        XCTAssertThrowsError(try options.validate())
    }

    /// End to end: the training loss falls while the loss on a validation set that the model
    /// moves away from rises; with `.validation` the run stops early because the loss went up.
    func testTrainingStopsWhenTheValidationLossGoesUp() throws {
        let train = BitMatrix(rows: Array(repeating: [1, 1, 0], count: 6) + [[1, 0, 0], [0, 1, 0]], columns: 3)
        let away = BitMatrix(rows: Array(repeating: [0, 0, 1], count: 6) + [[0, 1, 1], [1, 0, 1]], columns: 3)
        let circuit = try Circuit(nQubits: 3, gates: try GateBuilders.local(nQubits: 3, maxWeight: 1))
        let model = try IQPModel(circuit: circuit, params: [0.6, 0.6, 0.6], kind: .bitflip)
        let objective = try MMDObjective(model: model, train: train, validation: away,
                                         settings: LossSettings(sigmas: [1.0], stringsPerSigma: 64, samples: 2),
                                         seed: 3, communicator: LocalCommunicator())
        var options = TrainingOptions(steps: 400, learningRate: 0.02, convergenceInterval: 10, validationEvery: 1)
        options.convergenceMonitor = .validation
        let result = try Trainer(objective: objective, options: options).run(initialParams: model.params)
        XCTAssertTrue(result.converged)
        XCTAssertLessThan(result.stepsCompleted, 400)
        XCTAssertEqual(options.convergenceRule?.stopReason(history: result.history), .increased)
        XCTAssertLessThan(result.history.last!.loss, result.history.first!.loss)
    }
}
