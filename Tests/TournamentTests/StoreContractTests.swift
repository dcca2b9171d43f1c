import Foundation
import StoreContract
import Tournament
import XCTest

/// The rules every tournament store keeps, on SQLite (the same calls run on PostgreSQL in
/// `PostgresTournamentTests.testPostgreSQLKeepsTheStoreContract`).
final class StoreContractTests: XCTestCase {
    func testSQLiteKeepsTheStoreContract() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gonet-contract-\(UUID().uuidString)")
            .path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let t = try Tournament.create(dir)
        XCTAssertEqual(try StoreContract.violations(of: t.store), [])
    }
}
