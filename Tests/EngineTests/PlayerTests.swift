import Engine
import Foundation
import GoNetwork
import GoRecords
import GoRules
import XCTest

final class PlayerTests: XCTestCase {
    /// Black owns the whole board but for single-point eyes on every third point of row 0…
    /// and, when `open`, a two-point gap at S1-T1 that is no eye (but Black's pass-alive area).
    func eyesPosition(open: Bool) throws -> Game {
        let path = try positionFile("eyes") { x, y in
            if y == 0 && x % 3 == 1 { return nil }  // eyes: B19, E19, H19, …
            if open && y == 18 && x >= 17 { return nil }
            return .black
        }
        defer { try? FileManager.default.removeItem(atPath: path) }
        var g = try XCTUnwrap(try SGFReader(path: path).first { _ in true }.map { try $0.record.get() }).startingGame(
            koRule: .positionalSuperko)
        g.setToMove(.black)
        return g
    }

    func testNeverFillsItsOwnEyesAndPassesWhenNothingElseIsLeft() throws {
        let player = PolicyPlayer(network: uniformNetwork())
        let closed = try eyesPosition(open: false)
        XCTAssertEqual(player.decide(closed, color: .black, seconds: nil, analysis: nil).move, .pass)
        // The gap is legal and no single-point eye, but filling it gains nothing: pass.
        let open = try eyesPosition(open: true)
        XCTAssertTrue(open.board.isLegal(.play(Point(x: 17, y: 18)), for: .black))
        XCTAssertEqual(player.decide(open, color: .black, seconds: nil, analysis: nil).move, .pass)
        let mcts = MCTSPlayer(
            network: uniformNetwork(),
            settings: {
                var s = SearchSettings()
                s.visits = 30
                return s
            }())
        XCTAssertEqual(mcts.decide(closed, color: .black, seconds: nil, analysis: nil).move, .pass)
        XCTAssertEqual(mcts.decide(open, color: .black, seconds: nil, analysis: nil).move, .pass)
    }

    /// Black holds columns A-K, White L-T, both filled but for single-point eyes; a dead white
    /// stone at C10 has its last liberty at C11. With komi 17.5 passing now loses by 1.5 under
    /// Tromp-Taylor (the stone counts for White), capturing wins by 1.5.
    func deadStonePosition() throws -> Game {
        let eyes: Set<Point> = [
            Point(x: 0, y: 0), Point(x: 0, y: 18), Point(x: 5, y: 4), Point(x: 5, y: 14),
            Point(x: 14, y: 0), Point(x: 14, y: 18), Point(x: 18, y: 9), Point(x: 14, y: 9),
        ]
        let path = try positionFile("dead", komi: 17.5) { x, y in
            let p = Point(x: x, y: y)
            if eyes.contains(p) || (x == 2 && y == 8) { return nil }
            if x == 2 && y == 9 { return .white }
            return x <= 9 ? .black : .white
        }
        defer { try? FileManager.default.removeItem(atPath: path) }
        var g = try SGFReader(path: path).map { try $0.record.get() }[0].startingGame(koRule: .positionalSuperko)
        g.setToMove(.white)
        try g.play(.pass)  // White passes: Black's pass would end the game.
        return g
    }

    func testPassingWhileADeadStoneCountsAgainstUsIsAvoided() throws {
        let game = try deadStonePosition()
        XCTAssertEqual(game.score().description, "W+1.5")
        let capture = Move.play(Point(x: 2, y: 8))
        let policy = PolicyPlayer(network: uniformNetwork())
        XCTAssertEqual(policy.decide(game, color: .black, seconds: nil, analysis: nil).move, capture)
        var s = SearchSettings()
        s.visits = 100
        let mcts = MCTSPlayer(network: uniformNetwork(), settings: s)
        XCTAssertEqual(mcts.decide(game, color: .black, seconds: nil, analysis: nil).move, capture)
        var after = game
        try after.play(capture)
        XCTAssertEqual(after.score().description, "B+1.5")
        try after.play(.pass)
        // Now the game is won as it stands: both players pass.
        XCTAssertEqual(policy.decide(after, color: .black, seconds: nil, analysis: nil).move, .pass)
        XCTAssertEqual(
            MCTSPlayer(network: uniformNetwork(), settings: s).decide(after, color: .black, seconds: nil, analysis: nil)
                .move, .pass)
    }

    func testTheSearchAveragesItsRootOverTheSymmetries() throws {
        // The scripted policy ignores the board's orientation, so averaging over the 8 symmetries
        // spreads C16's prior evenly over its 8 images; without symmetries it stays on C16.
        let point = Point(x: 2, y: 3)
        let images = Set((0..<8).map { Symmetry.apply($0, point.index()) })
        XCTAssertEqual(images.count, 8)
        let net = scriptedNetwork([point.index(): 12])
        for symmetries in [false, true] {
            var s = SearchSettings()
            s.visits = 16
            s.symmetries = symmetries
            let d = MCTSPlayer(network: net, settings: s).decide(
                Game(size: 19, komi: 7.5), color: .black, seconds: nil, analysis: nil)
            let priors = Dictionary(
                uniqueKeysWithValues: d.candidates.compactMap { c in c.move.point.map { ($0.index(), c.prior) } })
            if symmetries {
                for i in images { XCTAssertEqual(priors[i]!, 1.0 / 8, accuracy: 0.001, "\(Point(index: i))") }
            } else {
                XCTAssertGreaterThan(priors[point.index()]!, 0.99)
            }
        }
    }

    func testRandomPlayoutsJudgeALeadTheValueCannotSee() throws {
        // Black walls on columns D and Q enclose both edges; White has four stones in the centre.
        // Black owns far more than half the board in random playouts, but the uniform network's
        // value is 0 everywhere: only the playouts can tell the search that Black is winning.
        var g = Game(size: 19, komi: 7.5)
        var stones = (0..<19).flatMap { y in [3, 15].map { PlayedMove(.black, .play(Point(x: $0, y: y))) } }
        stones += [(8, 8), (10, 8), (8, 10), (10, 10)].map { PlayedMove(.white, .play(Point(x: $0.0, y: $0.1))) }
        g.placeSetup(stones)
        g.setToMove(.black)
        func winrate(_ weight: Double) -> Double {
            var s = SearchSettings()
            s.visits = 200
            s.playoutWeight = weight
            s.playoutsFromMove = 1
            let d = MCTSPlayer(network: uniformNetwork(), settings: s).decide(
                g, color: .black, seconds: nil, analysis: nil)
            XCTAssertGreaterThan(d.candidates.count, 10, "a search, not a settled position")
            return d.winrate
        }
        XCTAssertEqual(winrate(0), 0.5, accuracy: 0.05)
        XCTAssertGreaterThan(winrate(1), 0.9)
        XCTAssertGreaterThan(winrate(0.5), 0.7)
    }

    func testTreeReuseAndVisitLimits() throws {
        var s = SearchSettings()
        s.visits = 64
        s.batchSize = 4
        let player = MCTSPlayer(network: uniformNetwork(), settings: s)
        var game = Game(size: 19, komi: 7.5)
        let d = player.decide(game, color: .black, seconds: nil, analysis: nil)
        XCTAssertGreaterThanOrEqual(d.candidates.reduce(0) { $0 + $1.visits }, 60)
        XCTAssertGreaterThan(player.lastEvaluations, 10)
        // 8 of them are the root's, averaged over the symmetries.
        XCTAssertLessThanOrEqual(player.lastEvaluations, 70 + 8)
        try game.play(d.move)
        player.played(PlayedMove(.black, d.move))
        // The chosen move's subtree is kept: its visits count towards the next search.
        let kept = player.rootVisits
        XCTAssertGreaterThan(kept, 0)
        _ = player.decide(game, color: .white, seconds: nil, analysis: nil)
        XCTAssertLessThanOrEqual(player.lastEvaluations, 64 - kept + 4 + 8)
        player.reset()
        XCTAssertEqual(player.rootVisits, 0)
        // A time limit stops a large search early.
        s.visits = 1_000_000
        let timed = MCTSPlayer(network: uniformNetwork(), settings: s)
        let start = Date()
        _ = timed.decide(Game(size: 19), color: .black, seconds: 0.3, analysis: nil)
        XCTAssertLessThan(Date().timeIntervalSince(start), 3)
    }

    func testTimeBudgets() {
        var t = TimeControl()
        XCTAssertNil(t.budget(movesPlayed: 0), "no time settings: no limit")
        t.set(main: 60, byoYomi: 0, stones: 0)
        XCTAssertEqual(t.budget(movesPlayed: 0)!, (60 - 0.5) / 120, accuracy: 1e-9)
        t.update(left: 5, stones: 0)
        XCTAssertLessThan(t.budget(movesPlayed: 200)!, 0.2)
        t.set(main: 0, byoYomi: 30, stones: 10)
        t.update(left: 20, stones: 4)
        XCTAssertEqual(t.budget(movesPlayed: 100)!, (20 - 0.5) / 4, accuracy: 1e-9)
        t.set(main: 0, byoYomi: 5, stones: 0)
        XCTAssertNil(t.budget(movesPlayed: 0), "GTP: byo-yomi time with 0 stones means no limit")
    }
}
