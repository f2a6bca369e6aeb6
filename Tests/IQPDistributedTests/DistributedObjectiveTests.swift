import XCTest
@testable import IQPCore
import IQPTestSupport

/// The loss, validation loss and gradient computed by 1–4 ranks (threads) on several grids
/// equal the single-process values, and so does a short training run (docs/distributed.md).
final class DistributedObjectiveTests: XCTestCase {
    static let grids: [(ranks: Int, rows: Int, columns: Int)] = [
        (1, 1, 1), (2, 1, 2), (2, 2, 1), (3, 1, 3), (3, 3, 1), (4, 2, 2), (4, 1, 4), (4, 4, 1),
    ]

    /// A 7-qubit model with mixed weights and a shared parameter (15 parameters: uneven blocks
    /// on 2–4 ranks), and data drawn from keyed streams.
    static func problem(spinSym: Bool = false, kind: ModelKind = .iqp) throws -> (IQPModel, BitMatrix, BitMatrix) {
        let n = 7
        var gates: [[[Int]]] = (0..<n).map { [[$0]] }
        for i in 0..<(n - 1) { gates.append([[i, i + 1]]) }
        gates.append([[0, 2, 4], [1, 3]])
        gates.append([[0, 1, 2, 3], [6]])
        var stream = KeyedStream(key: 42)
        let circuit = try Circuit(nQubits: n, gates: gates)
        let params = (0..<circuit.parameterCount).map { _ in stream.nextUniform() - 0.5 }
        let model = try IQPModel(circuit: circuit, params: params, spinSym: spinSym, kind: kind)
        func data(_ rows: Int) -> BitMatrix {
            var m = BitMatrix(rows: rows, columns: n)
            for r in 0..<rows { for i in 0..<n where stream.nextUniform() < 0.3 + 0.05 * Double(i) { m[r, i] = true } }
            return m
        }
        return (model, data(101), data(37))
    }

    let settings = LossSettings(sigmas: [0.7, 1.9], stringsPerSigma: 23, samples: 17)

    func assertClose(_ a: Double, _ b: Double, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a, b, accuracy: 1e-12 * max(abs(a), abs(b), 1e-6), what, file: file, line: line)
    }

    func checkObjective(spinSym: Bool = false, kind: ModelKind = .iqp) throws {
        let (model, train, validation) = try Self.problem(spinSym: spinSym, kind: kind)
        let settings = self.settings
        let reference = try MMDObjective(model: model, train: train, validation: validation, settings: settings, seed: 5)
            .evaluate(params: model.params, step: 3, validation: true)
        XCTAssertGreaterThan(reference.gradient.map(abs).max()!, 1e-6)
        for g in Self.grids {
            let results = try ThreadCommunicator.run(ranks: g.ranks) { comm in
                let grid = try ProcessGrid(size: g.ranks, rows: g.rows, columns: g.columns)
                return try MMDObjective(model: model, train: train, validation: validation, settings: settings,
                                        seed: 5, communicator: comm, grid: grid)
                    .evaluate(params: model.params, step: 3, validation: true)
            }
            let root = results[0], what = "\(g.rows)x\(g.columns)"
            assertClose(root.loss, reference.loss, "loss \(what)")
            assertClose(root.validationLoss!, reference.validationLoss!, "validation \(what)")
            for k in 0..<2 { assertClose(root.lossPerSigma[k], reference.lossPerSigma[k], "σ\(k) \(what)") }
            for j in 0..<root.gradient.count { assertClose(root.gradient[j], reference.gradient[j], "∂θ\(j) \(what)") }
        }
    }

    func testIQPObjectiveIsTheSameOnEveryGrid() throws { try checkObjective() }
    func testSpinSymmetricObjectiveIsTheSameOnEveryGrid() throws { try checkObjective(spinSym: true) }
    func testBitflipObjectiveIsTheSameOnEveryGrid() throws { try checkObjective(kind: .bitflip) }

    /// Ten Adam steps on 3 ranks (two grids) give the single-process trajectory and parameters.
    func testTrainingTrajectoryIsTheSameForAnyRankCount() throws {
        let (model, train, _) = try Self.problem()
        let settings = self.settings
        let options = TrainingOptions(steps: 10, learningRate: 0.05)
        let single = try Trainer(objective: try MMDObjective(model: model, train: train, settings: settings, seed: 8),
                                 options: options).run(initialParams: model.params)
        for (rows, columns) in [(3, 1), (1, 3)] {
            let results = try ThreadCommunicator.run(ranks: 3) { comm in
                let objective = try MMDObjective(model: model, train: train, settings: settings, seed: 8, communicator: comm,
                                                 grid: try ProcessGrid(size: 3, rows: rows, columns: columns))
                return try Trainer(objective: objective, options: options).run(initialParams: model.params)
            }
            for (a, b) in zip(results[0].history, single.history) { assertClose(a.loss, b.loss, "step \(a.step)") }
            for rank in 0..<3 {
                for (a, b) in zip(results[rank].params, single.params) { XCTAssertEqual(a, b, accuracy: 1e-12) }
            }
        }
    }
}
