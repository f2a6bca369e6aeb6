import XCTest
@testable import IQPBench

/// Which library `cblas_dgemm` resolves to (`BLASProvider`): the address lookup in a maps
/// listing, and the linked OpenBLAS in this process (no LD_PRELOAD in the tests).
final class BLASProviderTests: XCTestCase {
    func testMappedFileIsTheMappingThatHoldsTheAddress() {
        let maps = """
        55d0a0000000-55d0a0010000 r-xp 00000000 08:01 1234 /usr/bin/iqp
        7f0000000000-7f0000400000 r-xp 00010000 08:01 99 /usr/lib/x86_64-linux-gnu/blis-pthread/libblis.so.4
        7f0000400000-7f0000500000 rw-p 00000000 00:00 0
        7f1000000000-7f1000800000 r-xp 00000000 08:01 77 /usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0
        """
        XCTAssertEqual(BLASProvider.mappedFile(containing: 0x7f00_0000_1000, maps: maps),
                       "/usr/lib/x86_64-linux-gnu/blis-pthread/libblis.so.4")
        XCTAssertEqual(BLASProvider.mappedFile(containing: 0x7f10_007f_ffff, maps: maps),
                       "/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0")
        XCTAssertNil(BLASProvider.mappedFile(containing: 0x7f00_0040_0000, maps: maps), "anonymous mapping: no file")
        XCTAssertNil(BLASProvider.mappedFile(containing: 0x7f10_0080_0000, maps: maps), "end is exclusive")
    }

    func testThisProcessCallsTheLinkedOpenBLAS() throws {
        try XCTSkipIf(ProcessInfo.processInfo.environment["LD_PRELOAD"] != nil, "a library is preloaded")
        let provider = try XCTUnwrap(BLASProvider.current)
        XCTAssertTrue(provider.path.contains("openblas"), provider.path)
        XCTAssertFalse(provider.isBLIS)
        XCTAssertNil(BLASKernel.current.provider)
        XCTAssertEqual(BLASKernel.current.kernelName, BLASKernel.current.core)
    }

    func testSummaryNamesBLISWhenItRunsTheProducts() {
        var k = BLASKernel(config: "OpenBLAS 0.3.21 DYNAMIC_ARCH", core: "Zen", forcedCoreType: nil, cpuModel: "AMD EPYC",
                           cpuFeatures: ["avx", "avx2", "fma"],
                           provider: BLASProvider(path: "/usr/lib/libblis.so.4", blisArch: "zen3", blisVersion: "0.9.0"))
        XCTAssertEqual(k.kernelName, "BLIS-zen3")
        XCTAssertTrue(k.summary.hasPrefix("BLIS 0.9.0 (/usr/lib/libblis.so.4"), k.summary)
        XCTAssertNil(k.warning)
        k.provider?.blisArch = "generic"
        XCTAssertNotNil(k.warning)
    }
}
