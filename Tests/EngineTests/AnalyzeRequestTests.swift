import Engine
import Foundation
import GoRules
import XCTest

/// Leela Zero's and KataGo's analysis argument grammar, and the restrictions honoured by the players.
final class AnalyzeRequestTests: XCTestCase {
    func parse(_ line: String, toMove: Stone = .black, nextMove: Int = 1) throws -> AnalyzeRequest {
        try AnalyzeRequest(line.split(separator: " ").map(String.init), toMove: toMove, nextMove: nextMove)
    }

    func testEveryLeelaZeroArgumentForm() throws {
        let forms = [
            "", "b", "w 50", "50", "interval 50", "b interval 50", "white interval 20", "avoid b q16 1",
            "avoid b q16,d4 1 50", "avoid b q16 1 interval 50", "b avoid w q16:r17 3 interval 50",
            "allow b q16,d4 2", "allow w A1:T19 1 w 10", "minmoves 5", "b 10 minmoves 3",
            "avoid b pass 1 allow b q16 1", "interval 50 avoid b q16 1 avoid w d4 2", "B 100", "BLACK Interval 100",
            "kata: ownership true", "w interval 10 ownership false",
        ]
        for form in forms {
            let words = form.hasPrefix("kata: ") ? String(form.dropFirst(6)) : form
            XCTAssertNoThrow(try parse(words), form)
        }
        let r = try parse("w avoid b q16:r17,d4 3 interval 25 minmoves 4 ownership true", toMove: .black, nextMove: 11)
        XCTAssertEqual(r.color, .white)
        XCTAssertEqual(r.interval, 0.25)
        XCTAssertEqual(r.minMoves, 4)
        XCTAssertTrue(r.ownership)
        // The rectangle's four points and D4, for Black until move 13 (3 moves from move 11).
        let q16 = Move.play(Point(x: 15, y: 3))
        let r17 = Move.play(Point(x: 16, y: 2))
        let d4 = Move.play(Point(x: 3, y: 15))
        for m in [q16, r17, d4] {
            XCTAssertFalse(r.restrictions.permits(m, by: .black, moveNumber: 13))
            XCTAssertTrue(r.restrictions.permits(m, by: .black, moveNumber: 14))
            XCTAssertTrue(r.restrictions.permits(m, by: .white, moveNumber: 11))
        }
        XCTAssertEqual(try parse("").interval, 1)
        XCTAssertEqual(try parse("0").interval, 0.05, "the shortest interval honoured")
    }

    func testMalformedFormsAreRefused() {
        for form in [
            "avoid", "avoid b", "avoid b q16", "avoid b q16 0", "avoid g q16 1", "avoid b z99 1", "avoid b q16:pass 1",
            "avoid b q16 1 allow b d4 1", "interval", "interval -5", "interval 1e9", "interval nan", "minmoves 400",
            "ownership maybe", "frobnicate", "b w x", "99999999999999999999",
        ] {
            XCTAssertThrowsError(try parse(form), form)
        }
    }

    func testAllowListLeavesOnlyItsMovesAndThePass() throws {
        let r = try parse("allow b d4,q16 1")
        XCTAssertTrue(r.restrictions.permits(.play(Point(x: 3, y: 15)), by: .black, moveNumber: 1))
        XCTAssertFalse(r.restrictions.permits(.play(Point(x: 9, y: 9)), by: .black, moveNumber: 1))
        XCTAssertTrue(r.restrictions.permits(.pass, by: .black, moveNumber: 1))
        XCTAssertTrue(r.restrictions.permits(.play(Point(x: 9, y: 9)), by: .black, moveNumber: 2))
    }

    func testBothPlayersHonourAvoid() throws {
        let net = uniformNetwork()
        let game = Game(size: 19, komi: 7.5, koRule: .positionalSuperko)
        // Allow two points only: every candidate either player lists is one of them (or the pass).
        let r = try parse("allow b d4,q16 1")
        let wanted: Set<Move> = [.play(Point(x: 3, y: 15)), .play(Point(x: 15, y: 3)), .pass]
        var settings = SearchSettings()
        settings.visits = 16
        for player in [PolicyPlayer(network: net, symmetries: false), MCTSPlayer(network: net, settings: settings)]
            as [Player]
        {
            let d = player.decide(game, color: .black, seconds: nil, restrictions: r.restrictions, analysis: nil)
            XCTAssertTrue(wanted.contains(d.move), "\(type(of: player)) chose \(d.move)")
            XCTAssertTrue(d.candidates.allSatisfy { wanted.contains($0.move) }, "\(type(of: player))")
            // Without restrictions the same player ranges over the board again.
            let free = player.decide(game, color: .black, seconds: nil, analysis: nil)
            XCTAssertGreaterThan(Set(free.candidates.map(\.move)).subtracting(wanted).count, 0)
        }
    }

    func testKataGoLinesCarryFractionsAndOwnership() throws {
        let e = GTPEngine(player: PolicyPlayer(network: uniformNetwork(), symmetries: false))
        _ = e.handle("play b D4")
        let line = try XCTUnwrap(firstAnalysisLine(e, "7 kata-analyze w interval 5 ownership true", id: "7"))
        XCTAssertTrue(line.hasPrefix("info move "), line)
        XCTAssertTrue(line.contains(" winrate 0.500000 scoreMean 0.00 scoreLead 0.00 prior 0.00"), line)
        let own = line.components(separatedBy: " ownership ")
        XCTAssertEqual(own.count, 2)
        XCTAssertEqual(own[1].split(separator: " ").count, 361)
        // The lone black stone's point is Black's, so negative from White's view.
        let d4 = Point(x: 3, y: 15).index(size: 19)
        XCTAssertLessThan(Double(own[1].split(separator: " ")[d4])!, 0)
    }
}

/// Lines written from the analysis thread.
final class LockedLines: @unchecked Sendable {  // Every access holds `lock`.
    private let lock = NSLock()
    private var lines: [String] = []
    func append(_ s: String) {
        lock.lock()
        lines.append(s)
        lock.unlock()
    }
    var all: [String] {
        lock.lock()
        defer { lock.unlock() }
        return lines
    }
}
