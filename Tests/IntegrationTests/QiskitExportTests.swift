import Foundation
import IQPCore
import IQPSampler
import IQPTestSupport
import XCTest

/// `iqp export` checked by Qiskit (Tests/Qiskit/check_export.py): random models with n ≤ 12,
/// generators of weight ≤ 4, shared parameters, with and without spin_sym, exported as
/// OpenQASM 3 and 2; Aer's state vector must equal iqp's exact sampler to 1e-10 (and the
/// model's amplitudes up to a global phase), shots must pass a χ² test, the header's gate
/// counts and depths must be Qiskit's, and the docs' Qiskit snippet must build the same state.
///
/// Needs Python with qiskit, qiskit-aer and qiskit-qasm3-import (`launch/test`, README command 2,
/// installs them in `.build/test-venv`); without them the test fails with that command, it does
/// not skip.
final class QiskitExportTests: XCTestCase {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The Qiskit check's Python (`TestPython`: `$IQP_PYTHON` or launch/test's `.build/test-venv`).
    static func python() throws -> String {
        try TestPython.path(importing: ["qiskit", "qiskit_aer", "qiskit_qasm3_import", "scipy"])
    }

    struct Case {
        var name: String
        var model: IQPModel
        var format = "qasm3"
        var basis = "rzz"
        var ladders = "shared"
    }

    static func cases() throws -> [Case] {
        var cases: [Case] = []
        for (i, n) in [2, 4, 6, 8, 10, 12].enumerated() {
            var model = try Reference.randomModel(nQubits: n, gates: 3 * n, maxWeight: 4, seed: 700 + UInt64(i),
                                                  spinSym: i % 2 == 1)
            model = try IQPModel(circuit: Circuit(nQubits: n, gates: model.circuit.gates + [model.circuit.gates[0]]),
                                 params: model.params.map { $0 / 2 } + [0.2], spinSym: model.spinSym)
            cases.append(Case(name: "random-n\(n)\(model.spinSym ? "-spinsym" : "")", model: model))
        }
        let local = try GateBuilders.local(nQubits: 7, maxWeight: 4)
        var stream = KeyedStream(key: 9)
        let params = local.map { _ in (stream.nextUniform() - 0.5) * 0.6 }
        let dense = try IQPModel(circuit: Circuit(nQubits: 7, gates: local), params: params, spinSym: true)
        cases.append(Case(name: "local4-n7-spinsym", model: dense))
        cases.append(Case(name: "local4-n7-spinsym-independent", model: dense, ladders: "independent"))
        cases.append(Case(name: "local4-n7-spinsym-cx", model: dense, basis: "cx"))
        cases.append(Case(name: "local4-n7-spinsym-qasm2", model: dense, format: "qasm2", basis: "cx"))
        cases.append(Case(name: "random-n9-qasm2-rzz",
                          model: try Reference.randomModel(nQubits: 9, gates: 25, maxWeight: 4, seed: 77), format: "qasm2"))
        return cases
    }

    func testQiskitReadsTheExportAndAerReproducesTheExactSampler() throws {
        let python = try Self.python()
        let directory = try CommandRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }

        var manifestCases: [[String: Any]] = []
        for (index, c) in try Self.cases().enumerated() {
            let base = directory.appendingPathComponent(c.name).path
            try ModelFile.write(c.model, to: base + ".json")
            let export = try CommandRunner.iqp(["export", "--model", base + ".json", "--format", c.format,
                                                "--basis", c.basis, "--ladders", c.ladders, "--out", base + ".qasm"])
            XCTAssertEqual(export.status, 0, export.stderr)
            let sample = try CommandRunner.iqp(["sample", "--model", base + ".json", "--shots", "20000",
                                                "--seed", "\(index + 1)", "--out", base + ".csv"])
            XCTAssertEqual(sample.status, 0, sample.stderr)

            let exact = try ExactIQPSimulator(model: c.model).probabilities()
            try exact.map { String(format: "%.17g", $0) }.joined(separator: "\n")
                .write(toFile: base + ".probabilities", atomically: true, encoding: .utf8)
            let (re, im) = Reference.stateVector(c.model)
            try zip(re, im).map { String(format: "%.17g %.17g", $0, $1) }.joined(separator: "\n")
                .write(toFile: base + ".amplitudes", atomically: true, encoding: .utf8)
            manifestCases.append(["name": c.name, "model": base + ".json", "qasm": base + ".qasm", "format": c.format,
                                  "probabilities": base + ".probabilities", "amplitudes": base + ".amplitudes",
                                  "shots": base + ".csv", "aer_shots": 20000, "seed": 1000 + index])
        }
        let manifest = directory.appendingPathComponent("manifest.json")
        let snippet = Self.packageRoot.appendingPathComponent("docs/hardware.md").path
        try JSONSerialization.data(withJSONObject: ["snippet": snippet, "cases": manifestCases]).write(to: manifest)

        let script = Self.packageRoot.appendingPathComponent("Tests/Qiskit/check_export.py").path
        let check = try CommandRunner.run(python, [script, manifest.path], timeout: 600)
        print(check.stdout)
        XCTAssertEqual(check.status, 0, check.stdout + check.stderr)
        XCTAssertEqual(check.stdout.split(separator: "\n").filter { $0.contains("|p-p_exact|=") }.count, manifestCases.count,
                       check.stdout)
    }

    /// The hardware loop with Aer as the device: `iqp train --sampler qasm` writes the circuit,
    /// Tests/Qiskit/sample_with_aer.py runs docs/hardware.md's IBM calls on Aer and writes the
    /// shots as CSV, and `iqp eval --samples-file` scores them like `iqp eval --model` scores
    /// the model (within 4 combined standard errors).
    func testTrainWritesACircuitWhoseDeviceShotsScoreLikeTheModel() throws {
        let python = try Self.python()
        let directory = try CommandRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = { (name: String) in directory.appendingPathComponent(name).path }
        let data = try CommandRunner.iqp(["data", "ising", "--lattice", "4x4", "--coupling", "2", "--temperature", "3",
                                          "--count", "6000", "--seed", "4", "--out", path("test.csv")])
        XCTAssertEqual(data.status, 0, data.stderr)
        let train = try CommandRunner.iqp(["train", "--steps", "30", "--lr", "0.02", "--ops", "300", "--samples", "300",
                                           "--eval-ops", "0", "--quiet", "--out", path("m.json"),
                                           "--shots", "8000", "--sampler", "qasm"])
        XCTAssertEqual(train.status, 0, train.stderr)
        XCTAssertTrue(train.stdout.contains("circuit for 8000 shots written to \(path("m.qasm"))"), train.stdout)
        let header = try String(contentsOfFile: path("m.qasm"), encoding: .utf8).split(separator: "\n").prefix(12)
        XCTAssertTrue(header.contains("// shots: 8000"), header.joined(separator: "\n"))
        XCTAssertTrue(header.contains { $0.hasPrefix("// metadata: {\"training\":") }, header.joined(separator: "\n"))

        let script = Self.packageRoot.appendingPathComponent("Tests/Qiskit/sample_with_aer.py").path
        let device = try CommandRunner.run(python, [script, path("m.qasm"), "8000", "11", path("shots.csv")], timeout: 300)
        XCTAssertEqual(device.status, 0, device.stderr + "\n" + TestPython.fix)
        let fromShots = try CommandRunner.iqp(["eval", "--samples-file", path("shots.csv"), "--data", path("test.csv"),
                                               "--model", path("m.json"), "--sigma", "1,2"])
        let fromModel = try CommandRunner.iqp(["eval", "--model", path("m.json"), "--data", path("test.csv"), "--sigma", "1,2"])
        XCTAssertEqual(fromShots.status, 0, fromShots.stderr)
        XCTAssertEqual(fromModel.status, 0, fromModel.stderr)
        let a = fromShots.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: ",").map { Double($0)! } }
        let b = fromModel.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: ",").map { Double($0)! } }
        XCTAssertEqual(a.count, 2)
        for (x, y) in zip(a, b) {
            print("σ \(x[0]): device shots \(x[1]) ± \(x[2]), model \(y[1]) ± \(y[2])")
            XCTAssertLessThan(abs(x[1] - y[1]), 4 * (x[2] * x[2] + y[2] * y[2]).squareRoot(), "σ \(x[0]): \(x) vs \(y)")
        }
    }
}
