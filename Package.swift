// swift-tools-version:6.0
// The IQP trainer: distributed training of IQP quantum generative models.
import PackageDescription

let package = Package(
    name: "iqp-trainer",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "iqp", targets: ["iqp"]),
        .library(name: "IQPCore", targets: ["IQPCore"]),
        // The service as a library: Tests/Fuzz fuzzes its request parsing (job body, query string).
        .library(name: "IQPService", targets: ["IQPService"]),
        // The C ABI the Python package `iqp` loads with ctypes (Sources/iqp-python, docs/python.md).
        .library(name: "IQPPython", type: .dynamic, targets: ["IQPPython"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // C boundaries: Debian's OpenBLAS and Open MPI as system libraries.
        .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CMPI", pkgConfig: "ompi-c",
                       providers: [.apt(["libopenmpi-dev", "openmpi-bin"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),

        // The hot inner loops in C, compiled per instruction-set level and chosen at run time.
        .target(name: "CIQPKernels", exclude: ["README.md"]),
        // The model, estimator, loss, gradient, optimizer and training loop. No MPI.
        .target(name: "IQPCore", dependencies: ["COpenBLAS", "CIQPKernels", "CZlib"], exclude: ["README.md"]),
        // The only module that imports Open MPI: a Communicator over MPI_COMM_WORLD.
        .target(name: "IQPMPI", dependencies: ["IQPCore", "CMPI"], exclude: ["README.md"]),
        // Measurement: `iqp bench` (step timings, breakdown), `iqp blas` (the BLAS kernel and its self-check),
        // `iqp info`'s collective timings and scaling model. Not linked into the trainer's core.
        .target(name: "IQPBench", dependencies: ["IQPCore", "COpenBLAS"], exclude: ["README.md"]),
        // Exact sampling of IQP circuits (two fast Walsh-Hadamard transforms).
        .target(name: "IQPSampler", dependencies: ["IQPCore"], exclude: ["README.md"]),
        // The shared sampler service (HTTP/JSON on Hummingbird 2) and its client.
        .target(name: "IQPService", dependencies: [
            "IQPCore", "IQPSampler",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ], exclude: ["README.md"]),
        // The C ABI (`@_cdecl`) of the Python package: IQPCore and the sampler in-process.
        .target(name: "IQPPython", dependencies: ["IQPCore", "IQPSampler"], exclude: ["README.md"]),
        // SVG charts drawn by the project itself (`iqp plot`). No dependencies.
        .target(name: "IQPPlot", exclude: ["README.md"]),
        .executableTarget(name: "iqp", dependencies: [
            "IQPCore", "IQPMPI", "IQPSampler", "IQPService", "IQPPlot", "IQPBench",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Yams", package: "Yams"),
        ], exclude: ["README.md"]),

        // Brute-force references and child-process helpers shared by the test targets.
        .target(name: "IQPTestSupport", dependencies: ["IQPCore"], path: "Tests/IQPTestSupport",
                exclude: ["README.md"]),
        .testTarget(name: "IQPCoreTests", dependencies: ["IQPCore", "IQPTestSupport"]),
        .testTarget(name: "IQPDistributedTests", dependencies: ["IQPCore", "IQPMPI", "IQPTestSupport"]),
        .testTarget(name: "IQPServiceTests", dependencies: [
            "IQPCore", "IQPSampler", "IQPService", "IQPTestSupport",
            .product(name: "HummingbirdTesting", package: "hummingbird"),
        ]),
        .testTarget(name: "IQPPlotTests", dependencies: ["IQPPlot", "IQPTestSupport"]),
        .testTarget(name: "IQPBenchTests", dependencies: ["IQPBench", "IQPCore", "IQPTestSupport"]),
        .testTarget(name: "IntegrationTests", dependencies: ["IQPCore", "IQPSampler", "IQPTestSupport"]),
    ]
)
