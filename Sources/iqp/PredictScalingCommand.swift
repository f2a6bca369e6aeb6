import ArgumentParser
import Foundation
import IQPBench
import IQPCore

/// `iqp info predict-scaling`: `ScalingPrediction` from the inputs given, Adam's rate
/// measured now unless given; the summary on stdout, the CSVs in `--out`.
struct PredictScalingCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict-scaling",
        abstract: "Predict step time and efficiency on 1…1024 ranks for the 1000- and 10,000-qubit models, root and sharded Adam, over assumed and measured networks.",
        discussion: """
            The model is T(N) = T₁/N + C(N) + A(N) (docs/distributed.md, "Prediction"): T₁ one \
            rank's compute per step (--compute-seconds: the step time `iqp bench` measures for \
            the model, docs/performance.md), C(N) the step's collectives on 100 Gb/s InfiniBand \
            and 25 Gb/s Ethernet (assumed, sources in docs/distributed.md) and, with \
            --collectives, on the network of an `iqp info measure-collectives` CSV, and A(N) \
            Adam (--adam-ns, else measured now on 2^20 parameters). Models: every generator of \
            weight ≤ 2, K = 3 bandwidths, B = 1000 strings.
            """
    )

    @Option(name: .customLong("compute-seconds"),
            help: ArgumentHelp("T₁ of the 1000- and the 10,000-qubit model: one rank's compute per step (seconds; `iqp bench`).",
                               valueName: "t1000,t10000"))
    var computeSeconds: String

    @Option(name: .customLong("adam-ns"), help: "Adam's nanoseconds per parameter (default: measured now).")
    var adamNanoseconds: Double?

    @Option(help: "Add the network of this `iqp info measure-collectives` CSV (its bcast fit).")
    var collectives: String?

    @Option(help: "A folder for prediction-1000.csv and prediction-10000.csv (made if missing).")
    var out: String?

    func validate() throws {
        let seconds = try CommandSupport.doubles(computeSeconds, option: "--compute-seconds")
        if seconds.count != 2 {
            throw ValidationError("--compute-seconds needs two values: the 1000- and the 10,000-qubit model")
        }
        if let bad = seconds.first(where: { !($0 > 0) }) { throw ValidationError("--compute-seconds must be positive, not \(bad)") }
        if let adamNanoseconds, !(adamNanoseconds > 0) { throw ValidationError("--adam-ns must be positive, not \(adamNanoseconds)") }
    }

    func run() throws {
        let seconds = try CommandSupport.doubles(computeSeconds, option: "--compute-seconds")
        let fabrics = try ScalingPrediction.assumedFabrics + (collectives.map { [try ScalingPrediction.measuredFabric(csv: $0)] } ?? [])
        let adam = adamNanoseconds.map { $0 * 1e-9 } ?? AdamRate.secondsPerParameter()
        print(String(format: "Adam: %.3g ns per parameter (%@)", adam * 1e9, adamNanoseconds == nil ? "measured now on 2^20 parameters" : "--adam-ns"))
        let prediction = ScalingPrediction(sizes: [.init(qubits: 1000, computeSeconds: seconds[0]),
                                                   .init(qubits: 10_000, computeSeconds: seconds[1])],
                                           fabrics: fabrics, adamSecondsPerParameter: adam)
        print(prediction.summary())
        guard let out else { return }
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        for size in prediction.sizes {
            try AtomicFile.write(prediction.csv(size), to: (out as NSString).appendingPathComponent("prediction-\(size.qubits).csv"))
        }
    }
}
