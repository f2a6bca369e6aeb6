import IQPCore
import IQPSampler

/// The dispatch stage: send a trained model to a sampler and get its shots back — to the
/// sampler service at a URL, or to the same simulator in-process (`"local"`, the default when
/// shots are asked for without a URL).
public enum SamplerDispatch {
    /// Shots of `model` (rows of n bits; with ancillas, `IQPModel.nAncilla`, every qubit is
    /// sampled and the ancillas' bits are dropped: rows of the visible qubits' bits). `sampler` is `"local"` or an http(s) URL of an
    /// `iqp serve`. Local jobs are checked against `localLimits` (by default the automatic
    /// budget: half of this machine's memory, at most 3/4 of what is available). `token` is the
    /// service's bearer token (nil: the environment's `IQP_SAMPLER_TOKEN`, if any). Throws an
    /// `IQPError` whose line says why a job was refused or could not be run (too many qubits,
    /// queue full after retries, unreachable service).
    public static func run(model: IQPModel, shots: Int, sampler: String, seed: UInt64,
                           precision: Precision = .complex128, noise: ReadoutNoise = .none,
                           localLimits: SamplerLimits = .automatic(), token: String? = nil) async throws -> BitMatrix {
        let request = SamplingRequest(model: model, shots: shots, seed: seed, noise: noise, precision: precision)
        if sampler == "local" {
            do {
                return model.visibleShots(try await ShotSampler.runDetached(request, limits: localLimits,
                                                                            budgetName: "the local memory budget").shots)
            } catch let error as IQPError {
                throw IQPError("local sampler refused the job: \(error.description)")
            }
        }
        var client = try SamplerClient(url: sampler)
        if let token { client.token = token }
        return model.visibleShots(try await client.sample(request).shots)
    }

    /// Checks that `sampler` (an http(s) URL) answers now; "local" and "qasm" need nothing.
    public static func checkReachable(sampler: String) async throws {
        guard sampler.hasPrefix("http://") || sampler.hasPrefix("https://") else { return }
        try await SamplerClient(url: sampler).checkReachable()
    }

    /// Checks a `--sampler` value without contacting anything.
    public static func validate(sampler: String) throws {
        if sampler == "local" { return }
        _ = try SamplerClient(url: sampler)
    }
}
