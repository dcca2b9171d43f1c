import Foundation
import GTP
import GoRecords
import GoRules
import TestSupport
import Tournament
import XCTest

final class RefereeScoringTests: XCTestCase {

    /// An opening that builds a position: Black's wall on column K, White's on L, Black closes
    /// off the 3x3 top-left corner and White drops a stone into it (B18). Black's side is 190
    /// points, White's 171; komi 12.5.
    var opening: [Move] {
        let corner = [(3, 0), (3, 1), (3, 2), (0, 3), (1, 3), (2, 3), (3, 3)].map { Move.play(Point(x: $0.0, y: $0.1)) }
        let black = (0..<19).map { Move.play(Point(x: 9, y: $0)) } + corner
        let white =
            (0..<19).map { Move.play(Point(x: 10, y: $0)) } + Array(repeating: .pass, count: 6) + [
                .play(Point(x: 1, y: 1))
            ]
        return zip(black, white).flatMap { [$0, $1] }
    }

    /// Both players pass at once; each lists `dead` (GTP vertices) as its dead stones. GNU Go
    /// referees as configured by default (level 10).
    func play(_ scoring: ScoringRule, blackDead: String, whiteDead: String) throws -> GameOutcome {
        let referee = Referee(komi: 12.5, moveCap: 50, secondsPerMove: 5, opening: opening, scoring: scoring)
        let black = try GTPClient(command: ["/usr/bin/env", "DEAD=\(blackDead)", "\(engines)/fixed.sh"])
        let white = try GTPClient(command: ["/usr/bin/env", "DEAD=\(whiteDead)", "\(engines)/fixed.sh"])
        defer {
            black.stop()
            white.stop()
        }
        return referee.play(black: black, white: white, blackName: "b", whiteName: "w", date: "2026-11-26")
    }

    func testADeadStoneListFromGnuGoChangesTheResult() throws {
        guard TestPaths.gnugo != nil else { throw XCTSkip("GNU Go is not installed") }
        // Strict Tromp-Taylor: B18 makes Black's corner nobody's: 181 against 171 + 1 + 12.5.
        let strict = try play(.trompTaylor, blackDead: "", whiteDead: "")
        XCTAssertEqual(strict.result.description, "W+3.5", strict.reason)
        XCTAssertEqual(strict.record.rules, "Tromp-Taylor")
        // The players disagree (Black says B18 is dead, White says nothing is): GNU Go decides
        // that B18 is dead, and Black wins: 190 against 171 + 12.5.
        let refereed = try play(.deadRemoved, blackDead: "B18", whiteDead: "")
        XCTAssertEqual(refereed.result.description, "B+6.5", refereed.reason)
        XCTAssertTrue(
            refereed.reason.contains("dead stones (referee: the players disagree): B ; W B18"), refereed.reason)
        XCTAssertEqual(refereed.record.rules, "Area scoring, dead stones removed")
        let tb = try XCTUnwrap(refereed.record.extraProperties.first { $0.id == "TB" })
        XCTAssertEqual(tb.values.count, 164, "Black's side less its 26 stones, the dead stone included")
        XCTAssertTrue(tb.values.contains("bb"))
        // The players agree: their list stands, and the referee engine is not asked.
        let agreed = try play(.deadRemoved, blackDead: "B18", whiteDead: "B18")
        XCTAssertEqual(agreed.result.description, "B+6.5")
        XCTAssertTrue(agreed.reason.contains("dead stones (players): B ; W B18"), agreed.reason)
        // A list both players agree on counts even when it is wrong.
        let none = try play(.deadRemoved, blackDead: "", whiteDead: "")
        XCTAssertEqual(none.result.description, "W+3.5")
    }

    /// GNU Go self-play games played out to two passes (Chinese rules, scored by GNU Go): the
    /// referee's dead stones (GNU Go's `final_status_list dead` on the final position) give the
    /// recorded result, and gonet's own judgement agrees with GNU Go on the winner.
    func testRefereeScoringMatchesGnuGoOnRecordedFinalPositions() throws {
        guard let gnugo = TestPaths.gnugo else { throw XCTSkip("GNU Go is not installed") }
        let path = TestPaths.packageRoot.appendingPathComponent("Games/gnugo-selfplay-0000.sgf.zst").path
        // The first 12 games that end on a count (a few end by resignation).
        let records = try SGFReader(path: path).map { try $0.record.get() }.filter {
            if case .win(_, .score) = $0.result { true } else { false }
        }.prefix(12)
        XCTAssertEqual(records.count, 12)
        let referee = Referee(
            komi: 7.5, moveCap: 1000, secondsPerMove: 5, scoring: .deadRemoved, refereeEngine: [gnugo, "--mode", "gtp"])
        var sameDead = 0
        var sameWinner = 0
        for r in records {
            let game = try r.replay(koRule: .positionalSuperko)
            let dead = referee.refereeDeadStones(game, why: "test")
            XCTAssertEqual(dead.decidedBy, .referee, dead.note)
            let score = game.score(dead: dead.points)
            XCTAssertEqual(score.description, r.result.description, "GNU Go's own count of its game")
            let ours = Territory(game.board, toMove: game.toMove)
            if Set(ours.deadStones(on: game.board, threshold: Territory.counted)) == dead.points { sameDead += 1 }
            if ours.score(game.board, komi: r.komi).winner == score.winner { sameWinner += 1 }
        }
        // Measured: the same dead stones in 12 of 12 and the same winner in 12 of 12 (seeded playouts).
        XCTAssertGreaterThanOrEqual(sameWinner, 11, "gonet's judgement names GNU Go's winner")
        XCTAssertGreaterThanOrEqual(sameDead, 10, "gonet's dead stones are GNU Go's")
    }
}
