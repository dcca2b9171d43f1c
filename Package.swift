// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "gonet",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "gonet", targets: ["gonet"]),
        .library(name: "GoRules", targets: ["GoRules"]),
        .library(name: "GoRecords", targets: ["GoRecords"]),
        .library(name: "NeuralNet", targets: ["NeuralNet"]),
        .library(name: "GoNetwork", targets: ["GoNetwork"]),
        .library(name: "Training", targets: ["Training"]),
        .library(name: "Engine", targets: ["Engine"]),
        .library(name: "Tournament", targets: ["Tournament"]),
        .library(name: "GTP", targets: ["GTP"]),
        .library(name: "TournamentPostgres", targets: ["TournamentPostgres"]),
        .library(name: "ONNX", targets: ["ONNX"]),
        .library(name: "CourseServer", targets: ["CourseServer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.5.3"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.25.0"),
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.28.0"),
        // Without the default traits: swift-configuration is not needed by the course server.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.0", traits: []),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CBLAS", pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(
            name: "CZstd", pkgConfig: "libzstd",
            providers: [.apt(["libzstd-dev"])]),
        .target(name: "GoRules"),
        .target(name: "CStandardOutput"),
        .target(name: "CKernels"),
        .target(name: "GTP"),
        .target(name: "GoRecords", dependencies: ["GoRules", "CZstd"]),
        .target(name: "NeuralNet", dependencies: ["CBLAS", "CKernels"]),
        .target(name: "GoNetwork", dependencies: ["GoRules", "NeuralNet"]),
        .target(name: "Engine", dependencies: ["GoRules", "GoRecords", "GoNetwork"]),
        .target(
            name: "Tournament",
            dependencies: ["GTP", "GoRules", "GoRecords", "GoNetwork", .product(name: "GRDB", package: "GRDB.swift")]),
        .target(
            name: "TournamentPostgres",
            dependencies: [
                "Tournament", .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"), .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]),
        .target(
            name: "ONNX",
            dependencies: ["GoNetwork", "NeuralNet", .product(name: "SwiftProtobuf", package: "swift-protobuf")],
            exclude: ["onnx.proto", "GENERATED.md"]),
        .target(
            name: "CourseServer",
            dependencies: [
                "Tournament", "ONNX", "GoNetwork", "GoRecords",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ]),
        .target(
            name: "Training", dependencies: ["GoRecords", "GoNetwork", "GoRules", "NeuralNet"]),
        .executableTarget(
            name: "gonet",
            dependencies: [
                "GoRules", "GoRecords", "NeuralNet", "GoNetwork", "Training", "Engine", "Tournament",
                "TournamentPostgres", "GTP", "ONNX", "CourseServer", "CStandardOutput",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .testTarget(name: "GoRulesTests", dependencies: ["GoRules"]),
        .testTarget(
            name: "GoRecordsTests", dependencies: ["TestSupport", "GoRecords", "GoRules", "GTP"], exclude: ["Records"]),
        .testTarget(name: "NeuralNetTests", dependencies: ["NeuralNet"]),
        .testTarget(
            name: "GoNetworkTests", dependencies: ["TestSupport", "GoNetwork", "NeuralNet"], exclude: ["Fixtures"]),
        .testTarget(
            name: "EngineTests",
            dependencies: ["TestSupport", "Engine", "GoNetwork", "GoRules", "GoRecords", "NeuralNet", "GTP", "gonet"],
            exclude: ["Fixtures"]),
        // Where every test target finds the checkout, the executables, GNU Go and the test data.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        // The rules every tournament store keeps, run by the SQLite and the PostgreSQL tests.
        .target(name: "StoreContract", dependencies: ["Tournament"], path: "Tests/StoreContract"),
        .testTarget(
            name: "TournamentTests",
            dependencies: [
                "TestSupport",
                "Tournament", "StoreContract", "GTP", "GoRules", "GoRecords", "GoNetwork", "NeuralNet", "gonet",
            ],
            exclude: ["Engines"]),
        .testTarget(
            name: "TournamentPostgresTests",
            dependencies: [
                "TestSupport", "TournamentPostgres", "Tournament", "StoreContract", "GoNetwork", "NeuralNet", "gonet",
                "CourseServer", .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]),
        .testTarget(
            name: "ONNXTests", dependencies: ["TestSupport", "ONNX", "GoNetwork", "NeuralNet", "GoRules"],
            exclude: ["run_onnx.py", "split_graph.py", "Fixtures"]),
        .testTarget(
            name: "CourseServerTests",
            dependencies: [
                "TestSupport", "CourseServer", "Tournament", "GoNetwork", "NeuralNet",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]),
        .testTarget(
            name: "TrainingTests", dependencies: ["TestSupport", "Training", "GoRecords", "GoNetwork", "GoRules"]),
        .testTarget(
            name: "gonetTests", dependencies: ["TestSupport", "gonet", "NeuralNet", "GoRecords"], exclude: ["Clients"]),
    ],
    swiftLanguageModes: [.v6]
)
