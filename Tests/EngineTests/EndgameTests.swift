import Engine
import Foundation
import GoNetwork
import GoRules
import XCTest

/// The endgame judgement as the players apply it (docs/ENDGAME.md), on hand-built positions.
final class EndgameTests: XCTestCase {
    /// Black holds columns A-K, White L-T; each side's area is cut into five regions by walls
    /// on rows 4, 8, 12 and 16. Black's side is 190 points, White's 171. The stones are played
    /// as moves (White passing once its stones run out, so White has just passed when Black is to
    /// move); `extra` adds stones to White's list.
    func settledGame(komi: Double = 7.5, extraWhite: [(Int, Int)] = []) throws -> Game {
        var black: [Point] = []
        var white: [Point] = []
        for y in 0..<19 {
            black.append(Point(x: 9, y: y))
            white.append(Point(x: 10, y: y))
        }
        for y in [3, 7, 11, 15] {
            for x in 0..<9 { black.append(Point(x: x, y: y)) }
            for x in 11..<19 { white.append(Point(x: x, y: y)) }
        }
        white += extraWhite.map { Point(x: $0.0, y: $0.1) }
        var g = Game(size: 19, komi: komi, koRule: .positionalSuperko)
        for i in 0..<black.count {
            try g.play(.play(black[i]))
            try g.play(i < white.count ? .play(white[i]) : .pass)
        }
        return g
    }

    func players(_ net: PolicyValueNetwork, visits: Int = 40) -> [Player] {
        var s = SearchSettings()
        s.visits = visits
        // The scripted policy is tied to the board's orientation: no symmetries.
        s.symmetries = false
        return [PolicyPlayer(network: net, symmetries: false), MCTSPlayer(network: net, settings: s)]
    }

    func testASettledPositionIsPassed() throws {
        let game = try settledGame()
        for player in players(uniformNetwork()) {
            XCTAssertEqual(
                player.decide(game, color: .black, seconds: nil, analysis: nil).move, .pass, "\(type(of: player))")
            XCTAssertEqual(
                player.decide(game, color: .white, seconds: nil, analysis: nil).move, .pass, "\(type(of: player))")
        }
        XCTAssertEqual(game.score().description, "B+11.5")
    }

    func testDeadStonesAreCapturedBeforePassingUnderTrompTaylor() throws {
        // A white stone dropped into Black's middle region (E10): dead, but under strict area
        // scoring it makes the region nobody's and White wins; White has passed.
        for player in players(uniformNetwork()) {
            var game = try settledGame(extraWhite: [(4, 9)])
            XCTAssertEqual(game.lastMove, PlayedMove(.white, .pass))
            XCTAssertEqual(game.score().winner, .white, "strictly, passing now loses")
            var moves = 0
            while true {
                let d = player.decide(game, color: .black, seconds: nil, analysis: nil)
                try game.play(d.move)
                player.played(PlayedMove(.black, d.move))
                if d.move == .pass { break }
                moves += 1
                // The cleanup touches the dead stone only.
                XCTAssertEqual(abs(d.move.point!.x - 4) + abs(d.move.point!.y - 9), 1, "\(type(of: player)): \(d.move)")
                try game.play(.pass)
                player.played(PlayedMove(.white, .pass))
            }
            XCTAssertEqual(moves, 4, "\(type(of: player)): four liberties, four moves")
            XCTAssertNil(game.board[Point(x: 4, y: 9)], "captured")
            XCTAssertTrue(game.isOver)
            XCTAssertEqual(game.score().description, "B+11.5")
        }
    }

    func testTheTopPolicyMoveFillingItsOwnEyeIsNotPlayed() throws {
        // Bottom-left corner, Black pass-alive with eyes at A1, C1 and the region around White's
        // dead D2. C1 has White's D2 on a diagonal, so the single-point eye test misses it.
        //   16  X X X X X X
        //    2  X X X O . X
        //    1  . X . X X X
        var g = Game(size: 19, komi: 7.5)
        var stones = (0..<6).map { PlayedMove(.black, .play(Point(x: $0, y: 16))) }
        stones += [(0, 17), (1, 17), (2, 17), (5, 17), (1, 18), (3, 18), (4, 18), (5, 18)].map {
            PlayedMove(.black, .play(Point(x: $0.0, y: $0.1)))
        }
        stones.append(PlayedMove(.white, .play(Point(x: 3, y: 17))))
        g.placeSetup(stones)
        g.setToMove(.black)
        let eye = Point(x: 2, y: 18)
        let elsewhere = Point(x: 10, y: 10)
        XCTAssertFalse(g.board.isEye(eye, of: .black))
        XCTAssertEqual(g.board.passAlive()[eye.index()], .black)
        let net = scriptedNetwork([eye.index(): 12, elsewhere.index(): 6])
        for player in players(net, visits: 16) {
            let d = player.decide(g, color: .black, seconds: nil, analysis: nil)
            XCTAssertNotEqual(d.move, .play(eye), "\(type(of: player))")
        }
        XCTAssertEqual(
            PolicyPlayer(network: net, symmetries: false).decide(g, color: .black, seconds: nil, analysis: nil).move,
            .play(elsewhere))
    }

    func testTheTopPolicyMoveThatPutsItsOwnGroupInAtariIsNotPlayed() throws {
        // Black K10-K9 has liberties K11 and K8; White surrounds K8, so Black K8 leaves one liberty.
        var g = Game(size: 19, komi: 7.5)
        let black = [(9, 9), (9, 10)]
        let white = [(8, 9), (8, 10), (10, 9), (10, 10), (8, 11), (10, 11), (9, 12)]
        g.placeSetup(
            black.map { PlayedMove(.black, .play(Point(x: $0.0, y: $0.1))) }
                + white.map { PlayedMove(.white, .play(Point(x: $0.0, y: $0.1))) })
        g.setToMove(.black)
        let atari = Point(x: 9, y: 11)
        let elsewhere = Point(x: 3, y: 3)
        XCTAssertTrue(g.board.shape(of: atari, for: .black).isSelfAtari)
        let net = scriptedNetwork([atari.index(): 12, elsewhere.index(): 6])
        XCTAssertEqual(
            PolicyPlayer(network: net, symmetries: false).decide(g, color: .black, seconds: nil, analysis: nil).move,
            .play(elsewhere))
    }

    func testAWinningPlayerDoesNotPlayAStoneThePlayoutsExpectToDie() throws {
        // Black's side as in `settledGame` (pass-alive); White has only its wall on column L, so
        // its 152 points are open and unsettled. M10, next to the wall, is White's in most
        // playouts (a doomed stone); Q10, in the middle, only in about two thirds.
        var stones: [PlayedMove] = []
        for y in 0..<19 {
            stones.append(PlayedMove(.black, .play(Point(x: 9, y: y))))
            stones.append(PlayedMove(.white, .play(Point(x: 10, y: y))))
        }
        for y in [3, 7, 11, 15] { for x in 0..<9 { stones.append(PlayedMove(.black, .play(Point(x: x, y: y)))) } }
        let doomed = Point(x: 11, y: 9)
        let open = Point(x: 15, y: 9)
        let net = scriptedNetwork([doomed.index(): 12, open.index(): 6])
        let valueBias = net.parameters.first { $0.name == "value.fc2.bias" }!
        func game(komi: Double) -> Game {
            var g = Game(size: 19, komi: komi, koRule: .positionalSuperko)
            g.placeSetup(stones)
            g.setToMove(.black)
            return g
        }
        var s = SearchSettings()
        s.visits = 40
        s.symmetries = false
        // The win rate comes from the playouts alone (the scripted value is the same for both sides).
        s.playoutWeight = 1
        s.playoutsFromMove = 0
        s.safePlayFromMove = 0
        let policy = PolicyPlayer(network: net, symmetries: false)
        policy.safePlayFromMove = 0
        // Black leads by 11.5 as the board stands: the policy's M10 is replaced.
        valueBias.value[0] = 4
        net.weightsChanged()
        let winning = game(komi: 7.5)
        XCTAssertEqual(winning.score().description, "B+11.5")
        XCTAssertEqual(policy.decide(winning, color: .black, seconds: nil, analysis: nil).move, .play(open))
        // The position is set up (move 1): with the default `Endgame.safePlayFromMove` (230) the rule waits.
        XCTAssertEqual(
            PolicyPlayer(network: net, symmetries: false).decide(winning, color: .black, seconds: nil, analysis: nil)
                .move, .play(doomed))
        let search = MCTSPlayer(network: net, settings: s).decide(winning, color: .black, seconds: nil, analysis: nil)
        XCTAssertGreaterThanOrEqual(search.winrate, 0.5)
        // The search plays its most visited move that is not doomed (or passes).
        let judgement = Territory(winning.board, toMove: .black)
        XCTAssertLessThanOrEqual(judgement.ownership(doomed, for: .black), -0.5)
        XCTAssertGreaterThan(judgement.ownership(open, for: .black), -0.5)
        XCTAssertNotEqual(search.move, .play(doomed))
        XCTAssertTrue(search.move.point.map { judgement.ownership($0, for: .black) > -0.5 } ?? true, "\(search.move)")
        // Losing (komi 120.5, and a losing value for the policy player), the fight is the chance left.
        valueBias.value[0] = -4
        net.weightsChanged()
        let losing = game(komi: 120.5)
        XCTAssertEqual(policy.decide(losing, color: .black, seconds: nil, analysis: nil).move, .play(doomed))
        let desperate = MCTSPlayer(network: net, settings: s).decide(losing, color: .black, seconds: nil, analysis: nil)
        XCTAssertLessThan(desperate.winrate, 0.5)
        XCTAssertEqual(desperate.move, .play(doomed))
    }

    func testHopelessGamesAreResignedInBothModesWhenAsked() throws {
        // White leads by 30.5 on the board (komi 49.5) and the network says the side to move
        // loses (value bias -4, a win rate of 0.0003).
        let game = try settledGame(komi: 49.5)
        XCTAssertEqual(game.score().description, "W+30.5")
        let net = scriptedNetwork([:])
        let valueBias = net.parameters.first { $0.name == "value.fc2.bias" }!
        valueBias.value[0] = -4
        net.weightsChanged()
        let policy = PolicyPlayer(network: net, resignThreshold: 0.1)
        XCTAssertTrue(policy.decide(game, color: .black, seconds: nil, analysis: nil).resign)
        var s = SearchSettings()
        s.visits = 60
        s.resignThreshold = 0.1
        XCTAssertTrue(
            MCTSPlayer(network: net, settings: s).decide(game, color: .black, seconds: nil, analysis: nil).resign)
        // Without a threshold, or too early in the game, nobody resigns.
        XCTAssertFalse(PolicyPlayer(network: net).decide(game, color: .black, seconds: nil, analysis: nil).resign)
        XCTAssertFalse(policy.decide(Game(size: 19), color: .black, seconds: nil, analysis: nil).resign)
        // Move 81 of a quiet game: however sure the value is of a loss, before move 100 nobody
        // resigns (the value alone is no verdict, `Resignation.earliestMove`).
        var early = Game(size: 19, komi: 7.5, koRule: .positionalSuperko)
        for (black, white) in [(3, 15), (5, 13)] {
            for x in 0..<19 {
                try early.play(.play(Point(x: x, y: black)))
                try early.play(.play(Point(x: x, y: white)))
            }
        }
        for x in 0..<2 {
            try early.play(.play(Point(x: x, y: 7)))
            try early.play(.play(Point(x: x, y: 11)))
        }
        XCTAssertEqual(early.moves.count + 1, 81)
        XCTAssertFalse(policy.decide(early, color: .black, seconds: nil, analysis: nil).resign)
        XCTAssertFalse(
            MCTSPlayer(network: net, settings: s).decide(early, color: .black, seconds: nil, analysis: nil).resign)
    }

    func testLostEndgamesAreResignedOnThePlayoutsWhenTheValueSaysWon() throws {
        // White leads by 30.5 on a settled board, but the value says the side to move wins (bias
        // +4, a win rate of 0.9997): a network trained on games that end by resignation.
        var game = try settledGame(komi: 49.5)
        let net = scriptedNetwork([:])
        net.parameters.first { $0.name == "value.fc2.bias" }!.value[0] = 4
        net.weightsChanged()
        var s = SearchSettings()
        s.visits = 60
        s.symmetries = false
        s.resignThreshold = 0.1
        func resigns() -> [Bool] {
            let players: [Player] = [
                PolicyPlayer(network: net, resignThreshold: 0.1, symmetries: false),
                MCTSPlayer(network: net, settings: s),
            ]
            return players.map { $0.decide(game, color: .black, seconds: nil, analysis: nil).resign }
        }
        // Black wins 8 of the judgement's 128 playouts (random moves kill a wall now and then).
        XCTAssertEqual(Territory(game.board, toMove: .black).winRate(for: .black, komi: 49.5), 8 / 128)
        // Move 111: before move 200 (`Resignation.playoutsFromMove`) only the (wrong) value counts.
        XCTAssertEqual(game.moves.count + 1, 111)
        XCTAssertEqual(resigns(), [false, false])
        // Move 201 (passes move the game on): 120 of the 128 playouts are lost; both players resign.
        for _ in 0..<45 {
            try game.play(.pass)
            try game.play(.pass)
        }
        XCTAssertEqual(game.moves.count + 1, 201)
        XCTAssertEqual(resigns(), [true, true])
        // Not asked to resign, or a game the playouts call won, and nobody does.
        s.resignThreshold = nil
        XCTAssertFalse(
            MCTSPlayer(network: net, settings: s).decide(game, color: .black, seconds: nil, analysis: nil).resign)
        XCTAssertFalse(
            PolicyPlayer(network: net, symmetries: false).decide(game, color: .black, seconds: nil, analysis: nil)
                .resign)
        XCTAssertFalse(
            PolicyPlayer(network: net, resignThreshold: 0.1, symmetries: false)
                .decide(game, color: .white, seconds: nil, analysis: nil).resign)
    }
}
