import Foundation
import GoRecords
import XCTest

/// The project's `../shared` folder (or `$GONET_SHARED`), holding the real game records.
enum SharedData {
    static let root: URL = {
        if let env = ProcessInfo.processInfo.environment["GONET_SHARED"] { return URL(fileURLWithPath: env) }
        return URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("shared")
    }()

    /// Every SGF collection under `data/`, sorted.
    static func collections() throws -> [String] {
        let data = root.appendingPathComponent("data").path
        guard FileManager.default.fileExists(atPath: data) else {
            throw XCTSkip("../shared/data is missing at \(data)")
        }
        return SourceFiles.expand([data])
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
