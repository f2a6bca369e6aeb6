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

    @Option(help: "State-vector precision.")
    var precision = Precision.complex128

    @Option(help: "Readout noise 'p01,p10': probability that a 0 reads 1 and that a 1 reads 0 (every qubit).")
    var noise: String?

    @Option(help: "Output file: one shot per line, comma-separated 0/1 (a .npy name: a uint8 numpy array) (written atomically).")
    var out: String

    @Option(help: "Output format: csv (one shot per line; a .npy name: a uint8 numpy array) or counts (a JSON object of bitstring → count, as Qiskit's get_counts(); bit order: --bit-order).")
    var format: SampleFormat = .csv

    @Option(name: .customLong("bit-order"),
            help: "With --format counts: qiskit (the rightmost character is qubit 0, as Qiskit writes) or wires (the leftmost is qubit 0).")
    var bitOrder: CountsBitOrder = .qiskit

    @Option(name: .customLong("token-file"), help: ArgumentHelp(
        "File whose first token is sent to the sampler service as 'Authorization: Bearer' "
            + "(default: the environment's IQP_SAMPLER_TOKEN).", valueName: "path"))
    var tokenFile: String?

    func validate() throws {
        guard shots >= 1 else { throw ValidationError("--shots must be at least 1, got \(shots)") }
        if let noise { do { _ = try ReadoutNoise(parsing: noise) } catch { throw ValidationError("--noise: \(error)") } }
        do { try SamplerDispatch.validate(sampler: sampler) } catch { throw ValidationError("--sampler: \(error)") }
        if tokenFile != nil && sampler == "local" {
            throw ValidationError("--token-file is for a sampler service: give --sampler URL")
        }
    }

    func run() async throws {
        do {
            try AtomicFile.checkTargets(outputs: [NamedPath("--out", out)], inputs: [NamedPath("--model", model)])
            let model = try ModelFile.read(path: self.model)
            let noise = try self.noise.map { try ReadoutNoise(parsing: $0) } ?? .none
            let token = try tokenFile.map { try BearerTokens.read(path: $0).first }
            let shots = try await SamplerDispatch.run(model: model, shots: shots, sampler: sampler, seed: seed,
                                                      precision: precision, noise: noise, token: token)
            if format == .counts {
                try AtomicFile.write(CountsFile.encode(shots, qubitZeroLast: bitOrder == .qiskit), to: out)
            } else {
                try DataFile.write(shots, to: out)
            }
            writeToStandardError("iqp sample: \(shots.rows) shots of \(shots.columns) bits → \(out)\n")
        } catch {
            CommandSupport.fail(error, communicator: nil)
        }
    }
}

/// `iqp sample --format`.
enum SampleFormat: String, ExpressibleByArgument, CaseIterable {
    case csv, counts
}
