import CourseServer
import Foundation
import Hummingbird
import HummingbirdTesting
import TestSupport
import Tournament
import XCTest

/// Every seed of the network and ONNX fuzz corpora, and the ONNX fixtures, handed in through the
/// server: each gets a verdict (accepted or refused), the server answers after them all, and only
/// accepted files become entrants.
final class HostileUploadTests: XCTestCase {
    func testTheFuzzCorporaThroughTheServer() async throws {
        let f = try CourseFixture()
        var files: [URL] = []
        for folder in ["Fuzz/Corpus/FuzzNetwork", "Fuzz/Corpus/FuzzONNX", "Tests/ONNXTests/Fixtures"] {
            let dir = TestPaths.packageRoot.appendingPathComponent(folder)
            for name in try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
            where !name.hasSuffix(".py") {
                files.append(dir.appendingPathComponent(name))
            }
        }
        XCTAssertGreaterThan(files.count, 10)
        let app = try f.server { $0.uploadLimit = 2_000_000 }.application()
        let all = files
        let accepted = try await app.test(.router) { client in
            var accepted = 0
            for file in all {
                let bytes = [UInt8](try Data(contentsOf: file))
                // Cut files too: a truncated upload is the commonest hostile one.
                for body in [bytes, Array(bytes.prefix(bytes.count * 2 / 3))] {
                    let (status, json) = try await CourseFixture.upload(
                        client, body, file: file.lastPathComponent, token: f.tokens["ann"])
                    XCTAssertTrue(
                        [.ok, .unprocessableContent].contains(status), "\(file.lastPathComponent): \(status)")
                    XCTAssertNotNil(json["accepted"] as? Bool, file.lastPathComponent)
                    if status == .ok { accepted += 1 }
                }
            }
            let (status, _) = try await CourseFixture.get(client, "/api/status")
            XCTAssertEqual(status, .ok)
            return accepted
        }
        XCTAssertEqual(try f.tournament.store.entrants().count, accepted)
        XCTAssertEqual(try f.tournament.store.submissions().count, files.count * 2)
    }
}
