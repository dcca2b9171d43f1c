import Foundation

/// Where the tests find what lives outside them — the checkout, the built executables, GNU Go and
/// the test data folder — in one place for every test target.
public enum TestPaths {
    /// The checkout's root.
    public static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// `.build/<configuration>`, where SwiftPM puts the test bundle and the executables.
    public static let products: URL = {
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            return bundle.bundleURL.deletingLastPathComponent()
        }
        // On Linux the test bundle is an executable next to the products.
        return Bundle.main.bundleURL
    }()

    /// The built `gonet` executable.
    public static let gonet = products.appendingPathComponent("gonet")

    /// GNU Go, or nil when it is not installed (`apt-get install gnugo`).
    public static let gnugo: String? = ["/usr/games/gnugo", "/usr/bin/gnugo", "/usr/local/bin/gnugo"].first(
        where: FileManager.default.isExecutableFile)

    /// The test data folder: `$GONET_SHARED`, or else `shared` beside the checkout, holding real
    /// game records (`data/`) and PyTorch fixtures (`fixtures/`; CONTRIBUTING.md).
    public static let sharedData: URL = {
        if let env = ProcessInfo.processInfo.environment["GONET_SHARED"] { return URL(fileURLWithPath: env) }
        return packageRoot.deletingLastPathComponent().appendingPathComponent("shared")
    }()
}
