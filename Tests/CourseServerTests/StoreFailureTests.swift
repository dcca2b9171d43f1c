import CourseServer
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Tournament
import XCTest

/// A store that stops answering (a database gone away) while the server runs: requests that need
/// it get a 503 or 401 saying so, pages from the last snapshot still answer, and once the store is
/// back everything works again.
final class StoreFailureTests: XCTestCase {
    /// A SQLite store that fails every call while `down` is set. Sendable: the test sets `down`
    /// only between requests.
    final class FlakyStore: TournamentStore, @unchecked Sendable {
        let inner: SQLiteStore
        var down = false
        init(_ inner: SQLiteStore) { self.inner = inner }
        func check() throws { if down { throw TournamentError("the database is unreachable") } }
        func config() throws -> TournamentConfig { try inner.config() }
        func add(_ e: Entrant, network: [UInt8]?) throws -> Entrant {
            try check()
            return try inner.add(e, network: network)
        }
        func entrants() throws -> [Entrant] {
            try check()
            return try inner.entrants()
        }
        func games() throws -> [GameRow] {
            try check()
            return try inner.games()
        }
        func network(sha256: String) throws -> [UInt8] {
            try check()
            return try inner.network(sha256: sha256)
        }
        func schedule(_ s: [ScheduledSlot]) throws -> Int {
            try check()
            return try inner.schedule(s)
        }
        func claim(by w: WorkerIdentity, lease: TimeInterval, skipping: Set<Int64>) throws -> Claim? {
            try check()
            return try inner.claim(by: w, lease: lease, skipping: skipping)
        }
        func renew(_ c: Claim, lease: TimeInterval) throws -> Bool {
            try check()
            return try inner.renew(c, lease: lease)
        }
        func commit(_ g: GameRow, record: String, for c: Claim) throws -> Bool {
            try check()
            return try inner.commit(g, record: record, for: c)
        }
        func release(_ c: Claim, reason: String) throws {
            try check()
            try inner.release(c, reason: reason)
        }
        func releaseAbandoned(on host: String, alive: (Int32) -> Bool) throws -> Int {
            try check()
            return try inner.releaseAbandoned(on: host, alive: alive)
        }
        func record(of g: GameRow) throws -> String? {
            try check()
            return try inner.record(of: g)
        }
        func status() throws -> StoreStatus {
            try check()
            return try inner.status()
        }
        func add(_ s: Student) throws -> Student {
            try check()
            return try inner.add(s)
        }
        func students() throws -> [Student] {
            try check()
            return try inner.students()
        }
        func revokeStudent(named n: String) throws -> Int {
            try check()
            return try inner.revokeStudent(named: n)
        }
        func add(_ s: SubmissionRecord) throws -> SubmissionRecord {
            try check()
            return try inner.add(s)
        }
        func submissions() throws -> [SubmissionRecord] {
            try check()
            return try inner.submissions()
        }
        func courseSettings() throws -> CourseSettings {
            try check()
            return try inner.courseSettings()
        }
        func setCourseSettings(_ s: CourseSettings) throws {
            try check()
            try inner.setCourseSettings(s)
        }
    }

    func testADeadStoreIsAnsweredClearlyAndTheServerRecovers() async throws {
        let f = try CourseFixture()
        let store = FlakyStore(try SQLiteStore(directory: f.dir))
        let t = try Tournament(store: store, workspace: f.dir)
        let app = try CourseServer(tournament: t, settings: ServerSettings()).application()
        try await app.test(.router) { client in
            store.down = true
            var (status, json) = try await CourseFixture.upload(client, f.small, token: f.tokens["ann"])
            XCTAssertEqual(status, .serviceUnavailable)
            XCTAssertEqual(json["error"] as? String, "the server could not answer: the database is unreachable")
            let (pageStatus, page) = try await CourseFixture.get(client, "/")
            XCTAssertEqual(pageStatus, .ok, "the last snapshot is still shown")
            XCTAssertTrue(page.contains("<table id=\"standings\">"))
            store.down = false
            (status, json) = try await CourseFixture.upload(client, f.small, token: f.tokens["ann"])
            XCTAssertEqual(status, .ok)
            XCTAssertEqual(json["accepted"] as? Bool, true)
        }
    }
}
