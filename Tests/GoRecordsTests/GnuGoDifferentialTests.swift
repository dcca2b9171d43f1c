import GTP
import GoRecords
import GoRules
import XCTest

/// GoRules against GNU Go 3.8 over GTP: after every move the full board and the legality of
/// sampled points must agree. GNU Go forbids suicide and simple ko, as `KoRule.simple` does.
final class GnuGoDifferentialTests: XCTestCase {
    struct Tally {
        var moves = 0, captures = 0, kos = 0, illegalTried = 0, legalityChecks = 0
    }

    /// Compares both boards stone by stone, and `is_legal` on every point in `probe`.
    func compare(
        _ gnugo: GTPClient, _ game: Game, probe: [Point], _ tally: inout Tally, _ context: @autoclosure () -> String
    ) throws {
        let size = game.size
        for color in Stone.allCases {
            let theirs = Set(try gnugo.ask("list_stones \(color)").split(separator: " ").map(String.init))
            let ours = Set(game.board.stones(of: color).map { Coordinates.gtp(.play($0), size: size) })
            if theirs != ours {
                XCTFail(
                    "\(context()): \(color) stones differ: only GNU Go \(theirs.subtracting(ours).sorted()), only gonet \(ours.subtracting(theirs).sorted())"
                )
                throw XCTSkip("stopping this game after a mismatch")
            }
        }
        let color = game.toMove
        for p in probe {
            let v = Coordinates.gtp(.play(p), size: size)
            let theirs = try gnugo.ask("is_legal \(color) \(v)") == "1"
            let ours = game.legality(.play(p), for: color) == .legal
            tally.legalityChecks += 1
            if theirs != ours {
                XCTFail(
                    "\(context()): is_legal \(color) \(v): GNU Go \(theirs), gonet \(game.legality(.play(p), for: color))"
                )
            }
        }
    }

    func testRecordedGamesAgreeWithGnuGo() throws {
        let gnugo = try GnuGo.start()
        var tally = Tally()
        var rng = RandomSource(seed: 7)
        var replayed = 0
        for path in try SharedData.collections() {
            let reader = try SGFReader(path: path)
            var taken = 0
            while taken < (path.contains("gnugo") ? 10 : 4), let e = try reader.nextEntry() {
                guard case .success(let record) = e.record else { continue }
                taken += 1
                replayed += 1
                try gnugo.ask("boardsize \(record.size)")
                try gnugo.ask("clear_board")
                var game = record.startingGame(koRule: .simple)
                for (i, m) in record.moves.enumerated() {
                    let before = game.board.captures(by: m.color)
                    try gnugo.ask("play \(m.color) \(Coordinates.gtp(m.move, size: record.size))")
                    try game.play(m.move, by: m.color)
                    tally.moves += 1
                    if game.board.captures(by: m.color) > before { tally.captures += 1 }
                    if game.board.koPoint != nil { tally.kos += 1 }
                    var probe = (0..<6).map { _ in Point(index: rng.below(record.size * record.size), size: record.size)
                    }
                    if let k = game.board.koPoint { probe.append(k) }
                    try compare(gnugo, game, probe: probe, &tally, "\(path) game \(e.index) move \(i + 1)")
                }
            }
        }
        XCTAssertEqual(replayed, 10 * 4 + 10)
        XCTAssertGreaterThan(tally.captures, 50)
        XCTAssertGreaterThan(tally.kos, 5)
    }

    func testRandomCaptureAndKoRichGamesAgreeWithGnuGo() throws {
        let gnugo = try GnuGo.start()
        var tally = Tally()
        var rng = RandomSource(seed: 2026)
        for (size, games) in [(5, 40), (7, 30), (9, 20), (19, 3)] {
            for g in 0..<games {
                try gnugo.ask("boardsize \(size)")
                try gnugo.ask("clear_board")
                var game = Game(size: size, komi: 0, koRule: .simple)
                // Random moves, eye-filling allowed, so groups die and ko fights happen all the time.
                for i in 0..<(size * size * 3) {
                    let color = game.toMove
                    let empties = game.board.emptyPoints
                    // Now and then try a move we believe illegal: GNU Go must refuse it too.
                    if let bad = empties.first(where: { game.legality(.play($0), for: color) != .legal }),
                        rng.below(4) == 0
                    {
                        let v = Coordinates.gtp(.play(bad), size: size)
                        XCTAssertThrowsError(
                            try gnugo.ask("play \(color) \(v)"),
                            "size \(size) game \(g) move \(i): GNU Go accepted \(color) \(v), gonet says \(game.legality(.play(bad), for: color))"
                        )
                        tally.illegalTried += 1
                    }
                    let legal = empties.filter { game.legality(.play($0), for: color) == .legal }
                    let move: Move = legal.isEmpty || rng.below(40) == 0 ? .pass : .play(legal[rng.below(legal.count)])
                    let before = game.board.captures(by: color)
                    try gnugo.ask("play \(color) \(Coordinates.gtp(move, size: size))")
                    try game.play(move)
                    tally.moves += 1
                    if game.board.captures(by: color) > before { tally.captures += 1 }
                    if game.board.koPoint != nil { tally.kos += 1 }
                    var probe = (0..<4).map { _ in Point(index: rng.below(size * size), size: size) }
                    if let k = game.board.koPoint { probe.append(k) }
                    try compare(gnugo, game, probe: probe, &tally, "size \(size) game \(g) move \(i + 1)")
                }
            }
        }
        XCTAssertGreaterThan(tally.kos, 50, "ko fights were exercised")
        XCTAssertGreaterThan(tally.captures, 1000)
        XCTAssertGreaterThan(tally.illegalTried, 100)
    }
}
