import XCTest
import IQPBench
import IQPCore

/// The BLAS kernel report (parsing, the warning rule) and the correctness check that `iqp blas`
/// runs in each child, here with this process's own kernels.
final class BLASCheckTests: XCTestCase {
    let epycFlags = "fpu sse sse2 avx fma avx2 avx512f avx512dq avx512cd avx512bw avx512vl avx512_bf16 avx512vbmi"

    func testCPUDescriptionFromCpuinfo() {
        let text = "processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC\nflags\t\t: \(epycFlags)\n\nprocessor\t: 1\nmodel name\t: other\n"
        let cpu = CPUDescription.parse(text)
        XCTAssertEqual(cpu.model, "AMD EPYC")
        XCTAssertEqual(cpu.features, ["avx", "avx2", "fma", "avx512f", "avx512dq", "avx512bw", "avx512vl", "avx512_bf16"])
    }

    /// A kernel family below what the CPU can run is reported; the same or a higher one is not.
    func testWarningWhenTheKernelIsBelowTheCPU() {
        var k = BLASKernel(config: "OpenBLAS 0.3.21 DYNAMIC_ARCH Prescott", core: "Prescott", forcedCoreType: nil,
                           cpuModel: "Xeon", cpuFeatures: ["avx", "avx2", "fma", "avx512f", "avx512dq", "avx512bw", "avx512vl"])
        XCTAssertEqual(k.capableCore, "SkylakeX")
        XCTAssertNotNil(k.warning)
        XCTAssertTrue(k.warning!.contains("iqp blas"))
        k.core = "SkylakeX"
        XCTAssertNil(k.warning)
        k.core = "Haswell"; k.forcedCoreType = "Haswell"
        XCTAssertTrue(k.summary.contains("forced by OPENBLAS_CORETYPE=Haswell"), k.summary)
        XCTAssertNotNil(k.warning)
        k.cpuFeatures = ["avx", "avx2", "fma"]
        XCTAssertNil(k.warning, "Haswell is the best an AVX2 CPU can run")
        k.cpuFeatures = []
        XCTAssertNil(k.capableCore)
        XCTAssertNil(k.warning, "no warning without CPU information")
        XCTAssertEqual(BLASKernel.tier(ofCore: "Cooperlake"), BLASKernel.tier(ofCore: "SkylakeX"))
        XCTAssertLessThan(BLASKernel.tier(ofCore: "Zen"), BLASKernel.tier(ofCore: "SkylakeX"))
    }

    /// The check passes with this process's kernels, and its line survives the trip to the parent.
    func testSelfCheckPassesAndRoundTrips() throws {
        let r = BLASSelfTest.run(size: 96, repetitions: 1)
        XCTAssertTrue(r.correct, r.line)
        XCTAssertGreaterThan(r.dgemmGflops, 0)
        XCTAssertEqual(r.core, BLASKernel.current.core)
        let back = try XCTUnwrap(BLASSelfTest.Result(line: r.line))
        XCTAssertEqual(back, r)
        XCTAssertNil(BLASSelfTest.Result(line: "core=Haswell dgemm=3"))
        var wrong = r
        wrong.doubleError = 1e-6
        XCTAssertFalse(wrong.correct)
    }
}
