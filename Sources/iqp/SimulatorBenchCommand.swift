import ArgumentParser
import Foundation
import IQPCore
import IQPSampler

/// `iqp simulator-bench`: the exact simulator's time per phase for n = 20…28.
struct SimulatorBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulator-bench",
        abstract: "Time the exact sampler by phase for a range of qubit counts.",
        discussion: """
            Each row is one job on the circuit with every generator of weight ≤ 2: building v, \
            the first FWHT (v → phase F, real), e^{iF}, the second FWHT (complex amplitudes), and \
            drawing the shots. 'bytes' is what a transform reads plus writes over all its sweeps \
            through memory; GB/s is bytes / seconds, to compare with the machine's memory \
            bandwidth. Sizes over the automatic memory budget (half of this machine, at most 3/4 \
            of what is available) are skipped. IQP_NUM_THREADS sets the number of threads.
            """)

    @Option(name: .customLong("min-qubits"), help: "Smallest n.")
    var minQubits = 20

    @Option(name: .customLong("max-qubits"), help: "Largest n.")
    var maxQubits = 28

    @Option(help: "State-vector precision, or both.")
    var precision = PrecisionChoice.complex128

    @Option(help: "Shots drawn per job.")
    var shots = 1000

    @Option(help: "Seed of the parameters and shots.")
    var seed: UInt64 = 1

    func validate() throws {
        guard minQubits >= 1, maxQubits >= minQubits, maxQubits <= ExactIQPSimulator.maxQubits else {
            throw ValidationError("need 1 ≤ --min-qubits ≤ --max-qubits ≤ \(ExactIQPSimulator.maxQubits)")
        }
        guard shots >= 1 else { throw ValidationError("--shots must be at least 1") }
    }

    func run() async throws {
        let precisions = precision.precisions
        let limits = SamplerLimits.automatic()
        print("n   generators  precision   state      build s  FWHT1 s  exp s    FWHT2 s  sample s total s  "
            + "FWHT1 bytes  FWHT1 GB/s  FWHT2 bytes  FWHT2 GB/s")
        for p in precisions {
            for n in minQubits...maxQubits {
                do {
                    try limits.admit(nQubits: n, kind: .iqp, precision: p, shots: shots, budgetName: "the automatic budget")
                } catch {
                    print("\(n): skipped: \(error)")
                    continue
                }
                let row = try SimulatorBenchmark.run(nQubits: n, precision: p, shots: shots, seed: seed)
                let t = row.timings
                let g1 = SimulatorBenchmark.Row.throughput(bytes: t.phaseTransformBytes, seconds: t.phaseTransformSeconds)
                let g2 = SimulatorBenchmark.Row.throughput(bytes: t.amplitudeTransformBytes,
                                                           seconds: t.amplitudeTransformSeconds)
                func pad(_ text: String, _ width: Int) -> String {
                    text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
                }
                func s(_ x: Double) -> String { pad(String(format: "%.3f", x), 9) }
                func gbs(_ x: Double) -> String { pad(String(format: "%.2f", x), 12) }
                print(pad("\(n)", 4) + pad("\(row.generators)", 12) + pad(p.rawValue, 12)
                    + pad(formatBytes(row.stateBytes), 11)
                    + s(t.buildSeconds) + s(t.phaseTransformSeconds) + s(t.exponentiateSeconds)
                    + s(t.amplitudeTransformSeconds) + s(t.samplingSeconds) + s(t.totalSeconds)
                    + pad(formatBytes(t.phaseTransformBytes), 13) + gbs(g1)
                    + pad(formatBytes(t.amplitudeTransformBytes), 13) + gbs(g2))
            }
        }
    }
}
