// swift-tools-version:6.0
// Coverage-guided fuzz targets (libFuzzer) for gonet's readers of outside input. Built by
// `scripts/fuzz`, which passes `-sanitize=fuzzer` (and `-parse-as-library`: libFuzzer brings
// `main`); a plain `swift build` of this package does not link.
import PackageDescription

let package = Package(
    name: "gonet-fuzz",
    dependencies: [.package(name: "gonet", path: "..")],
    targets: [
        .target(name: "FuzzSupport"),
        .target(
            name: "FuzzPlayers",
            dependencies: [.product(name: "Engine", package: "gonet"), .product(name: "GoNetwork", package: "gonet")]),
        .executableTarget(
            name: "FuzzSGF", dependencies: ["FuzzSupport", .product(name: "GoRecords", package: "gonet")]),
        .executableTarget(
            name: "FuzzArchive", dependencies: ["FuzzSupport", .product(name: "GoRecords", package: "gonet")]),
        .executableTarget(
            name: "FuzzNetwork",
            dependencies: [
                "FuzzSupport", .product(name: "GoNetwork", package: "gonet"),
                .product(name: "NeuralNet", package: "gonet"),
            ]),
        .executableTarget(
            name: "FuzzGTP",
            dependencies: ["FuzzSupport", "FuzzPlayers", .product(name: "Engine", package: "gonet")]),
        .executableTarget(
            name: "FuzzAnalysis",
            dependencies: ["FuzzSupport", "FuzzPlayers", .product(name: "Engine", package: "gonet")]),
        .executableTarget(
            name: "FuzzONNX", dependencies: ["FuzzSupport", .product(name: "ONNX", package: "gonet")]),
        .executableTarget(
            name: "FuzzConfig", dependencies: ["FuzzSupport", .product(name: "Tournament", package: "gonet")]),
    ],
    swiftLanguageModes: [.v5]
)
