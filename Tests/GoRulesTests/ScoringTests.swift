import GoRules
import XCTest

final class ScoringTests: XCTestCase {
    let split = """
        . X O . .
        X X O . .
        . X O O O
        X X O . .
        . X O . .
        """

    func testTrompTaylorAreaScore() {
        let b = Board(diagram: split)!
        let s = b.areaScore(komi: 0.5)
        XCTAssertEqual(s.black, 10)
        XCTAssertEqual(s.white, 15)
        XCTAssertEqual(s.margin, -5.5)
        XCTAssertEqual(s.winner, .white)
        XCTAssertEqual(s.description, "W+5.5")
    }

    func testNeutralPointsCountForNobody() {
        let b = Board(
            diagram: """
                X . O
                X . O
                X . O
                """)!
        let s = b.areaScore(komi: 0)
        XCTAssertEqual(s.black, 3)
        XCTAssertEqual(s.white, 3)
        XCTAssertNil(s.winner)
        XCTAssertEqual(s.description, "0")
    }

    func testEmptyBoardAndKomi() {
        XCTAssertEqual(Board(size: 19).areaScore(komi: 7.5).description, "W+7.5")
        XCTAssertEqual(Board(size: 19).areaScore(komi: -3).description, "B+3")
        let lone = Board(
            diagram: """
                . . .
                . X .
                . . .
                """)!
        XCTAssertEqual(lone.areaScore(komi: 0).black, 9)
    }

    func testDeadStonesAreRemovedBeforeScoring() {
        let b = Board(
            diagram: """
                O . X O . .
                . . X O . X
                X X X O . .
                . . X O . .
                . . X O . .
                . . X O . .
                """)!
        let alive = b.areaScore(komi: 0.5)
        XCTAssertEqual(alive.black, 8 + 1 + 6, "the corner region touches both colours: neutral")
        XCTAssertEqual(alive.white, 6 + 1, "the right side touches the black stone: neutral")
        XCTAssertEqual(alive.description, "B+7.5")
        let oneDead = b.areaScore(komi: 0.5, dead: [Point(x: 0, y: 0)])
        XCTAssertEqual(oneDead.black, 8 + 1 + 4 + 6)
        XCTAssertEqual(oneDead.white, 6)
        XCTAssertEqual(oneDead.description, "B+12.5")
        let bothDead = b.areaScore(komi: 0.5, dead: [Point(x: 0, y: 0), Point(x: 5, y: 1)])
        XCTAssertEqual(bothDead.black, 8 + 4 + 6)
        XCTAssertEqual(bothDead.white, 6 + 12)
        XCTAssertEqual(bothDead.description, "W+0.5")
    }
}
