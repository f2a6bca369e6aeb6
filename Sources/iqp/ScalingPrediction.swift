import Foundation
import IQPBench
import IQPCore
import IQPPlot

/// `iqp info predict-scaling` (docs/distributed.md, "Prediction"): `ScalingModel` for the
/// 1000- and 10,000-qubit models on 1…1024 ranks, both optimizers, over the assumed fabrics
/// and, with `--collectives FILE`, the network measured by `iqp info measure-collectives`
/// (its 2-rank broadcast fit is one message: α, β point to point).
struct ScalingPrediction {
    /// A model size: all generators of weight ≤ 2 on n qubits, K = 3, B = 1000.
    struct ModelSize {
        var qubits: Int
        /// T₁: one rank's local compute per step (seconds).
        var computeSeconds: Double
    }

    /// The assumed fabrics: published figures, not measurements (docs/distributed.md,
    /// "Prediction", gives the sources). ib100, 100 Gb/s InfiniBand: α = 1.5 µs, 1/β = 12 GB/s
    /// (OSU osu_latency/osu_bw on EDR with ConnectX-5; line rate 12.5 GB/s). eth25, 25 Gb/s
    /// Ethernet over kernel TCP: α = 15 µs, 1/β = 2.9 GB/s (line rate 3.125 GB/s less about 6 %
    /// framing). A cluster's own figures come from `iqp info measure-collectives`.
    static let assumedFabrics = [
        ScalingModel.Fabric(name: "ib100", alpha: 1.5e-6, beta: 1 / 12.0e9),
        ScalingModel.Fabric(name: "eth25", alpha: 15e-6, beta: 1 / 2.9e9),
    ]
    static let ranks = [1] + (1...10).map { 1 << $0 }

    var sizes: [ModelSize]
    var fabrics: [ScalingModel.Fabric]
    var adamSecondsPerParameter: Double

    /// The fabric of an `iqp info measure-collectives` CSV: the bcast rows' α–β fit.
    static func measuredFabric(csv path: String) throws -> ScalingModel.Fabric {
        let table = try CSVTable.read(path: path)
        let names = try table.strings("collective")
        let bytes = try table.numbers("bytes", emptyAllowed: false), seconds = try table.numbers("seconds", emptyAllowed: false)
        let points = names.indices.filter { names[$0] == "bcast" }.map { row in
            CollectiveBenchmark.Point(operation: .broadcast, bytes: Int(bytes[row]!), seconds: seconds[row]!, repetitions: 1)
        }
        guard let fit = CollectiveBenchmark.fit(points).first else {
            throw IQPError("needs at least two bcast rows to fit α and β", file: path)
        }
        return ScalingModel.Fabric(name: "measured", alpha: fit.alpha, beta: fit.beta)
    }

    func model(_ size: ModelSize) -> ScalingModel {
        ScalingModel(parameters: size.qubits * (size.qubits + 1) / 2, sigmas: 3, strings: 1000,
                     computeSeconds: size.computeSeconds, adamSecondsPerParameter: adamSecondsPerParameter)
    }

    /// One CSV per model size: ranks, then step seconds and efficiency per fabric and optimizer.
    func csv(_ size: ModelSize) -> String {
        let model = model(size)
        var columns = ["ranks"]
        for fabric in fabrics {
            for optimizer in OptimizerKind.allCases {
                columns += ["\(fabric.name)_\(optimizer.rawValue)_step", "\(fabric.name)_\(optimizer.rawValue)_efficiency"]
            }
        }
        var text = columns.joined(separator: ",") + "\n"
        for n in Self.ranks {
            var cells = ["\(n)"]
            for fabric in fabrics {
                for optimizer in OptimizerKind.allCases {
                    cells.append(String(format: "%.6g", model.stepSeconds(ranks: n, optimizer: optimizer, fabric: fabric)))
                    cells.append(String(format: "%.4f", model.efficiency(ranks: n, optimizer: optimizer, fabric: fabric)))
                }
            }
            text += cells.joined(separator: ",") + "\n"
        }
        return text
    }

    /// The printed summary: per size and fabric, efficiency at a few rank counts and root's
    /// Adam memory and time.
    func summary() -> String {
        var lines: [String] = []
        for size in sizes {
            let model = model(size)
            lines.append("\(size.qubits) qubits: p = \(model.parameters), T1 = \(size.computeSeconds) s; root Adam state "
                         + "\(model.rootOptimizerBytes(ranks: 1, optimizer: .root) >> 20) MiB, "
                         + String(format: "%.3g s/step", model.adamSeconds(ranks: 1, optimizer: .root)))
            for fabric in fabrics {
                let cells = [64, 1024].flatMap { n in
                    OptimizerKind.allCases.map { optimizer in
                        String(format: "%@ N=%d: %.3g s/step, efficiency %.2f", optimizer.rawValue, n,
                               model.stepSeconds(ranks: n, optimizer: optimizer, fabric: fabric),
                               model.efficiency(ranks: n, optimizer: optimizer, fabric: fabric))
                    }
                }
                lines.append(String(format: "  %@ (α = %.3g µs, 1/β = %.3g GB/s): ", fabric.name, fabric.alpha * 1e6,
                                    1e-9 / fabric.beta) + cells.joined(separator: "; "))
            }
        }
        return lines.joined(separator: "\n")
    }
}
