import GoRules
import XCTest

final class CaptureTests: XCTestCase {
    func testSingleStoneCaptureInCenter() {
        var b = Board(
            diagram: """
                . . . . .
                . . X . .
                . X O X .
                . . . . .
                . . . . .
                """)!
        XCTAssertEqual(b.liberties(at: Point(x: 2, y: 2)), 1)
        XCTAssertEqual(b.play(.play(Point(x: 2, y: 3)), .black), .legal)
        XCTAssertEqual(
            b.diagram,
            """
            .....
            ..X..
            .X.X.
            ..X..
            .....
            """)
        XCTAssertEqual(b.captures(by: .black), 1)
        XCTAssertEqual(b.liberties(at: Point(x: 2, y: 1)), 4)
        XCTAssertEqual(b.emptyCount, 21)
    }

    func testMultiStoneCaptureOnEdge() {
        var b = Board(
            diagram: """
                . O O O .
                . X X X .
                . . . . .
                . . . . .
                . . . . .
                """)!
        XCTAssertEqual(b.liberties(at: Point(x: 2, y: 0)), 2)
        XCTAssertEqual(b.liberties(at: Point(x: 1, y: 1)), 5)
        b.play(.play(Point(x: 0, y: 0)), .black)
        XCTAssertEqual(b.liberties(at: Point(x: 2, y: 0)), 1)
        XCTAssertEqual(b.liberties(at: Point(x: 0, y: 0)), 1)
        b.play(.play(Point(x: 4, y: 0)), .black)
        XCTAssertEqual(b.diagram.split(separator: "\n").first, "X...X")
        XCTAssertEqual(b.captures(by: .black), 3)
        XCTAssertEqual(b.liberties(at: Point(x: 1, y: 1)), 8)
        XCTAssertEqual(b.liberties(at: Point(x: 0, y: 0)), 2)
        XCTAssertEqual(b.group(at: Point(x: 3, y: 1)).count, 3)
    }

    func testCornerCapture() {
        var b = Board(
            diagram: """
                O X . .
                . . . .
                . . . .
                . . . .
                """)!
        b.play(.play(Point(x: 0, y: 1)), .black)
        XCTAssertNil(b[Point(x: 0, y: 0)])
        XCTAssertEqual(b.captures(by: .black), 1)
        XCTAssertEqual(b.liberties(at: Point(x: 1, y: 0)), 3)
        XCTAssertEqual(b.liberties(at: Point(x: 0, y: 1)), 3)
    }

    func testFourGroupsCapturedByOneMove() {
        var b = Board(
            diagram: """
                . X O X .
                X O . O X
                . X O X .
                . . X . .
                . . . . .
                """)!
        for p in [Point(x: 2, y: 0), Point(x: 1, y: 1), Point(x: 3, y: 1), Point(x: 2, y: 2)] {
            XCTAssertEqual(b.liberties(at: p), 1)
        }
        XCTAssertEqual(b.legality(.play(Point(x: 2, y: 1)), for: .white), .suicide)
        XCTAssertEqual(b.play(.play(Point(x: 2, y: 1)), .black), .legal)
        XCTAssertEqual(
            b.diagram,
            """
            .X.X.
            X.X.X
            .X.X.
            ..X..
            .....
            """)
        XCTAssertEqual(b.captures(by: .black), 4)
        XCTAssertEqual(b.liberties(at: Point(x: 2, y: 1)), 4)
        XCTAssertEqual(b.liberties(at: Point(x: 2, y: 3)), 4)
        XCTAssertNil(b.koPoint, "capturing four stones is no ko")
    }

    func testSuicideIsIllegal() {
        let corner = Board(
            diagram: """
                . X . . .
                X . . . .
                . . . . .
                . . . . .
                . . . . .
                """)!
        XCTAssertEqual(corner.legality(.play(Point(x: 0, y: 0)), for: .white), .suicide)
        XCTAssertEqual(corner.legality(.play(Point(x: 0, y: 0)), for: .black), .legal)

        var multi = Board(
            diagram: """
                O . X . .
                X X X . .
                . . . . .
                . . . . .
                . . . . .
                """)!
        XCTAssertEqual(multi.legality(.play(Point(x: 1, y: 0)), for: .white), .suicide)
        let before = multi.diagram
        XCTAssertEqual(multi.play(.play(Point(x: 1, y: 0)), .white), .suicide)
        XCTAssertEqual(multi.diagram, before, "a refused move changes nothing")
        XCTAssertEqual(multi.play(.play(Point(x: 1, y: 0)), .black), .legal)
        XCTAssertNil(multi[Point(x: 0, y: 0)])
    }

    func testMoveThatLooksLikeSuicideButCapturesIsLegal() {
        var b = Board(
            diagram: """
                . O X . .
                O X . . .
                X . . . .
                . . . . .
                . . . . .
                """)!
        XCTAssertEqual(b.legality(.play(Point(x: 0, y: 0)), for: .black), .legal)
        b.play(.play(Point(x: 0, y: 0)), .black)
        XCTAssertEqual(b.captures(by: .black), 2)
        XCTAssertEqual(b.liberties(at: Point(x: 0, y: 0)), 2)
        XCTAssertNil(b[Point(x: 1, y: 0)])
        XCTAssertNil(b[Point(x: 0, y: 1)])
    }

    func testSnapback() {
        var g = Game(size: 5, komi: 0)
        g.placeSetup(
            stones(
                """
                . . O X .
                O O O X .
                X X X X .
                . . . . .
                . . . . .
                """))
        try! g.play(.play(Point(x: 1, y: 0)), by: .black)
        XCTAssertEqual(g.board.liberties(at: Point(x: 1, y: 0)), 1)
        XCTAssertEqual(g.board.liberties(at: Point(x: 0, y: 1)), 1)
        try! g.play(.play(Point(x: 0, y: 0)), by: .white)
        XCTAssertEqual(g.board.captures(by: .white), 1)
        XCTAssertNil(g.board.koPoint, "the capturing stone joined a group: no ko")
        try! g.play(.play(Point(x: 1, y: 0)), by: .black)
        XCTAssertEqual(g.board.captures(by: .black), 5)
        XCTAssertEqual(
            g.board.diagram,
            """
            .X.X.
            ...X.
            XXXX.
            .....
            .....
            """)
    }

    func testLibertiesAfterMergeCountSharedPointsOnce() {
        var b = Board(
            diagram: """
                . . . . .
                . X . X .
                . . . . .
                . X . X .
                . . . . .
                """)!
        b.play(.play(Point(x: 2, y: 2)), .black)
        b.play(.play(Point(x: 2, y: 1)), .black)
        b.play(.play(Point(x: 1, y: 2)), .black)
        // Stones: (1,1) (3,1) (1,3) (3,3) (2,2) (2,1) (1,2); connected: (1,1)-(2,1)-(3,1), (2,1)-(2,2), (1,2)-(2,2), (1,1)-(1,2), (1,3)-(1,2).
        // (3,3) is alone.
        XCTAssertEqual(b.group(at: Point(x: 2, y: 2)).count, 6)
        XCTAssertEqual(b.liberties(at: Point(x: 2, y: 2)), bruteForceLiberties(b, Point(x: 2, y: 2)))
        XCTAssertEqual(b.liberties(at: Point(x: 3, y: 3)), 4)
    }
}

/// Setup stones from a diagram.
func stones(_ diagram: String) -> [PlayedMove] {
    let b = Board(diagram: diagram)!
    return b.allPoints.compactMap { p in b[p].map { PlayedMove($0, .play(p)) } }
}

/// Liberties of the group on `p` by flood fill, to check the incremental counts.
func bruteForceLiberties(_ b: Board, _ p: Point) -> Int {
    guard let color = b[p] else { return 0 }
    var seen: Set<Point> = [p]
    var libs: Set<Point> = []
    var stack = [p]
    while let q = stack.popLast() {
        for n in [
            Point(x: q.x - 1, y: q.y), Point(x: q.x + 1, y: q.y), Point(x: q.x, y: q.y - 1), Point(x: q.x, y: q.y + 1),
        ]
        where n.isOn(size: b.size) {
            if b[n] == nil {
                libs.insert(n)
            } else if b[n] == color, !seen.contains(n) {
                seen.insert(n)
                stack.append(n)
            }
        }
    }
    return libs.count
}
