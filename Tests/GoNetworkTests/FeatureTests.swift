import GoNetwork
import GoRules
import XCTest

final class FeatureTests: XCTestCase {
    func game(_ moves: String) throws -> Game {
        var g = Game(size: 19, komi: 7.5, koRule: .simple)
        for v in moves.split(separator: " ") { try g.play(Coordinates.move(gtp: v, size: 19)!) }
        return g
    }

    func at(_ planes: [Float], _ plane: Int, _ gtp: String) -> Float {
        planes[plane * 361 + Coordinates.move(gtp: gtp, size: 19)!.index()]
    }

    func testEmptyBoardBlackToMove() {
        let p = Features.planes(EncodedPosition(Game(size: 19)))
        XCTAssertEqual(p.count, 6 * 361)
        XCTAssertEqual(p[0..<722].reduce(0, +), 0)
        XCTAssertEqual(p[722..<1083].reduce(0, +), 361, "every point empty")
        XCTAssertEqual(p[1083..<(6 * 361)].reduce(0, +), 0, "no last move, no atari, black to move")
    }

    func testStonesLastMoveAndWhiteToMove() throws {
        let g = try game("Q16 D4 Q4")
        let p = Features.planes(EncodedPosition(g))
        // White to move: "us" is White.
        XCTAssertEqual(at(p, 0, "D4"), 1)
        XCTAssertEqual(at(p, 1, "Q16"), 1)
        XCTAssertEqual(at(p, 1, "Q4"), 1)
        XCTAssertEqual(at(p, 0, "Q16"), 0)
        XCTAssertEqual(at(p, 2, "Q16"), 0)
        XCTAssertEqual(at(p, 2, "K10"), 1)
        XCTAssertEqual(at(p, 3, "Q4"), 1, "black's last move")
        XCTAssertEqual(p[3 * 361..<4 * 361].reduce(0, +), 1)
        XCTAssertEqual(p[5 * 361..<6 * 361].reduce(0, +), 361, "white to move")
        for i in 0..<361 { XCTAssertEqual(p[i] + p[361 + i] + p[722 + i], 1) }
    }

    func testAtariCaptureAndLastMoveAfterPass() throws {
        // Black K10 surrounded on three sides: in atari; White J10 too? No: J10 has liberties.
        var g = try game("K10 K11 A1 L10 A2")
        var p = Features.planes(EncodedPosition(g))
        XCTAssertEqual(at(p, 4, "K10"), 0, "two liberties left")
        try g.play(Coordinates.move(gtp: "K9", size: 19)!)  // white: K10 now in atari
        p = Features.planes(EncodedPosition(g))
        XCTAssertEqual(at(p, 4, "K10"), 1)
        XCTAssertEqual(p[4 * 361..<5 * 361].reduce(0, +), 1, "only K10 is in atari")
        XCTAssertEqual(at(p, 0, "K10"), 1, "black to move: K10 is ours")
        XCTAssertEqual(at(p, 3, "K9"), 1)
        try g.play(.pass)  // black passes
        p = Features.planes(EncodedPosition(g))
        XCTAssertEqual(p[3 * 361..<4 * 361].reduce(0, +), 0, "all zero after a pass")
        try g.play(Coordinates.move(gtp: "J10", size: 19)!)  // white captures K10
        p = Features.planes(EncodedPosition(g))
        XCTAssertEqual(at(p, 2, "K10"), 1, "captured point is empty")
        XCTAssertEqual(at(p, 3, "J10"), 1)
        XCTAssertEqual(p[4 * 361..<5 * 361].reduce(0, +), 0)
        // White to move again right after White's own move: that move is not the opponent's.
        g.setToMove(.white)
        p = Features.planes(EncodedPosition(g))
        XCTAssertEqual(p[3 * 361..<4 * 361].reduce(0, +), 0)
    }

    func testSymmetriesMatchReplayingTransformedMoves() throws {
        let moves = "Q16 D4 Q4 D16 R14 C6 K10 J11 F3".split(separator: " ").map { Coordinates.move(gtp: $0, size: 19)! }
        var original = Game(size: 19)
        for m in moves { try original.play(m) }
        let target = Coordinates.move(gtp: "O17", size: 19)!.index()
        for k in 0..<8 {
            var transformed = Game(size: 19)
            for m in moves { try transformed.play(Move(index: Symmetry.apply(k, m.index()))) }
            XCTAssertEqual(
                Features.planes(EncodedPosition(original), symmetry: k), Features.planes(EncodedPosition(transformed)),
                "symmetry \(k)")
            // The policy target moves the same way; pass stays.
            XCTAssertTrue(transformed.board.isLegal(Move(index: Symmetry.apply(k, target)), for: .black))
            XCTAssertEqual(Symmetry.apply(k, 361), 361)
            XCTAssertEqual(Symmetry.apply(Symmetry.inverse(k), Symmetry.apply(k, target)), target)
        }
        // FORMAT.md's definition on a concrete point: (15, 3) = Q16.
        XCTAssertEqual(Symmetry.apply(1, 3 * 19 + 15), 3 * 19 + 3)
        XCTAssertEqual(Symmetry.apply(2, 3 * 19 + 15), 15 * 19 + 15)
        XCTAssertEqual(Symmetry.apply(4, 3 * 19 + 15), 15 * 19 + 3)
        XCTAssertEqual(Symmetry.apply(7, 3 * 19 + 15), 3 * 19 + 15, "x→3, y→15, swap → (15, 3)")
    }
}
