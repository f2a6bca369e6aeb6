import ArgumentParser
import Foundation
import IQPCore
import IQPSampler
import IQPService

/// `iqp train`'s deploy options: draw shots from the trained model, on a sampler service or
/// the local simulator (`--sampler`, `--shots`, `--samples-out`).
struct SamplerDispatchOptions: ParsableArguments {
    @Option(help: "After training, root sends the model to this sampler service (URL), or 'local' to simulate in-process.")
    var sampler: String?
    @Option(help: "Shots to draw from the trained model (with --sampler; without it the local simulator).")
    var shots: Int?
    @Option(name: .customLong("samples-out"), help: "Where to write the shots (CSV rows of 0/1).")
    var samplesOut: String?

    func validate() throws {
        if let shots, shots < 1 { throw ValidationError("--shots must be at least 1") }
        if sampler != nil && shots == nil { throw ValidationError("--sampler needs --shots") }
        if samplesOut != nil && shots == nil { throw ValidationError("--samples-out needs --shots") }
        if let sampler { try SamplerDispatch.validate(sampler: sampler) }
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
            SamplerDispatchStage.Request(sampler: sampler ?? "local", shots: $0, samplesOut: samplesOut, seed: seed,
                                         savedModelPath: savedModelPath)
        }
    }
}

/// The trainer's final stage (`iqp train … --shots N [--sampler URL|local]`), on root: sends
/// the trained model (already saved) to the sampler service, writes the shots, and compares
/// the sample-based MMD² of the shots with the test data to the model's Pauli-string estimate.
enum SamplerDispatchStage {
    struct Request: Sendable {
        /// A sampler service URL, or "local" for the in-process simulator.
        var sampler: String
        var shots: Int
        var samplesOut: String?
        var seed: UInt64
        /// Where the trained model was saved (named when the sampler fails).
        var savedModelPath: String
    }

    /// Draws the shots of `model` and reports them against `test` per bandwidth of `sigmas`,
    /// next to `estimates` (the test MMD² from Pauli strings; empty when not computed).
    static func run(_ request: Request, model: IQPModel, test: BitMatrix?, sigmas: [Double],
                    estimates: [ModelEvaluation.Estimate]) async throws {
        let target = request.sampler
        writeToStandardError("dispatching the trained model to \(target == "local" ? "the local simulator" : target) for \(request.shots) shots…\n")
        let samples: BitMatrix
        do {
            samples = try await SamplerDispatch.run(model: model, shots: request.shots, sampler: target, seed: request.seed)
        } catch {
            throw IQPError("the sampler refused or failed: \((error as? IQPError)?.description ?? "\(error)"); the trained model is saved in \(request.savedModelPath)")
        }
        if let path = request.samplesOut {
            try DataFile.writeCSV(samples, to: path)
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
