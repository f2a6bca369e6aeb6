import ArgumentParser
import IQPCore
import IQPSampler
import IQPService

/// `iqp sample`: shots of a model, from the sampler service or in-process.
struct SampleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample",
        abstract: "Draw measurement shots of a model and write them as CSV rows of 0/1.",
        discussion: """
            IQP models are sampled exactly (two fast Walsh–Hadamard transforms, docs/math.md §7); \
            bitflip models classically. With --sampler local (the default) the simulator runs in \
            this process; with --sampler URL the job goes to an `iqp serve`. The same model, \
            shots, seed, precision and noise give the same shots either way.
            """)

    @Option(help: "The model file (JSON).")
    var model: String

    @Option(help: "Number of shots.")
    var shots: Int

    @Option(help: "local, or the URL of a sampler service (http://host:port).")
    var sampler = "local"

    @Option(help: "Seed of the shots.")
    var seed: UInt64 = 0

    @Option(help: "State-vector precision: complex64 or complex128.")
    var precision = "complex128"

    @Option(help: "Readout noise 'p01,p10': probability that a 0 reads 1 and that a 1 reads 0 (every qubit).")
    var noise: String?

    @Option(help: "Output file: one shot per line, comma-separated 0/1 (a .npy name: a uint8 numpy array) (written atomically).")
    var out: String

    func validate() throws {
        guard shots >= 1 else { throw ValidationError("--shots must be at least 1, got \(shots)") }
        guard Precision(rawValue: precision) != nil else {
            throw ValidationError("--precision must be complex64 or complex128, got '\(precision)'")
        }
        if let noise { do { _ = try ReadoutNoise(parsing: noise) } catch { throw ValidationError("--noise: \(error)") } }
        do { try SamplerDispatch.validate(sampler: sampler) } catch { throw ValidationError("--sampler: \(error)") }
    }

    func run() async throws {
        let model = try ModelFile.read(path: self.model)
        let noise = try self.noise.map { try ReadoutNoise(parsing: $0) } ?? .none
        let shots = try await SamplerDispatch.run(model: model, shots: shots, sampler: sampler, seed: seed,
                                                  precision: Precision(rawValue: precision)!, noise: noise)
        try DataFile.write(shots, to: out)
        writeToStandardError("iqp sample: \(shots.rows) shots of \(shots.columns) bits → \(out)\n")
    }
}
