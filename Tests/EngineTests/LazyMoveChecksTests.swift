import GoNetwork
import XCTest

@testable import Engine
@testable import GoRules

/// Below the root the search lists every empty point; a move that would repeat an earlier
/// position, fill the mover's own eye or be suicide is dropped when a descent first tries it, and
/// never searched.
final class LazyMoveChecksTests: XCTestCase {
    let a = Point(x: 10, y: 10)
    let b = Point(x: 12, y: 12)

    /// The tree after 200 visits from a position where Black's favourite is `a` and White's reply
    /// `b` (a scripted policy), with the position after a, b made a repetition when `repeats`.
    func search(repeats: Bool) throws -> SearchNode {
        var game = Game(size: 19, komi: 7.5, koRule: .positionalSuperko)
        try game.play(.play(Point(x: 3, y: 3)))
        try game.play(.play(Point(x: 15, y: 15)))
        if repeats {
            var after = game
            try after.play(.play(a))
            game.seen.insert(after.board.hash(after: .play(b), by: .white))
            var check = game
            try check.play(.play(a))
            XCTAssertEqual(check.legality(.play(b), for: .white), .superko)
            XCTAssertEqual(check.board.legality(.play(b), for: .white), .legal)
        }
        return try XCTUnwrap(searched(game, [a: 9, b: 8]).child(for: .play(a)))
    }

    /// The root after a 200-visit search by Black on one orientation, the network's policy
    /// scripted by `logits`.
    func searched(_ game: Game, _ logits: [Point: Float]) throws -> SearchNode {
        var settings = SearchSettings()
        settings.visits = 200
        settings.symmetries = false
        settings.playoutWeight = 0
        let network = scriptedNetwork(
            Dictionary(uniqueKeysWithValues: logits.map { ($0.key.index(size: 19), $0.value) }))
        let player = MCTSPlayer(network: network, settings: settings)
        _ = player.decide(game, color: .black, seconds: nil, analysis: nil)
        return try XCTUnwrap(player.root)
    }

    func testARepetitionBelowTheRootIsDroppedWhenFirstTried() throws {
        let child = try search(repeats: true)
        XCTAssertGreaterThan(child.visits, 50)
        XCTAssertFalse(child.moves.contains(.play(b)))
        XCTAssertEqual(child.moves.count, child.priors.count)
        XCTAssertEqual(child.moves.count, child.children.count)
        XCTAssertTrue(child.moves.contains(.pass))
        // Every visit below went to a legal move.
        XCTAssertEqual(child.children.reduce(0) { $0 + ($1?.visits ?? 0) }, child.visits - 1)
    }

    func testWithoutTheRepetitionTheSameMoveIsSearched() throws {
        let child = try search(repeats: false)
        XCTAssertGreaterThan(child.child(for: .play(b))?.visits ?? 0, 10)
    }

    /// The reply below `a` after 200 visits, where White's two favourite points are its own eye at
    /// the corner (0, 0) and a suicide inside Black's eye at (18, 18).
    func testAnEyeFillAndASuicideBelowTheRootAreDroppedWhenFirstTried() throws {
        var game = Game(size: 19, komi: 7.5)
        for (x, y) in [(1, 0), (0, 1), (1, 1)] { try game.play(.play(Point(x: x, y: y)), by: .white) }
        for (x, y) in [(17, 18), (18, 17), (17, 17)] { try game.play(.play(Point(x: x, y: y)), by: .black) }
        let eye = Point(x: 0, y: 0)
        let suicide = Point(x: 18, y: 18)
        game.setToMove(.black)
        XCTAssertTrue(game.board.isEye(eye, of: .white))
        XCTAssertEqual(game.board.legality(.play(suicide), for: .white), .suicide)
        let root = try searched(game, [a: 12, eye: 11, suicide: 10, b: 9])
        // The root lists the sensible moves only: Black's own eye and White's are not among them.
        XCTAssertFalse(root.moves.contains(.play(eye)))
        XCTAssertFalse(root.moves.contains(.play(suicide)))
        let child = try XCTUnwrap(root.child(for: .play(a)))
        XCTAssertGreaterThan(child.visits, 50)
        XCTAssertFalse(child.moves.contains(.play(eye)))
        XCTAssertFalse(child.moves.contains(.play(suicide)))
        XCTAssertEqual(child.moves.count, child.priors.count)
        XCTAssertEqual(child.moves.count, child.children.count)
        // Every visit below went to a sensible move, first of all the next favourite, and the
        // priors left still sum to 1.
        XCTAssertEqual(child.children.reduce(0) { $0 + ($1?.visits ?? 0) }, child.visits - 1)
        XCTAssertGreaterThan(child.child(for: .play(b))?.visits ?? 0, 10)
        XCTAssertEqual(child.priors.reduce(0.0) { $0 + Double($1) }, 1, accuracy: 1e-5)
    }
}
