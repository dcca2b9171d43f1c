import TestSupport
import XCTest

/// The documented commands that name a PostgreSQL tournament run against a throwaway server, each
/// documented database (`postgres://ann@db.lab/cup`, `$url`) a fresh one per section, scaled down
/// as DocsTests scales the others.
final class PostgresDocsTests: XCTestCase {
    func testEveryDocumentedPostgresCommandRuns() throws {
        guard TestPaths.gnugo != nil else { throw XCTSkip("GNU Go is missing") }
        let commands = try DocumentedCommand.all().filter(\.usesPostgres)
        XCTAssertGreaterThan(commands.count, 15, "the docs show PostgreSQL tournaments")
        let answers = try DocsSandbox.runBySection(commands) { _ in try PostgresServer.database() }
        XCTAssertEqual(answers.count, commands.count, "every command ran")
        for a in answers { XCTAssertNil(a.problem) }
    }
}
