import Foundation
import IQPCore
import IQPTestSupport
import XCTest

/// `iqp eval --samples-file`: shots scored against data with the sample-based MMD² and the
/// batch standard error, end to end.
final class SamplesFileEvalTests: XCTestCase {
    /// MMD²_u of two row sets by the definition (every pair, Gaussian kernel on the Hamming
    /// distance, docs/math.md §3).
    static func unbiasedMMD(_ x: [[Int]], _ y: [[Int]], sigma: Double) -> Double {
        func k(_ a: [Int], _ b: [Int]) -> Double {
            exp(-Double(zip(a, b).filter { $0 != $1 }.count) / (2 * sigma * sigma))
        }
        func within(_ s: [[Int]]) -> Double {
            var total = 0.0
            for i in s.indices { for j in s.indices where i != j { total += k(s[i], s[j]) } }
            return total / Double(s.count * (s.count - 1))
        }
        let across = x.reduce(0.0) { sum, a in y.reduce(sum) { $0 + k(a, $1) } } / Double(x.count * y.count)
        return within(x) + within(y) - 2 * across
    }

    func testScoresEqualTheBatchedUStatisticByDefinition() throws {
        let directory = try CommandRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var stream = KeyedStream(key: 17)
        let n = 6, batches = 3
        let shots = (0..<37).map { _ in (0..<n).map { _ in stream.nextUniform() < 0.3 ? 1 : 0 } }
        let data = (0..<29).map { _ in (0..<n).map { _ in stream.nextUniform() < 0.6 ? 1 : 0 } }
        let shotsPath = directory.appendingPathComponent("shots.csv").path
        let dataPath = directory.appendingPathComponent("data.csv").path
        try shots.map { $0.map(String.init).joined(separator: ",") }.joined(separator: "\n").write(toFile: shotsPath, atomically: true, encoding: .utf8)
        try data.map { $0.map(String.init).joined(separator: "") }.joined(separator: "\n").write(toFile: dataPath, atomically: true, encoding: .utf8)

        let r = try CommandRunner.iqp(["eval", "--samples-file", shotsPath, "--data", dataPath, "--sigma", "0.7,2",
                                       "--batches", "\(batches)"])
        XCTAssertEqual(r.status, 0, r.stderr)
        // The U-statistic evaluates the kernel itself: --exact (as launch/reproduce-study passes
        // for n <= 26) gives the same numbers.
        let exact = try CommandRunner.iqp(["eval", "--exact", "--samples-file", shotsPath, "--data", dataPath,
                                           "--sigma", "0.7,2", "--batches", "\(batches)"])
        XCTAssertEqual(exact.status, 0, exact.stderr)
        XCTAssertEqual(exact.stdout, r.stdout)
        let rows = r.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: ",").map { Double($0)! } }
        XCTAssertEqual(rows.count, 2)
        for (row, sigma) in zip(rows, [0.7, 2.0]) {
            let values = (0..<batches).map { b in
                Self.unbiasedMMD(stride(from: b, to: shots.count, by: batches).map { shots[$0] },
                                 stride(from: b, to: data.count, by: batches).map { data[$0] }, sigma: sigma)
            }
            let mean = values.reduce(0, +) / Double(batches)
            let standardError = (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(batches - 1) / Double(batches)).squareRoot()
            XCTAssertEqual(row[0], sigma)
            XCTAssertEqual(row[1], mean, accuracy: 1e-12)
            XCTAssertEqual(row[2], standardError, accuracy: 1e-12)
        }
    }

    func testShotsOfAModelScoreLikeTheModel() throws {
        let directory = try CommandRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = { (name: String) in directory.appendingPathComponent(name).path }
        let model = try Reference.randomModel(nQubits: 10, gates: 30, maxWeight: 3, seed: 5)
        try ModelFile.write(IQPModel(circuit: model.circuit, params: model.params.map { $0 / 4 }), to: path("m.json"))
        let data = try Reference.randomModel(nQubits: 10, gates: 30, maxWeight: 3, seed: 6)
        try ModelFile.write(IQPModel(circuit: data.circuit, params: data.params.map { $0 / 4 }), to: path("d.json"))
        for (model, shots, seed, out) in [("m.json", "8000", "1", "shots.csv"), ("d.json", "8000", "2", "data.csv")] {
            let r = try CommandRunner.iqp(["sample", "--model", path(model), "--shots", shots, "--seed", seed, "--out", path(out)])
            XCTAssertEqual(r.status, 0, r.stderr)
        }
        let fromShots = try CommandRunner.iqp(["eval", "--samples-file", path("shots.csv"), "--data", path("data.csv"),
                                               "--model", path("m.json"), "--sigma", "1,3"])
        let fromModel = try CommandRunner.iqp(["eval", "--model", path("m.json"), "--data", path("data.csv"), "--sigma", "1,3",
                                               "--ops", "2000", "--samples", "2000"])
        XCTAssertEqual(fromShots.status, 0, fromShots.stderr)
        XCTAssertEqual(fromModel.status, 0, fromModel.stderr)
        let a = fromShots.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: ",").map { Double($0)! } }
        let b = fromModel.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: ",").map { Double($0)! } }
        for (x, y) in zip(a, b) {
            print("σ \(x[0]): shots \(x[1]) ± \(x[2]), model \(y[1]) ± \(y[2])")
            XCTAssertGreaterThan(x[1], 5 * x[2], "the two distributions differ, so MMD² is clearly positive")
            XCTAssertLessThan(abs(x[1] - y[1]), 4 * (x[2] * x[2] + y[2] * y[2]).squareRoot(), "σ \(x[0]): \(x) vs \(y)")
        }
    }

    func testShotsOfAnotherWidthAreAnError() throws {
        let directory = try CommandRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let shots = directory.appendingPathComponent("shots.csv").path
        let data = directory.appendingPathComponent("data.csv").path
        try String(repeating: "0,1,1\n", count: 30).write(toFile: shots, atomically: true, encoding: .utf8)
        try String(repeating: "0,1,1,0\n", count: 30).write(toFile: data, atomically: true, encoding: .utf8)
        let r = try CommandRunner.iqp(["eval", "--samples-file", shots, "--data", data])
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.stderr, "iqp: error: \(shots): the shots have 3 bits per row, the data (\(data)) 4\n")
    }
}
