import Foundation
import GTP
import TestSupport
import XCTest

/// GNU Go at level 0 through gonet's one GTP client, for differential tests.
enum GnuGo {
    /// The binary, or nil when GNU Go is not installed.
    static var binary: String? { TestPaths.gnugo }

    /// A running GNU Go, or a skip when it is not installed.
    static func start() throws -> GTPClient {
        guard let path = binary else {
            throw XCTSkip("GNU Go is not installed (apt-get install gnugo): differential test skipped")
        }
        return try GTPClient(command: [path, "--mode", "gtp", "--level", "0"])
    }
}
