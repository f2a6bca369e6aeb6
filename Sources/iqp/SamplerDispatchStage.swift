import ArgumentParser
import Foundation
import IQPCore
import IQPSampler
import IQPService

/// `iqp train`'s deploy options: draw shots from the trained model, on a sampler service or
/// the local simulator (`--sampler`, `--shots`, `--samples-out`), or write its circuit for a
/// quantum device (`--sampler qasm`, `--circuit-out`).
struct SamplerDispatchOptions: ParsableArguments {
    @Option(help: "After training, root sends the model to this sampler service (URL), 'local' to simulate in-process, or 'qasm' to write the circuit (OpenQASM 3, with the run's metadata) for a device instead of sampling.")
    var sampler: String?
    @Option(help: "Shots to draw from the trained model (with --sampler; without it the local simulator).")
    var shots: Int?
    @Option(name: .customLong("samples-out"), help: "Where to write the shots (CSV rows of 0/1; a .npy name: a uint8 numpy array).")
    var samplesOut: String?
    @Option(name: .customLong("circuit-out"), help: "With --sampler qasm: the circuit file (default: --out with extension .qasm).")
    var circuitOut: String?

    func validate() throws {
        if let shots, shots < 1 { throw ValidationError("--shots must be at least 1") }
        if sampler != nil && shots == nil { throw ValidationError("--sampler needs --shots") }
        if samplesOut != nil && shots == nil { throw ValidationError("--samples-out needs --shots") }
        if sampler == SamplerDispatchStage.qasmTarget {
            if samplesOut != nil {
                throw ValidationError("--sampler qasm writes a circuit, not shots: leave out --samples-out, run the circuit, then score its shots with iqp eval --samples-file")
            }
        } else {
            if circuitOut != nil { throw ValidationError("--circuit-out needs --sampler qasm") }
            if let sampler { try SamplerDispatch.validate(sampler: sampler) }
        }
    }

    /// The local simulator's memory admission (`SamplerLimits.automatic`), before training
    /// rather than after it; a service admits its jobs itself.
    func admitLocal(nQubits: Int, kind: ModelKind) throws {
        guard let shots, (sampler ?? "local") == "local" else { return }
        do {
            try SamplerLimits.automatic().admit(nQubits: nQubits, kind: kind, precision: .complex128, shots: shots,
                                                budgetName: "the local sampler's automatic budget")
        } catch let error as IQPError {
            throw IQPError("--shots \(shots) with the local sampler: \(error.message)")
        }
    }

    /// The dispatch asked for, if any.
    func request(seed: UInt64, savedModelPath: String) -> SamplerDispatchStage.Request? {
        shots.map {
            SamplerDispatchStage.Request(sampler: sampler ?? "local", shots: $0, samplesOut: samplesOut,
                                         circuitOut: circuitOut, seed: seed, savedModelPath: savedModelPath)
        }
    }
}

/// The trainer's final stage (`iqp train … --shots N [--sampler URL|local|qasm]`), on root:
/// sends the trained model (already saved) to the sampler service, writes the shots, and
/// compares the sample-based MMD² of the shots with the test data to the model's Pauli-string
/// estimate. The `qasm` target writes the circuit instead (docs/hardware.md), for a job script
/// to hand to a vendor's SDK.
enum SamplerDispatchStage {
    /// The `--sampler` value that writes the circuit instead of sampling.
    static let qasmTarget = "qasm"

    struct Request: Sendable {
        /// A sampler service URL, "local" for the in-process simulator, or "qasm".
        var sampler: String
        var shots: Int
        var samplesOut: String?
        /// With the qasm target: where to write the circuit (nil: the model path with .qasm).
        var circuitOut: String?
        var seed: UInt64
        /// Where the trained model was saved (named when the sampler fails).
        var savedModelPath: String
    }

    /// Draws the shots of `model` and reports them against `test` per bandwidth of `sigmas`,
    /// next to `estimates` (the test MMD² from Pauli strings; empty when not computed).
    static func run(_ request: Request, model: IQPModel, test: BitMatrix?, sigmas: [Double],
                    estimates: [ModelEvaluation.Estimate]) async throws {
        if request.sampler == qasmTarget { return try writeCircuit(request, model: model) }
        let target = request.sampler
        writeToStandardError("dispatching the trained model to \(target == "local" ? "the local simulator" : target) for \(request.shots) shots…\n")
        let samples: BitMatrix
        do {
            samples = try await SamplerDispatch.run(model: model, shots: request.shots, sampler: target, seed: request.seed)
        } catch {
            throw IQPError("the sampler refused or failed: \((error as? IQPError)?.description ?? "\(error)"); the trained model is saved in \(request.savedModelPath)")
        }
        if let path = request.samplesOut {
            try DataFile.write(samples, to: path)
            print("\(samples.rows) shots written to \(path)")
        }
        guard let test else { return }
        print("sample-based MMD² of the shots vs the test data (unbiased U-statistic) next to the Pauli-string estimate:")
        print(TextTable.row(["sigma", "shots", "model (strings)"]))
        for (k, sigma) in sigmas.enumerated() {
            let fromShots = SampleMMD.unbiased(samples: samples, data: test, sigma: sigma)
            let estimate = estimates.indices.contains(k) ? TextTable.estimate(estimates[k]) : "n/a"
            print(TextTable.row([String(format: "%.3f", sigma), String(format: "%.3e", fromShots), estimate]))
        }
    }
}

extension SamplerDispatchStage {
    /// The qasm target: the trained circuit as OpenQASM 3 with the run (shots, seed, model file)
    /// and the model's metadata in its header.
    static func writeCircuit(_ request: Request, model: IQPModel) throws {
        let path = request.circuitOut ?? (request.savedModelPath as NSString).deletingPathExtension + ".qasm"
        let export: QASMExport
        do {
            export = try QASMExport(model: model, source: request.savedModelPath, notes: [
                "shots: \(request.shots)",
                "run: iqp train --sampler qasm, seed \(request.seed); score the shots with iqp eval --samples-file",
            ])
            try AtomicFile.write(export.text, to: path)
        } catch {
            throw IQPError("could not write the circuit: \((error as? IQPError)?.description ?? "\(error)"); the trained model is saved in \(request.savedModelPath)")
        }
        print("circuit for \(request.shots) shots written to \(path): \(export.statistics.summary)")
        print("run it on a device, save the shots as CSV rows of 0/1 (column i = qubit i, docs/hardware.md), then:")
        print("  iqp eval --model \(request.savedModelPath) --data TEST.csv --samples-file shots.csv")
    }
}
