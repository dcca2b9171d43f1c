import Foundation
import GoRecords
import TestSupport
import XCTest

/// The test data folder, `$GONET_SHARED` or else `shared` beside the checkout, holding the real
/// game records (CONTRIBUTING.md).
enum SharedData {
    static let root: URL = {
        TestPaths.sharedData
    }()

    /// Every SGF collection under `data/`, sorted.
    static func collections() throws -> [String] {
        let data = root.appendingPathComponent("data").path
        guard FileManager.default.fileExists(atPath: data) else {
            throw XCTSkip("no game records at \(data)")
        }
        return try SourceFiles.expand([data])
    }

    /// Debug builds of numeric Swift are slow: corpus-wide checks read every game in release
    /// builds and this many games per file in debug builds.
    static var gamesPerFileLimit: Int {
        #if DEBUG
            return 500
        #else
            return .max
        #endif
    }
}
