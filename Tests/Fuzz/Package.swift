// swift-tools-version:6.0
// libFuzzer targets for every file parser of IQPCore and the service's request parsing. A package of its own, so that the
// project's `swift build` and `swift test` never see it; built and run by Tests/Fuzz/run
// (`swift build --sanitize=fuzzer --sanitize=address`). docs/reliability.md, "Fuzzing".
import PackageDescription

let package = Package(
    name: "iqp-fuzz",
    platforms: [.macOS(.v14)],
    dependencies: [.package(name: "iqp-trainer", path: "../..")],
    targets: [
        .executableTarget(
            name: "iqp-fuzz",
            dependencies: [.product(name: "IQPCore", package: "iqp-trainer"),
                           .product(name: "IQPService", package: "iqp-trainer")],
            // libFuzzer brings main(); the target only defines LLVMFuzzerTestOneInput.
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]),
    ]
)
