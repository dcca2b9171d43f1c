import Foundation
import GoRecords
import Tournament
import XCTest

final class MatchTests: XCTestCase {
    var dir: String!

    override func setUp() {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("gonet-match-\(UUID().uuidString)").path
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: dir)
    }

    func settings(games: Int) -> MatchSettings {
        // A plays two stones then passes; B passes at once. Whoever holds the stones owns the
        // whole board under area scoring, so A wins every game, with either colour.
        var s = MatchSettings(a: "\(engines)/fixed.sh D4 Q16", b: "\(engines)/fixed.sh")
        s.games = games
        s.openingMoves = 0
        s.secondsPerMove = 5
        return s
    }

    func testAShortMatchRunsToCompletionWithTheRightCountsAndResumes() throws {
        let first = try Match(directory: dir, settings: settings(games: 2))
        let two = try first.run(gonet: gonet, concurrency: 2)
        XCTAssertEqual(two.count, 2)
        // The same directory with more games plays only the missing ones.
        let match = try Match(directory: dir, settings: settings(games: 4))
        var seen: [Int] = []
        let all = try match.run(gonet: gonet, concurrency: 2) { g, _ in seen.append(g.index) }
        XCTAssertEqual(Set(seen), [2, 3])
        XCTAssertEqual(all.count, 4)
        XCTAssertEqual(try match.results().count, 4)
        let st = Match.statistics(all)
        XCTAssertEqual([st.wins, st.draws, st.losses], [4, 0, 0])
        for g in all {
            XCTAssertEqual(g.aIsBlack, g.index % 2 == 0)
            XCTAssertEqual(g.result, g.aIsBlack ? "B+353.5" : "W+368.5", "\(g)")
            // A: two stones and a pass; B's passes around them; the game ends on two passes.
            XCTAssertEqual(g.moves, g.aIsBlack ? 5 : 6)
            let record = try SGFReader.records(text: try String(contentsOfFile: dir + "/" + g.sgf, encoding: .utf8))[0]
            XCTAssertEqual(record.result.description, g.result)
            XCTAssertEqual(record.rules, "Tromp-Taylor")
        }
        // A line cut short by a kill is dropped (that game is played again); garbage elsewhere is an error.
        let results = dir + "/results.jsonl"
        let good = try String(contentsOfFile: results, encoding: .utf8)
        try (good + "{\"index\": 4, \"winn").write(toFile: results, atomically: true, encoding: .utf8)
        XCTAssertEqual(try match.results().count, 4)
        try ("garbage\n" + good).write(toFile: results, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try match.results()) { e in
            XCTAssertTrue("\(e)".contains("results.jsonl line 1 is not a game"), "\(e)")
        }
        try good.write(toFile: results, atomically: true, encoding: .utf8)
        let report = match.report(all).joined(separator: "\n")
        XCTAssertTrue(
            report.contains("4 games: A 4 wins, 0 draws, 0 losses: 100.0% [51.0%, 100.0%], Elo +inf [+7, +inf]"), report
        )
        XCTAssertTrue(report.contains("game length: median 5.5 moves"), report)
        XCTAssertTrue(report.contains("endings: two passes 4"), report)
    }

    func testTheSPRTStopsTheMatchOnceItDecides() throws {
        var s = settings(games: 200)
        // H1 at 400 Elo: each win adds ln(f(400)/0.5) = 0.598, so five wins decide it.
        s.sprt = SPRT(elo0: 0, elo1: 400)
        let match = try Match(directory: dir, settings: s)
        let all = try match.run(gonet: gonet, concurrency: 1)
        XCTAssertEqual(all.count, 5)
        XCTAssertTrue(match.report(all).contains { $0.contains("H1 accepted") })
    }

    func testAnotherMatchInTheSameDirectoryIsRefused() throws {
        _ = try Match(directory: dir, settings: settings(games: 2))
        var other = settings(games: 2)
        other.komi = 6.5
        XCTAssertThrowsError(try Match(directory: dir, settings: other)) { e in
            XCTAssertTrue("\(e)".contains("holds another match"), "\(e)")
        }
        var bad = settings(games: 2)
        bad.openingMoves = 400
        XCTAssertThrowsError(try Match(directory: dir + "-x", settings: bad)) { e in
            XCTAssertTrue("\(e)".contains("opening moves must be 0 to 75"), "\(e)")
        }
        XCTAssertThrowsError(try EngineSpec(parsing: "missing.safetensors:mcts:400")) { e in
            XCTAssertTrue("\(e)".contains("missing.safetensors: no such network file"), "\(e)")
        }
    }
}
