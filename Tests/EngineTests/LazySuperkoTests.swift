import GoNetwork
import XCTest

@testable import Engine
@testable import GoRules

/// Below the root the search lists moves by the board's rules alone; a move that would repeat an
/// earlier position is dropped when a descent first tries it, and never searched.
final class LazySuperkoTests: XCTestCase {
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
        var settings = SearchSettings()
        settings.visits = 200
        settings.symmetries = false
        settings.playoutWeight = 0
        let player = MCTSPlayer(
            network: scriptedNetwork([a.index(size: 19): 9, b.index(size: 19): 8]), settings: settings)
        _ = player.decide(game, color: .black, seconds: nil, analysis: nil)
        return try XCTUnwrap(player.root?.child(for: .play(a)))
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
}
