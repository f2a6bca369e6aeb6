import Foundation
import IQPCore

/// `iqp info measure-collectives` (docs/distributed.md, "Network model"): times the
/// collectives a training step uses over message sizes m = 8 B … 64 MB on the job's ranks and
/// fits the latency–bandwidth model t(m) = α + β·m per collective.
///
/// m is the whole buffer: allreduce, reduce and broadcast of m bytes; reduce-scatter of m
/// bytes (each of N ranks keeps m/N); allgather to m bytes (each contributes m/N). A size is
/// timed as `repetitions` back-to-back calls after one untimed call, between barriers; the
/// time of a call is the slowest rank's mean (an allreduceMax).
///
/// The fit minimises the relative error Σ_m ((α + β·m − t_m)/t_m)² (weighted least squares,
/// weights 1/t_m²), so the small sizes fix α and the large ones β; `CollectiveFit.predict`.
public enum CollectiveBenchmark {
    public enum Operation: String, CaseIterable, Sendable {
        case allreduce, reduce, broadcast = "bcast", reduceScatter = "reduce_scatter", allgather
    }

    /// One timed size.
    public struct Point: Sendable, Equatable {
        public var operation: Operation
        public var bytes: Int
        public var seconds: Double
        public var repetitions: Int
        public init(operation: Operation, bytes: Int, seconds: Double, repetitions: Int) {
            self.operation = operation; self.bytes = bytes; self.seconds = seconds; self.repetitions = repetitions
        }
    }

    /// α (seconds) and β (seconds per byte) of one collective.
    public struct Fit: Sendable, Equatable {
        public var operation: Operation
        public var alpha: Double
        public var beta: Double
        public func predict(bytes: Int) -> Double { alpha + beta * Double(bytes) }
    }

    /// The sizes 8, 16, 32, … bytes up to `maxBytes`.
    public static func sizes(maxBytes: Int) -> [Int] {
        Array(sequence(first: 8) { $0 * 2 }.prefix { $0 <= maxBytes })
    }

    /// Collective: times every operation at every size. `budget` bounds the seconds spent
    /// per size (at least 3 and at most 1000 repetitions; root decides, every rank follows).
    public static func measure(on communicator: Communicator, sizes: [Int], budget: Double = 0.05) -> [Point] {
        var points: [Point] = []
        for operation in Operation.allCases {
            for bytes in sizes {
                var buffer = [Double](repeating: 1, count: bytes / 8)
                let once = time(operation, &buffer, on: communicator, repetitions: 1)
                var repetitions = [Double(min(1000, max(3, Int(budget / max(once, 1e-7)))))]
                communicator.broadcast(&repetitions, root: 0)
                let seconds = time(operation, &buffer, on: communicator, repetitions: Int(repetitions[0]))
                points.append(Point(operation: operation, bytes: bytes, seconds: seconds, repetitions: Int(repetitions[0])))
            }
        }
        return points
    }

    /// The slowest rank's mean seconds per call. The buffers are allocated before the clock
    /// starts; reduce-scatter and allgather use the pointer forms, so nothing is allocated
    /// inside the timed loop.
    static func time(_ operation: Operation, _ buffer: inout [Double], on communicator: Communicator,
                     repetitions: Int) -> Double {
        let n = communicator.size
        let counts = (0..<n).map { ProcessGrid.block(of: buffer.count, parts: n, index: $0).count }
        var block = [Double](repeating: 1, count: counts[communicator.rank])
        communicator.barrier()
        let start = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<repetitions {
            switch operation {
            case .allreduce: communicator.allreduceSum(&buffer)
            case .reduce: communicator.reduceSum(&buffer, root: 0)
            case .broadcast: communicator.broadcast(&buffer, root: 0)
            case .reduceScatter:
                buffer.withUnsafeBufferPointer { whole in
                    block.withUnsafeMutableBufferPointer { communicator.reduceScatterSum(whole, into: $0, counts: counts) }
                }
            case .allgather:
                block.withUnsafeBufferPointer { mine in
                    buffer.withUnsafeMutableBufferPointer { communicator.allgather(mine, into: $0, counts: counts) }
                }
            }
        }
        var seconds = [Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9 / Double(repetitions)]
        communicator.allreduceMax(&seconds)
        for i in buffer.indices { buffer[i] = 1 }   // keep sums finite over many repetitions
        return seconds[0]
    }

    /// α, β per operation from `points` (relative least squares, see the type).
    public static func fit(_ points: [Point]) -> [Fit] {
        Operation.allCases.compactMap { operation in
            let mine = points.filter { $0.operation == operation && $0.seconds > 0 }
            guard mine.count >= 2 else { return nil }
            // Minimise Σ w (α + β m − t)², w = 1/t²: the 2 × 2 normal equations.
            var s0 = 0.0, s1 = 0.0, s2 = 0.0, r0 = 0.0, r1 = 0.0
            for p in mine {
                let w = 1 / (p.seconds * p.seconds), m = Double(p.bytes)
                s0 += w; s1 += w * m; s2 += w * m * m; r0 += w * p.seconds; r1 += w * m * p.seconds
            }
            let determinant = s0 * s2 - s1 * s1
            guard determinant != 0 else { return nil }
            return Fit(operation: operation, alpha: (r0 * s2 - r1 * s1) / determinant,
                       beta: (s0 * r1 - s1 * r0) / determinant)
        }
    }

    /// CSV: collective,bytes,ranks,seconds,repetitions,model_seconds (the fit's t(m)).
    public static func csv(_ points: [Point], fits: [Fit], ranks: Int) -> String {
        var text = "collective,bytes,ranks,seconds,repetitions,model_seconds\n"
        for p in points {
            let model = fits.first { $0.operation == p.operation }.map { String(format: "%.9g", $0.predict(bytes: p.bytes)) } ?? ""
            text += "\(p.operation.rawValue),\(p.bytes),\(ranks),\(String(format: "%.9g", p.seconds)),\(p.repetitions),\(model)\n"
        }
        return text
    }
}
