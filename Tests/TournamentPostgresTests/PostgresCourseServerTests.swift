import CourseServer
import Foundation
import GoNetwork
import Hummingbird
import HummingbirdTesting
import NIOCore
import Tournament
import TournamentPostgres
import XCTest

/// `gonet serve` over a PostgreSQL tournament: students, uploads, the verdicts and the teacher's
/// settings are kept in the database, where a second process (a worker, `students list`) sees them.
final class PostgresCourseServerTests: XCTestCase {
    func testUploadsAndTheTeachersSettingsLiveInTheDatabase() async throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("gonet-pgc-\(UUID().uuidString)")
            .path
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let url = try PostgresServer.database()
        var config = TournamentConfig()
        config.parameterBudget = 5_000
        let t = try TournamentLocation.create(url, config: config, cache: scratch)
        let ann = try Roster.add("ann", to: t.store, cost: 4).token
        let boss = try Roster.add("boss", role: .teacher, to: t.store, cost: 4).token
        let net = FamilyNetwork(
            Architecture.Family(
                trunk: .resnet, blocks: 1, filters: 8, policyHead: .conv, policyFilters: 2, valueHead: .pool,
                valueFilters: 2, valueHidden: 4))
        net.initialize(seed: 1)
        let path = scratch + "/net.safetensors"
        try net.save(path: path)
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))

        var settings = ServerSettings()
        settings.uploadLimit = 100_000
        let app = try CourseServer(tournament: t, settings: settings).application()
        try await app.test(.router) { client in
            var body: [UInt8] = Array(
                "--B\r\nContent-Disposition: form-data; name=\"network\"; filename=\"n.safetensors\"\r\n\r\n".utf8)
            body += bytes + Array("\r\n--B--\r\n".utf8)
            let status = try await client.execute(
                uri: "/api/submissions", method: .post,
                headers: [.authorization: "Bearer \(ann)", .contentType: "multipart/form-data; boundary=B"],
                body: ByteBuffer(bytes: body)
            ) { $0.status }
            XCTAssertEqual(status, .ok)
            let set = try await client.execute(
                uri: "/api/teacher/settings", method: .post, headers: [.authorization: "Bearer \(boss)"],
                body: ByteBuffer(string: "{\"paused\": true}")
            ) { $0.status }
            XCTAssertEqual(set, .ok)
        }
        // Another process's view of the same database.
        let other = try TournamentLocation.open(url, cache: scratch + "/other")
        XCTAssertEqual(try other.store.entrants().map(\.label), ["ann"])
        XCTAssertEqual(try other.store.entrants().first?.sha256, SHA256.hex(bytes))
        XCTAssertEqual(try other.store.submissions().map(\.accepted), [true])
        XCTAssertEqual(try other.store.students().map(\.name), ["ann", "boss"])
        XCTAssertTrue(try other.store.courseSettings().paused)
    }
}
