import Foundation
import Hummingbird
import HummingbirdCore
import IQPCore
import IQPSampler
@testable import IQPService

/// One libFuzzer entry point for every parser of IQPCore and for the service's request parsing
/// (`job-body`: `POST /v1/jobs`'s body through `JobSubmission.decode` and the budget admission,
/// as `SamplerService.admit` runs them; `query`: a result query string through `ResultQuery`,
/// where a `ServiceError` is the expected refusal); `IQP_FUZZ_TARGET` picks the parser
/// (Tests/Fuzz/run sets it, one run and one corpus folder per target). The input is written to
/// a file and read through the same public reader a command uses, so the fuzzer exercises the
/// whole path: reading, parsing, validation and the error. Any outcome but a value or an
/// `IQPError` (a trap, an overflow, an address-sanitizer report, another error type) is a
/// finding.
enum FuzzTarget: String, CaseIterable {
    case model, checkpoint, gates, data, npy, graph, initParams = "init-params", sigma, spec
    case jobBody = "job-body", query

    static let current: FuzzTarget = {
        let name = ProcessInfo.processInfo.environment["IQP_FUZZ_TARGET"] ?? ""
        guard let target = FuzzTarget(rawValue: name) else {
            fatalError("set IQP_FUZZ_TARGET to one of \(FuzzTarget.allCases.map(\.rawValue))")
        }
        return target
    }()

    /// A file per process (several fuzzing jobs may run side by side).
    static let path: String = {
        let folder = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
        return folder + "/iqp-fuzz-\(getpid())" + (current == .npy ? ".npy" : ".txt")
    }()

    func run(_ data: Data) throws {
        switch self {
        case .sigma:
            let list = try Bandwidth.parseList(String(decoding: data, as: UTF8.self))
            let rows = BitMatrix(rows: [[0, 1, 1, 0, 1, 0], [1, 0, 0, 1, 0, 1], [1, 1, 0, 0, 1, 1], [0, 0, 1, 1, 0, 0]],
                                 columns: 6)
            _ = try Bandwidth.resolve(list, data: rows, admission: MemoryAdmission(budget: 1 << 24))
            return
        case .spec:
            // `--gates` values: builders whose sizes come from the text (lattice:LxW, nn:D:K:…).
            _ = try GateBuilders.parse(spec: String(decoding: data, as: UTF8.self), nQubits: 6)
            return
        case .jobBody:
            do {
                let submission = try JobSubmission.decode(Array(data), defaultPrecision: .complex128, randomSeed: { 7 })
                try SamplerLimits(maxMemoryBytes: 1 << 28).admit(model: submission.request.model,
                                                                 precision: submission.request.precision,
                                                                 shots: submission.request.shots)
            } catch is ServiceError {
                // A 4xx with its message: the expected refusal.
            }
            return
        case .query:
            do {
                _ = try ResultQuery(URI("/v1/jobs/x/result?" + String(decoding: data, as: UTF8.self)).queryParameters)
            } catch is ServiceError {}
            return
        default: break
        }
        try data.write(to: URL(fileURLWithPath: FuzzTarget.path))
        let path = FuzzTarget.path
        switch self {
        case .model: _ = try ModelFile.read(path: path)
        case .checkpoint: _ = try Checkpoint.read(path: path)
        case .gates: _ = try GateSource.file(path).layers(nQubits: 6)
        case .data, .npy: _ = try DataFile.read(path: path)
        case .graph: _ = try GraphFile.readListing(path: path)
        case .initParams:
            let circuit = try Circuit(nQubits: 3, gates: [[[0]], [[1]], [[0, 1]]])
            _ = try InitialParametersFile.read(path: path, circuit: circuit)
        case .sigma, .spec, .jobBody, .query: break
        }
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ bytes: UnsafeRawPointer, _ count: Int) -> CInt {
    let data = Data(bytes: bytes, count: count)
    do { try FuzzTarget.current.run(data) } catch is IQPError {
        // The expected outcome for bad input: a one-line error.
    } catch {
        fatalError("\(FuzzTarget.current.rawValue): an error that is not an IQPError: \(error)")
    }
    return 0
}
