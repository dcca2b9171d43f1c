import GoRules
import XCTest

final class CoordinatesTests: XCTestCase {
    func testGTPVertices() {
        XCTAssertEqual(Coordinates.move(gtp: "Q16", size: 19), .play(Point(x: 15, y: 3)))
        XCTAssertEqual(Coordinates.move(gtp: "q16", size: 19), .play(Point(x: 15, y: 3)))
        XCTAssertEqual(Coordinates.move(gtp: "A1", size: 19), .play(Point(x: 0, y: 18)))
        XCTAssertEqual(Coordinates.move(gtp: "T19", size: 19), .play(Point(x: 18, y: 0)))
        XCTAssertEqual(Coordinates.move(gtp: "J10", size: 19), .play(Point(x: 8, y: 9)))
        XCTAssertEqual(Coordinates.move(gtp: "PASS", size: 19), .pass)
        XCTAssertEqual(Coordinates.move(gtp: "pass", size: 9), .pass)
        XCTAssertNil(Coordinates.move(gtp: "I5", size: 19))
        XCTAssertNil(Coordinates.move(gtp: "A20", size: 19))
        XCTAssertNil(Coordinates.move(gtp: "A0", size: 19))
        XCTAssertNil(Coordinates.move(gtp: "K5", size: 9))
        XCTAssertNil(Coordinates.move(gtp: "Q", size: 19))
        XCTAssertNil(Coordinates.move(gtp: "16", size: 19))
        XCTAssertNil(Coordinates.move(gtp: "Q+1", size: 19))
        XCTAssertEqual(Coordinates.move(gtp: "Z25", size: 25), .play(Point(x: 24, y: 0)))
        XCTAssertEqual(Coordinates.gtp(.play(Point(x: 15, y: 3)), size: 19), "Q16")
        XCTAssertEqual(Coordinates.gtp(.play(Point(x: 8, y: 0)), size: 9), "J9")
        XCTAssertEqual(Coordinates.gtp(.pass, size: 19), "pass")
        for size in [2, 9, 13, 19, 25] {
            for i in 0..<(size * size) {
                let m = Move.play(Point(index: i, size: size))
                XCTAssertEqual(Coordinates.move(gtp: Coordinates.gtp(m, size: size), size: size), m)
            }
        }
    }

    func testSGFCoordinates() {
        XCTAssertEqual(Coordinates.move(sgf: "pd", size: 19), .play(Point(x: 15, y: 3)))
        XCTAssertEqual(Coordinates.move(sgf: "aa", size: 19), .play(Point(x: 0, y: 0)))
        XCTAssertEqual(Coordinates.move(sgf: "ss", size: 19), .play(Point(x: 18, y: 18)))
        XCTAssertEqual(Coordinates.move(sgf: "", size: 19), .pass)
        XCTAssertEqual(Coordinates.move(sgf: "tt", size: 19), .pass)
        XCTAssertEqual(Coordinates.move(sgf: "tt", size: 9), .pass)
        XCTAssertEqual(Coordinates.move(sgf: "tt", size: 21), .play(Point(x: 19, y: 19)))
        XCTAssertNil(Coordinates.move(sgf: "jj", size: 9))
        XCTAssertNil(Coordinates.move(sgf: "p", size: 19))
        XCTAssertNil(Coordinates.move(sgf: "p1", size: 19))
        XCTAssertEqual(Coordinates.sgf(.play(Point(x: 15, y: 3))), "pd")
        XCTAssertEqual(Coordinates.sgf(.pass), "")
        XCTAssertEqual(Move(index: 361), .pass)
        XCTAssertEqual(Move.play(Point(x: 15, y: 3)).index(), 72)
    }
}
