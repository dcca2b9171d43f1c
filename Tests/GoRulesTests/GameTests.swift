import GoRules
import XCTest

final class GameTests: XCTestCase {
    let koShape = """
        . X O . . . . . .
        X O . O . . . . .
        . X O . . . . . .
        . . . . . . . . .
        . . . . . . . . .
        . . . . . . . . .
        . . . . . . . . .
        . . . . . . . . .
        . . . . . . . . .
        """

    func testKoRefusedThenAllowedAfterThreat() throws {
        var g = Game(size: 9, komi: 7.5, koRule: .simple)
        g.placeSetup(stones(koShape))
        g.setToMove(.black)
        try g.play(.play(Point(x: 2, y: 1)))  // black takes the ko
        XCTAssertEqual(g.board.captures(by: .black), 1)
        XCTAssertEqual(g.board.koPoint, Point(x: 1, y: 1))
        XCTAssertEqual(g.legality(.play(Point(x: 1, y: 1)), for: .white), .ko)
        XCTAssertThrowsError(try g.play(.play(Point(x: 1, y: 1)))) { error in
            XCTAssertEqual((error as? IllegalMoveError)?.reason, .ko)
        }
        try g.play(.play(Point(x: 7, y: 7)))  // white's ko threat
        try g.play(.play(Point(x: 7, y: 6)))  // black answers
        XCTAssertEqual(g.legality(.play(Point(x: 1, y: 1)), for: .white), .legal)
        try g.play(.play(Point(x: 1, y: 1)))  // white retakes
        XCTAssertEqual(g.board.captures(by: .white), 1)
        XCTAssertEqual(g.legality(.play(Point(x: 2, y: 1)), for: .black), .ko)
        try g.play(.pass)
        try g.play(.play(Point(x: 8, y: 8)))
        XCTAssertEqual(g.legality(.play(Point(x: 2, y: 1)), for: .black), .legal, "the ko ban lasts one move")
    }

    func testUndoRestoresHashesAndCaptures() throws {
        var g = Game(size: 9, komi: 7.5, koRule: .positionalSuperko)
        g.placeSetup(stones(koShape))
        g.setToMove(.black)
        let sequence: [Move] = [
            .play(Point(x: 2, y: 1)), .play(Point(x: 7, y: 7)), .play(Point(x: 7, y: 6)),
            .play(Point(x: 1, y: 1)), .play(Point(x: 0, y: 0)), .play(Point(x: 5, y: 5)),
            .play(Point(x: 2, y: 1)), .pass, .play(Point(x: 0, y: 2)),
        ]
        var states: [(UInt64, String, Int, Int, Stone, Point?)] = []
        func snapshot() -> (UInt64, String, Int, Int, Stone, Point?) {
            (
                g.board.hash, g.board.diagram, g.board.captures(by: .black), g.board.captures(by: .white), g.toMove,
                g.board.koPoint
            )
        }
        states.append(snapshot())
        for m in sequence {
            try g.play(m)
            states.append(snapshot())
        }
        XCTAssertEqual(g.board.captures(by: .black), 2)
        for i in stride(from: sequence.count - 1, through: 0, by: -1) {
            XCTAssertTrue(g.undo())
            let s = snapshot()
            let e = states[i]
            XCTAssertEqual(s.0, e.0, "hash after undo to \(i)")
            XCTAssertEqual(s.1, e.1)
            XCTAssertEqual(s.2, e.2)
            XCTAssertEqual(s.3, e.3)
            XCTAssertEqual(s.4, e.4)
            XCTAssertEqual(s.5, e.5)
        }
        XCTAssertFalse(g.undo())
        for m in sequence { try g.play(m) }
        g.undo(to: 4)
        XCTAssertEqual(g.moves.count, 4)
        XCTAssertEqual(g.board.hash, states[4].0)
        XCTAssertEqual(g.board.diagram, states[4].1)
    }

    func testHashIsAFunctionOfThePosition() throws {
        var a = Game(size: 9)
        var b = Game(size: 9)
        try a.play(.play(Point(x: 2, y: 2)))
        try a.play(.play(Point(x: 6, y: 6)))
        try a.play(.play(Point(x: 3, y: 3)))
        try b.play(.play(Point(x: 3, y: 3)))
        try b.play(.play(Point(x: 6, y: 6)))
        try b.play(.play(Point(x: 2, y: 2)))
        XCTAssertEqual(a.board.hash, b.board.hash)
        XCTAssertNotEqual(a.board.hash, Game(size: 9).board.hash)
        XCTAssertEqual(
            a.board.hash(after: .play(Point(x: 0, y: 0)), by: .white),
            {
                var c = a
                try! c.play(.play(Point(x: 0, y: 0)))
                return c.board.hash
            }())
    }

    func testTwoPassesEndTheGame() throws {
        var g = Game(size: 9)
        try g.play(.play(Point(x: 4, y: 4)))
        try g.play(.pass)
        XCTAssertFalse(g.isOver)
        try g.play(.play(Point(x: 3, y: 3)))
        try g.play(.pass)
        try g.play(.pass)
        XCTAssertTrue(g.isOver)
        XCTAssertEqual(g.consecutivePasses, 2)
        g.undo()
        XCTAssertFalse(g.isOver)
    }

    func testFixedHandicapMatchesGTP() {
        func gtp(_ points: [Point]?, _ size: Int) -> Set<String>? {
            points.map { Set($0.map { Coordinates.gtp(.play($0), size: size) }) }
        }
        // GNU Go 3.8's answers to `fixed_handicap N`.
        XCTAssertEqual(gtp(Handicap.fixedPoints(2, size: 19), 19), ["Q16", "D4"])
        XCTAssertEqual(gtp(Handicap.fixedPoints(3, size: 19), 19), ["D16", "Q16", "D4"])
        XCTAssertEqual(gtp(Handicap.fixedPoints(5, size: 19), 19), ["D16", "Q16", "K10", "D4", "Q4"])
        XCTAssertEqual(gtp(Handicap.fixedPoints(6, size: 19), 19), ["D16", "Q16", "D10", "Q10", "D4", "Q4"])
        XCTAssertEqual(gtp(Handicap.fixedPoints(7, size: 19), 19), ["D16", "Q16", "D10", "K10", "Q10", "D4", "Q4"])
        XCTAssertEqual(
            gtp(Handicap.fixedPoints(8, size: 19), 19), ["D16", "K16", "Q16", "D10", "Q10", "D4", "K4", "Q4"])
        XCTAssertEqual(
            gtp(Handicap.fixedPoints(9, size: 19), 19), ["D16", "K16", "Q16", "D10", "K10", "Q10", "D4", "K4", "Q4"])
        XCTAssertEqual(gtp(Handicap.fixedPoints(4, size: 7), 7), ["C5", "E5", "C3", "E3"])
        XCTAssertEqual(gtp(Handicap.fixedPoints(5, size: 9), 9), ["C7", "G7", "E5", "C3", "G3"])
        XCTAssertEqual(
            gtp(Handicap.fixedPoints(9, size: 13), 13), ["D10", "G10", "K10", "D7", "G7", "K7", "D4", "G4", "K4"])
        XCTAssertNil(Handicap.fixedPoints(5, size: 7))
        XCTAssertNil(Handicap.fixedPoints(5, size: 8))
        XCTAssertNil(Handicap.fixedPoints(1, size: 19))
        XCTAssertNil(Handicap.fixedPoints(10, size: 19))
        XCTAssertNil(Handicap.fixedPoints(2, size: 6))

        var g = Game(size: 19)
        XCTAssertEqual(g.placeFixedHandicap(4)?.count, 4)
        XCTAssertEqual(g.toMove, .white)
        XCTAssertEqual(g.board.stones(of: .black).count, 4)
        XCTAssertNil(g.placeFixedHandicap(2), "the board is no longer empty")
    }

    func testPositionalSuperkoRefusesACycle() throws {
        // On 3x3 the seventh move recreates the position after the second: legal under simple ko only.
        let moves = "B3 C2 A2 B2 C3 A3 B3".split(separator: " ").map { Coordinates.move(gtp: $0, size: 3)! }
        var simple = Game(size: 3, komi: 0, koRule: .simple)
        for m in moves { try simple.play(m) }
        var strict = Game(size: 3, komi: 0, koRule: .positionalSuperko)
        for m in moves.dropLast() { try strict.play(m) }
        XCTAssertEqual(strict.board.legality(moves.last!, for: .black), .legal, "no simple ko here")
        XCTAssertEqual(strict.legality(moves.last!, for: .black), .superko)
        XCTAssertThrowsError(try strict.play(moves.last!)) { error in
            XCTAssertEqual("\(error)", "illegal move B B3 at move 7: repeats an earlier position (superko)")
        }
        var replay = Game(size: 3, komi: 0, koRule: .simple)
        var diagrams: [String] = [replay.board.diagram]
        for m in moves.dropLast() {
            try replay.play(m)
            diagrams.append(replay.board.diagram)
        }
        XCTAssertTrue(diagrams.dropLast().contains(simple.board.diagram), "the refused move repeats an earlier board")
    }

    func testFreeHandicap() {
        var g = Game(size: 9)
        XCTAssertEqual(g.setFreeHandicap([Point(x: 2, y: 2)]), .count)
        XCTAssertEqual(
            g.setFreeHandicap([Point(x: 2, y: 2), Point(x: 2, y: 2)]), .repeated)
        XCTAssertEqual(
            g.setFreeHandicap([Point(x: 2, y: 2), Point(x: 9, y: 2)]), .offBoard)
        XCTAssertNil(g.setFreeHandicap([Point(x: 2, y: 2), Point(x: 6, y: 6), Point(x: 4, y: 4)]))
        XCTAssertEqual(g.board.stones(of: .black).count, 3)
        XCTAssertEqual(g.toMove, .white)
        XCTAssertEqual(g.setFreeHandicap([Point(x: 0, y: 0), Point(x: 1, y: 1)]), .boardNotEmpty)
        try? g.play(.play(Point(x: 0, y: 0)))
        g.undo()
        XCTAssertEqual(g.board.stones(of: .black).count, 3, "undo keeps the handicap")
        XCTAssertEqual(g.toMove, .white)
    }
}
