import Foundation
import IQPCore
import IQPSampler
import IQPService

/// The trainer's final stage (`iqp train … --shots N [--sampler URL|local]`): root sends the
/// trained model (already saved) to the sampler service, writes the shots, and compares the
/// sample-based MMD² of the shots with the test data to the model's Pauli-string estimate.
enum SamplerDispatchStage {
    static func runIfRequested(_ command: TrainCommand, outcome: TrainingJob.Outcome, inputs: TrainingJob.Inputs,
                               job: TrainingJob, communicator: Communicator) async throws {
        guard let shots = command.shots, communicator.isRoot else { return }
        let target = command.sampler ?? "local"
        writeToStandardError("dispatching the trained model to \(target == "local" ? "the local simulator" : target) for \(shots) shots…\n")
        let samples: BitMatrix
        do {
            samples = try await SamplerDispatch.run(model: outcome.model, shots: shots, sampler: target, seed: job.seed)
        } catch {
            throw IQPError("the sampler refused or failed: \((error as? IQPError)?.description ?? "\(error)"); the trained model is saved in \(job.outPath)")
        }
        if let path = command.samplesOut {
            try DataFile.writeCSV(samples, to: path)
            print("\(samples.rows) shots written to \(path)")
        }
        guard let test = inputs.test else { return }
        print("sample-based MMD² of the shots vs the test data (unbiased U-statistic) next to the Pauli-string estimate:")
        print(TextTable.row(["sigma", "shots", "model (strings)"]))
        for (k, sigma) in job.loss.sigmas.enumerated() {
            let fromShots = SampleMMD.unbiased(samples: samples, data: test, sigma: sigma)
            let estimate = outcome.testTrained.indices.contains(k) ? TextTable.estimate(outcome.testTrained[k]) : "n/a"
            print(TextTable.row([String(format: "%.3f", sigma), String(format: "%.3e", fromShots), estimate]))
        }
    }
}
