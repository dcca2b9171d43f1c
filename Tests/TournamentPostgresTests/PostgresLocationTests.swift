import TournamentPostgres
import XCTest

final class PostgresLocationTests: XCTestCase {
    func testAURLGivesEveryPartAndTheEnvironmentFillsTheRest() throws {
        let full = try PostgresLocation(
            url: "postgres://ann:s%40cret@db.lab:6543/cup?sslmode=require", environment: [:])
        XCTAssertEqual(full.user, "ann")
        XCTAssertEqual(full.password, "s@cret")
        XCTAssertEqual(full.host, "db.lab")
        XCTAssertEqual(full.port, 6543)
        XCTAssertEqual(full.database, "cup")
        XCTAssertEqual(full.sslMode, "require")
        let bare = try PostgresLocation(
            url: "postgresql://",
            environment: ["PGUSER": "bob", "PGHOST": "h", "PGPORT": "5433", "PGPASSWORD": "pw", "PGSSLMODE": "disable"])
        XCTAssertEqual(
            bare, try PostgresLocation(url: "postgres://bob:pw@h:5433/bob?sslmode=disable", environment: [:]))
        let socket = try PostgresLocation(url: "postgres:///cup?host=/run/postgresql", environment: ["USER": "carl"])
        XCTAssertEqual(socket.host, "/run/postgresql")
        XCTAssertEqual(socket.user, "carl")
        XCTAssertEqual(socket.sslMode, "prefer")
    }

    func testBadURLsAreRefusedNamingWhatIsWrongWithoutThePassword() {
        for (url, message) in [
            ("postgres://a:secret@h:99999/db", "postgres://a:***@h:99999/db: port must be 1 to 65535, not 99999"),
            (
                "postgres://h/db?sslmode=sometimes",
                "postgres://h/db?sslmode=sometimes: sslmode must be disable, allow, prefer, require, verify-ca or verify-full, not sometimes"
            ),
            ("postgres://h/db?colour=blue", "postgres://h/db?colour=blue: unknown parameter colour"),
            ("mysql://h/db", "mysql://h/db: not a postgres:// URL"),
        ] {
            XCTAssertThrowsError(try PostgresLocation(url: url, environment: [:])) { e in
                XCTAssertEqual("\(e)", message)
            }
        }
    }

    func testThePasswordFileIsReadAsLibpqReadsIt() throws {
        let file = """
            # comment
            other:5432:*:ann:wrong
            db.lab:6543:cup:ann:first\\:part
            *:*:*:ann:fallback
            """
        XCTAssertEqual(
            PostgresLocation.password(inPassFile: file, host: "db.lab", port: 6543, database: "cup", user: "ann"),
            "first:part")
        XCTAssertEqual(
            PostgresLocation.password(inPassFile: file, host: "x", port: 1, database: "y", user: "ann"), "fallback")
        XCTAssertNil(PostgresLocation.password(inPassFile: file, host: "x", port: 1, database: "y", user: "bob"))
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("pgpass-\(UUID().uuidString)").path
        try file.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let l = try PostgresLocation(url: "postgres://ann@db.lab:6543/cup", environment: ["PGPASSFILE": path])
        XCTAssertEqual(l.password, "first:part")
        let explicit = try PostgresLocation(
            url: "postgres://ann@db.lab:6543/cup", environment: ["PGPASSFILE": path, "PGPASSWORD": "env"])
        XCTAssertEqual(explicit.password, "env", "PGPASSWORD comes before the file, as in libpq")
    }
}
