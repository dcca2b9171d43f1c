import GoRules
import XCTest

final class TerritoryTests: XCTestCase {
    /// The owners of `passAlive()` as a diagram: `X`/`O` for a colour's pass-alive points, `.` otherwise.
    func passAliveDiagram(_ b: Board) -> String {
        let owners = b.passAlive()
        return (0..<b.size).map { y in
            String(
                (0..<b.size).map { x -> Character in
                    switch owners[y * b.size + x] {
                    case .black: "X"
                    case .white: "O"
                    case nil: "."
                    }
                })
        }.joined(separator: "\n")
    }

    func testThreeRegionGroupIsPassAliveWithADeadStoneInside() {
        // Black's chain has three vital regions: the eyes A7 and A5, and the region around
        // White's C6, whose every empty point is a black liberty (so C6 is dead). White's chains
        // border open space and are not pass-alive.
        let b = Board(
            diagram: """
                . X . . X O .
                X X O . X O .
                . X X X X O .
                X X O O O O .
                O O O . . . .
                . . . . . . .
                . . . . . . .
                """)!
        XCTAssertEqual(
            passAliveDiagram(b),
            """
            XXXXX..
            XXXXX..
            XXXXX..
            XX.....
            .......
            .......
            .......
            """)
    }

    func testAnEyeTouchingTheOpponentIsNotVital() {
        // A7 is a real eye; C7 touches White's D7 and belongs to the open region: one vital region only.
        let b = Board(
            diagram: """
                . X . O . . .
                X X X O . . .
                O O O O . . .
                . . . . . . .
                . . . . . . .
                . . . . . . .
                . . . . . . .
                """)!
        XCTAssertEqual(passAliveDiagram(b), String(repeating: ".......\n", count: 6) + ".......")
    }

    func testABigOpenAreaIsNotTerritoryButItsWallIsAlive() {
        // The black wall has two single-point eyes and a two-point one at the top, and a large open
        // area below: the chain is pass-alive, the open area is not certain (White might live in it).
        let b = Board(
            diagram: """
                X . X . X . .
                X X X X X X X
                . . . . . . .
                . . . . . . .
                . . . . . . .
                . . . . . . .
                . . . . . . .
                """)!
        XCTAssertEqual(
            passAliveDiagram(b),
            """
            XXXXXXX
            XXXXXXX
            .......
            .......
            .......
            .......
            .......
            """)
    }

    /// A settled 9x9 endgame: Black owns the left four columns, White the right five, each in
    /// three walled-off areas; a white stone (C5) inside Black's area and a black stone (H2)
    /// inside White's are dead.
    static let settled = Board(
        diagram: """
            . . . X O . . . .
            . X . X O . . O .
            X X X X O O O O O
            . . . X O . . . .
            . . O X O . O . .
            X X X X O . . . .
            . X . X O O O O O
            . . . X O . . X .
            . . . X O . . . .
            """)!

    func testPlayoutOwnershipFindsDeadStonesAndScoresWithoutThem() {
        let b = Self.settled
        let t = Territory(b, toMove: .black, seed: 3)
        XCTAssertEqual(Set(t.deadStones(on: b)), [Point(x: 2, y: 4), Point(x: 7, y: 7)])
        XCTAssertEqual(t.settledOwner(Point(x: 0, y: 0)), .black)
        XCTAssertEqual(t.settledOwner(Point(x: 8, y: 8)), .white)
        // Strict Tromp-Taylor: the areas around the dead stones count for nobody.
        XCTAssertEqual(b.areaScore(komi: 0.5), Score(black: 31, white: 38, komi: 0.5))
        // Dead stones off: the four columns against the five.
        XCTAssertEqual(t.score(b, komi: 0.5), Score(black: 36, white: 45, komi: 0.5))
        // Nearly every playout ends 36 to 45 (3 of 128 go wrong: random moves kill a wall):
        // White wins them at komi 0.5, Black at komi -9.5, and at komi -9 each is a jigo, which
        // counts half. The two sides' shares always add up to one.
        XCTAssertEqual(t.winRate(for: .white, komi: 0.5), 125 / 128)
        XCTAssertEqual(t.winRate(for: .black, komi: 0.5), 3 / 128)
        XCTAssertGreaterThanOrEqual(t.winRate(for: .black, komi: -9.5), 125 / 128)
        XCTAssertEqual(t.winRate(for: .black, komi: -9), 0.5, accuracy: 3 / 128)
        XCTAssertEqual(t.winRate(for: .black, komi: -9) + t.winRate(for: .white, komi: -9), 1)
        // No playouts, no verdict.
        XCTAssertEqual(Territory(b, toMove: .black, playouts: 0).winRate(for: .black, komi: 0.5), 0.5)
    }

    func testMoveShapeSeesSelfAtariAndCaptures() {
        let b = Board(
            diagram: """
                . X O X .
                X O . . .
                . . . . .
                . . . . .
                . . . . .
                """)!
        // Black at A5 joins B5 and A4 into a three-stone chain with one liberty (A3): a self-atari.
        XCTAssertEqual(b.shape(of: Point(x: 0, y: 0), for: .black), MoveShape(captures: false, liberties: 1, stones: 3))
        XCTAssertTrue(b.shape(of: Point(x: 0, y: 0), for: .black).isSelfAtari)
        // White at C4 joins C5 and B4: three stones, liberties D4, C3, B3.
        XCTAssertEqual(b.shape(of: Point(x: 2, y: 1), for: .white), MoveShape(captures: false, liberties: 3, stones: 3))
        // Black at C4 takes C5's last liberty: a capture, never a self-atari.
        let capture = b.shape(of: Point(x: 2, y: 1), for: .black)
        XCTAssertTrue(capture.captures)
        XCTAssertFalse(capture.isSelfAtari)
    }
}
