import Foundation
import GoNetwork
import GoRecords
import GoRules
import TestSupport
import Tournament
import XCTest

final class MatchTests: XCTestCase {
    /// A game's ending comes from its result and record, never from the referee's wording.
    func testEndingsFromResultAndRecord() {
        var passed = GameRecord(size: 19, komi: 7.5)
        passed.moves = [
            PlayedMove(.black, .play(Point(x: 3, y: 3))), PlayedMove(.white, .pass), PlayedMove(.black, .pass),
        ]
        var capped = passed
        capped.moves.append(PlayedMove(.white, .play(Point(x: 15, y: 15))))
        let cases: [(String, GameRecord?, MatchGame.Ending)] = [
            ("B+R", passed, .resignation), ("W+F", passed, .forfeit), ("B+T", nil, .forfeit), ("?", passed, .undecided),
            ("W+12.5", passed, .twoPasses), ("0", passed, .twoPasses), ("B+3.5", capped, .moveCap),
            ("W+0.5", nil, .twoPasses),
        ]
        for (result, record, ending) in cases {
            XCTAssertEqual(MatchGame.Ending(GameResult(sgf: result), record: record), ending, result)
        }
    }

    var dir: String!
    /// Text as an entrant's name writes it.
    static func cleaned(_ s: String) -> String {
        String(s.map { $0.isLetter || $0.isNumber || "-_.".contains($0) ? $0 : "_" })
    }

    override func setUp() {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("gonet-match-\(UUID().uuidString)").path
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: dir)
    }

    func settings(games: Int) -> MatchSettings {
        // A plays two stones then passes; B passes at once. Whoever holds the stones owns the
        // whole board under area scoring, so A wins every game, with either colour.
        var s = MatchSettings(a: "\(engines)/fixed.sh D4 Q16", b: "\(engines)/fixed.sh")
        s.games = games
        s.openingMoves = 0
        s.secondsPerMove = 5
        return s
    }

    func testAShortMatchRunsToCompletionWithTheRightCountsAndResumes() throws {
        let first = try Match.open(directory: dir, settings: settings(games: 2))
        let two = try first.run(gonet: gonet, concurrency: 2)
        XCTAssertEqual(two.count, 2)
        // The same directory with more games plays only the missing ones.
        let match = try Match.open(directory: dir, settings: settings(games: 4))
        let seen = Collected<Int>()
        let all = try match.run(gonet: gonet, concurrency: 2) { g, _ in seen.append(g.index) }
        XCTAssertEqual(Set(seen.all), [2, 3])
        XCTAssertEqual(all.count, 4)
        XCTAssertEqual(Set(all.map(\.index)), [0, 1, 2, 3])
        let st = Match.statistics(all)
        XCTAssertEqual([st.wins, st.draws, st.losses], [4, 0, 0])
        for g in all {
            XCTAssertEqual(g.aIsBlack, g.index % 2 == 0)
            XCTAssertEqual(g.result, g.aIsBlack ? "B+353.5" : "W+368.5", "\(g)")
            // A: two stones and a pass; B's passes around them; the game ends on two passes.
            XCTAssertEqual(g.moves, g.aIsBlack ? 5 : 6)
            let record = try SGFReader.records(text: try String(contentsOfFile: dir + "/" + g.sgf, encoding: .utf8))[0]
            XCTAssertEqual(record.result.description, g.result)
            XCTAssertEqual(record.rules, "Tromp-Taylor")
        }
        // The match is a tournament: its standings and entrants are the tournament's.
        let t = try Tournament.open(directory: dir)
        // Entrants are named for their side and engine, in the characters names allow, cut at 64.
        let names = try t.store.current().map(\.name)
        XCTAssertEqual(
            names,
            ["A." + Self.cleaned(engines) + "_fixed.sh_D4_Q16", "B." + Self.cleaned(engines) + "_fixed.sh"].map {
                String($0.prefix(64))
            })
        XCTAssertEqual(try t.store.games().count, 4)
        let report = match.report(all).joined(separator: "\n")
        XCTAssertTrue(
            report.contains("4 games: A 4 wins, 0 draws, 0 losses: 100.0% [51.0%, 100.0%], Elo +inf [+7, +inf]"), report
        )
        XCTAssertTrue(report.contains("game length: median 5.5 moves"), report)
        XCTAssertTrue(report.contains("endings: two passes 4"), report)
        // Running it again with all games played plays nothing.
        XCTAssertEqual(
            try Match.open(directory: dir, settings: settings(games: 4)).run(gonet: gonet, concurrency: 2).count, 4)
    }

    func testANetworkSideCarriesItsOwnModeAndVisits() throws {
        let net = dir + "-net.safetensors"
        defer { try? FileManager.default.removeItem(atPath: net) }
        let tiny = FamilyNetwork(
            Architecture.Family(
                trunk: .resnet, blocks: 1, filters: 8, policyHead: .conv, policyFilters: 2, valueHead: .pool,
                valueFilters: 2, valueHidden: 4))
        tiny.initialize(seed: 1)
        try tiny.save(path: net)
        var s = settings(games: 2)
        s.a = net + ":mcts:7"
        s.sprt = SPRT(elo0: 0, elo1: 100)
        let match = try Match.open(directory: dir, settings: s)
        let a = try XCTUnwrap(try match.tournament.matchSides()?.a)
        XCTAssertEqual(a.kind, .network)
        XCTAssertEqual(try a.networkPlay()?.mode, .mcts)
        XCTAssertEqual(try a.networkPlay()?.visits, 7)
        let cmd = try match.tournament.command(for: a, gonet: "gonet")
        XCTAssertEqual(Array(cmd[cmd.firstIndex(of: "--mode")!...].prefix(2)), ["--mode", "mcts"])
        XCTAssertEqual(cmd[cmd.firstIndex(of: "--visits")! + 1], "7")
        // The same file in another mode is another match.
        s.a = net + ":policy"
        XCTAssertThrowsError(try Match.open(directory: dir, settings: s)) { e in
            XCTAssertTrue("\(e)".contains("holds another match"), "\(e)")
        }
        // A third entrant is refused: a match has two.
        XCTAssertThrowsError(try match.tournament.submit(engine: "\(engines)/fixed.sh", name: "C", author: nil)) { e in
            XCTAssertTrue("\(e)".contains("it takes no entrant beside its two"), "\(e)")
        }
    }

    func testAnOldMatchDirectoryIsRefusedAndKept() throws {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try "{}".write(toFile: dir + "/match.json", atomically: true, encoding: .utf8)
        try "{\"index\": 0}\n".write(toFile: dir + "/results.jsonl", atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try Match.open(directory: dir, settings: settings(games: 2))) { e in
            XCTAssertTrue("\(e)".contains("older gonet"), "\(e)")
        }
        XCTAssertEqual(try String(contentsOfFile: dir + "/results.jsonl", encoding: .utf8), "{\"index\": 0}\n")
    }

    func testTheSPRTStopsTheMatchOnceItDecides() throws {
        var s = settings(games: 200)
        // H1 at 400 Elo: each win adds ln(f(400)/0.5) = 0.598, so five wins decide it.
        s.sprt = SPRT(elo0: 0, elo1: 400)
        let match = try Match.open(directory: dir, settings: s)
        let collected = Collected<String>()
        let all = try match.run(gonet: gonet, concurrency: 1) { _, all in collected.append(match.progressLine(all)) }
        let lines = collected.all
        XCTAssertEqual(all.count, 5)
        XCTAssertTrue(match.report(all).contains { $0.contains("H1 accepted") })
        // After each game: the score with its intervals and the LLR against its bounds.
        XCTAssertEqual(lines.count, 5)
        XCTAssertEqual(
            lines[0],
            "1 game: A 1 wins, 0 draws, 0 losses: 100.0% [20.7%, 100.0%], Elo +inf [-234, +inf] (95%); LLR 0.60 [-2.94, 2.94]"
        )
        XCTAssertTrue(lines[4].hasSuffix("; LLR 2.99 [-2.94, 2.94] H1 accepted"), lines[4])
        // The games nobody started are gone, and resuming a decided match plays nothing.
        XCTAssertEqual(try match.tournament.store.status().waiting, 0)
        XCTAssertEqual(try Match.open(directory: dir, settings: s).run(gonet: gonet, concurrency: 1).count, 5)
        XCTAssertEqual(try match.tournament.sprtDecision(), .acceptH1)
    }

    func testASummaryReadsTheGamesPlayedAndPlaysOrCreatesNothing() throws {
        XCTAssertThrowsError(try Match.open(directory: dir, settings: settings(games: 2), creating: false)) { e in
            XCTAssertEqual("\(e)", "\(dir!) holds no match (no tournament.json)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir), "a summary creates no match")
        // A tournament without the match's entrants is not given them by a summary.
        let empty = try Tournament.create(dir + "-empty", config: settings(games: 2).config())
        defer { try? FileManager.default.removeItem(atPath: dir + "-empty") }
        XCTAssertThrowsError(try Match.open(directory: dir + "-empty", settings: settings(games: 2), creating: false)) {
            XCTAssertTrue("\($0)".contains("-empty holds no match (no entrant A."), "\($0)")
        }
        XCTAssertEqual(try empty.store.current().count, 0)
        _ = try Match.open(directory: dir, settings: settings(games: 2)).run(gonet: gonet, concurrency: 2)
        // Asked with more games (as a match stopped halfway is), it reads the two played and
        // schedules none.
        let read = try Match.open(directory: dir, settings: settings(games: 6), creating: false)
        let games = try read.results()
        XCTAssertEqual(games.count, 2)
        XCTAssertTrue(
            read.report(games).contains(
                "2 games: A 2 wins, 0 draws, 0 losses: 100.0% [34.2%, 100.0%], Elo +inf [-113, +inf] (95%)"),
            "\(read.report(games))")
        XCTAssertEqual(try read.tournament.store.status().waiting, 0)
        // A summary asked without the settings the match was played with still reads it.
        var plain = settings(games: 2)
        plain.secondsPerMove = 10
        plain.seed = 9
        XCTAssertEqual(try Match.open(directory: dir, settings: plain, creating: false).results().count, 2)
        XCTAssertThrowsError(try Match.open(directory: dir, settings: plain)) {
            XCTAssertTrue("\($0)".contains("(its secondsPerMove, seed differ from this command's)"), "\($0)")
        }
    }

    func testAnotherMatchInTheSameDirectoryIsRefused() throws {
        _ = try Match.open(directory: dir, settings: settings(games: 2))
        var other = settings(games: 2)
        other.komi = 6.5
        other.sprt = SPRT(elo0: 0, elo1: 35, alpha: 0.05, beta: 0.05)
        XCTAssertThrowsError(try Match.open(directory: dir, settings: other)) { e in
            XCTAssertTrue("\(e)".contains("holds another match"), "\(e)")
            XCTAssertTrue("\(e)".contains("(its komi, sprt differ from this command's)"), "\(e)")
        }
        var bad = settings(games: 2)
        bad.openingMoves = 400
        XCTAssertThrowsError(try Match.open(directory: dir + "-x", settings: bad)) { e in
            XCTAssertTrue("\(e)".contains("randomOpeningMoves must be 0 to 75"), "\(e)")
        }
        XCTAssertThrowsError(try EngineSpec(parsing: "missing.safetensors:mcts:400")) { e in
            XCTAssertTrue("\(e)".contains("missing.safetensors: no such network file"), "\(e)")
        }
    }
}
