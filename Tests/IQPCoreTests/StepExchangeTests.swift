import XCTest
@testable import IQPCore

/// `StepExchange`: the layouts of a step's collectives (docs/distributed.md, "One training
/// step"), and the one order of `StopSignal`.
final class StepExchangeTests: XCTestCase {
    let sums = StepSums(gradient: [1, 2, 3], parameterCount: 3,
                        loss: LossPerSigma(train: [10, 20], validation: [30, 40]), stopRequests: 2)

    func testReductionBufferIsGradientLossesValidationStop() {
        let exchange = StepExchange(parameterCount: 3, sigmaCount: 2, hasValidation: true)
        let buffer = exchange.pack(sums)
        XCTAssertEqual(buffer, [1, 2, 3, 10, 20, 30, 40, 2])
        XCTAssertEqual(exchange.unpack(buffer), sums)
    }

    func testWithoutValidationTheSlotsAreZerosAndReadAsNone() {
        let exchange = StepExchange(parameterCount: 2, sigmaCount: 2, hasValidation: false)
        let share = StepSums(gradient: [], parameterCount: 2, loss: LossPerSigma(train: [0.5, 1.5], validation: nil))
        let buffer = exchange.pack(share)
        XCTAssertEqual(buffer, [0, 0, 0.5, 1.5, 0, 0, 0])
        let back = exchange.unpack(buffer)
        XCTAssertEqual(back, share)
        XCTAssertNil(back.loss.validationMean)
        XCTAssertEqual(back.loss.trainMean, 1)
    }

    /// Root's block of the reduce-scatter carries the 2K + 1 loss slots in front of its slice.
    func testScatterPutsTheLossesInFrontOfRootsBlock() {
        let exchange = StepExchange(parameterCount: 3, sigmaCount: 2, hasValidation: true)
        let (buffer, counts) = exchange.packScattered(sums, blocks: [2, 1])
        XCTAssertEqual(buffer, [10, 20, 30, 40, 2, 1, 2, 3])
        XCTAssertEqual(counts, [7, 1])
        let root = exchange.unpackScattered(Array(buffer[0..<7]), isRoot: true)
        XCTAssertEqual(root.gradient, [1, 2])
        XCTAssertEqual(root.sums?.loss, sums.loss)
        XCTAssertEqual(root.sums?.stopRequests, 2)
        let other = exchange.unpackScattered([3], isRoot: false)
        XCTAssertEqual(other.gradient, [3])
        XCTAssertNil(other.sums)
    }

    func testDecisionTravelsWithTheta() {
        for signal in StopSignal.allCases {
            let buffer = StepExchange.pack(params: [0.25, -1], signal: signal)
            XCTAssertEqual(buffer.count, 3)
            let back = StepExchange.unpack(buffer, parameterCount: 2)
            XCTAssertEqual(back.params, [0.25, -1])
            XCTAssertEqual(back.signal, signal)
        }
        XCTAssertEqual(StepExchange.unpack([1, .nan], parameterCount: 1).signal, .diverged)
    }

    /// The allgather's blocks assemble θ in rank order, and the most severe decision wins.
    func testGatheredBlocksAssembleThetaAndTheMostSevereDecision() {
        let all = StepExchange.pack(params: [1, 2], signal: .converged)
            + StepExchange.pack(params: [], signal: .proceed)
            + StepExchange.pack(params: [3], signal: .stopRequested)
        let gathered = StepExchange.unpackGathered(all, blocks: [2, 0, 1])
        XCTAssertEqual(gathered.params, [1, 2, 3])
        XCTAssertEqual(gathered.signal, .converged)
    }

    func testStopSignalHasOneOrder() {
        XCTAssertEqual(StopSignal.allCases.sorted(), [.proceed, .stopRequested, .converged, .diverged])
        XCTAssertEqual(StopSignal.stopRequested.raised(to: .converged), .converged)
        XCTAssertEqual(StopSignal.diverged.raised(to: .converged), .diverged)
        XCTAssertEqual(StopSignal.checking([1, .infinity]), .diverged)
        XCTAssertEqual(StopSignal.checking([1, 2]), .proceed)
    }
}
