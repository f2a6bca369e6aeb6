import ArgumentParser
import IQPSampler

/// `--precision complex64|complex128` of serve, sample and simulator-bench.
extension Precision: ExpressibleByArgument {}

/// `--precision` of `iqp simulator-bench`: one precision or both.
enum PrecisionChoice: String, ExpressibleByArgument, CaseIterable {
    case complex64, complex128, both

    var precisions: [Precision] {
        switch self {
        case .complex64: return [.complex64]
        case .complex128: return [.complex128]
        case .both: return Precision.allCases
        }
    }
}

/// A memory size option: `auto` or bytes (`12G`, `512MiB`, `1000000`).
enum MemoryBudget: Equatable {
    case automatic
    case bytes(Int)

    /// The option's transform: the reason of a refusal becomes the parser's message.
    @Sendable static func parse(_ text: String) throws -> MemoryBudget {
        do {
            guard let bytes = try SamplerLimits.parseBytes(text) else { return .automatic }
            guard bytes >= 1 << 20 else {
                throw ValidationError("\(bytes) bytes is less than the smallest budget, 1 MiB")
            }
            return .bytes(bytes)
        } catch let error as ValidationError {
            throw error
        } catch {
            throw ValidationError("expected auto, a number of bytes, or a size such as 12G or 512MiB")
        }
    }
}
