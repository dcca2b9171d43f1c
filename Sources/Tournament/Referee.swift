import Foundation
import GTP
import GoRecords
import GoRules

/// How a refereed game ended.
public struct GameOutcome: Sendable, Equatable {
    /// The winner, or nil for a draw.
    public var winner: Stone?
    /// The result as SGF writes it.
    public var result: GameResult
    /// Why the game ended ("two passes", "resignation", …).
    public var reason: String
    /// The game as played, with the rule and dead stones recorded.
    public var record: GameRecord
    /// Seconds the game took.
    public var seconds: Double
}

/// Plays one game between two GTP engines while holding the authoritative board: an illegal
/// move, a move past the time limit, a crash or a garbled answer loses; two passes, a
/// resignation or the move cap end the game, scored by area under the `scoring` rule.
public struct Referee {
    /// Komi.
    public var komi: Double
    /// Moves after which the game is scored as it stands.
    public var moveCap: Int
    /// Seconds an engine may take for a move (plus `answerSlack`).
    public var secondsPerMove: Double
    /// Moves played by the referee at the start (random, legal, off the first line).
    public var opening: [Move]
    /// How the final position is scored.
    public var scoring: ScoringRule
    /// The engine asked for the dead stones when the players disagree (`dead-removed` only).
    public var refereeEngine: [String]

    /// GNU Go as the referee of dead stones, as gogui-twogtp and gomill users run it.
    public static let defaultRefereeEngine = ["gnugo", "--mode", "gtp", "--level", "10"]
    /// Seconds for a setup command (boardsize, komi, play) or a status list: GNU Go answers them in
    /// milliseconds; 30 s only guards against an engine that hangs while loading.
    static let setupTimeout = 30.0
    /// Slack on top of `secondsPerMove` before a silent engine is called hung: pipes and process
    /// scheduling on a loaded 2-core machine; a move that arrives late still loses on time.
    static let answerSlack = 2.0

    /// A referee with these rules.
    public init(
        komi: Double, moveCap: Int, secondsPerMove: Double, opening: [Move] = [],
        scoring: ScoringRule = .trompTaylor, refereeEngine: [String] = Referee.defaultRefereeEngine
    ) {
        self.komi = komi
        self.moveCap = moveCap
        self.secondsPerMove = secondsPerMove
        self.opening = opening
        self.scoring = scoring
        self.refereeEngine = refereeEngine
    }

    /// A random opening of `count` moves, the same for every game of a slot pair (seeded).
    static func randomOpening(count: Int, seed: UInt64) -> [Move] {
        var rng = RandomSource(seed: seed)
        var game = Game(size: Board.standardSize, komi: 7.5)
        var moves: [Move] = []
        // 225 points of the inner 15x15 board: an opening longer than a third of them is no opening.
        while moves.count < min(count, 75) {
            let p = Point(x: 2 + rng.below(15), y: 2 + rng.below(15))
            if game.legality(.play(p), for: game.toMove) == .legal {
                try! game.play(.play(p))
                moves.append(.play(p))
            }
        }
        return moves
    }

    /// A failed exchange with an engine: who forfeits, and why.
    private struct Forfeit: Error {
        var loser: Stone
        var why: String
        var how: GameResult.Reason = .forfeit
    }

    /// A game the referee itself cannot go on with (not an engine's fault).
    private struct RefereeError: Error, CustomStringConvertible {
        var description: String
        init(_ d: String) { description = d }
    }

    /// Sends `command` to `color`'s engine; anything but a success forfeits that side, the reason
    /// prefixed with `explaining` when given.
    private func ask(
        _ engines: [Stone: GTPClient], _ color: Stone, _ command: String, timeout: Double = Referee.setupTimeout,
        explaining context: String? = nil
    ) throws -> String {
        do { return try answer(engines, color, command, timeout: timeout) } catch var f as Forfeit {
            if let context { f.why = "\(context): \(f.why)" }
            throw f
        }
    }

    private func answer(_ engines: [Stone: GTPClient], _ color: Stone, _ command: String, timeout: Double) throws
        -> String
    {
        switch engines[color]!.send(command, timeout: timeout) {
        case .success(let s): return s
        case .failure(let m):
            throw Forfeit(loser: color, why: "\(command.split(separator: " ").first ?? "") failed: \(m)")
        case .timeout: throw Forfeit(loser: color, why: "no answer to \(command)", how: .time)
        case .crashed: throw Forfeit(loser: color, why: "the engine crashed (at \(command))")
        }
    }

    /// Plays the game; `black` and `white` are started engines, names go into the SGF.
    public func play(black: GTPClient, white: GTPClient, blackName: String, whiteName: String, date: String)
        -> GameOutcome
    {
        let start = Date()
        var game = Game(size: Board.standardSize, komi: komi, koRule: .positionalSuperko)
        var record = GameRecord(size: Board.standardSize, komi: komi)
        record.blackPlayer = blackName
        record.whitePlayer = whiteName
        record.rules = scoring.sgfRules
        record.date = date
        let engines: [Stone: GTPClient] = [.black: black, .white: white]

        func finish(_ winner: Stone?, _ result: GameResult, _ reason: String, _ extra: [SGFProperty] = [])
            -> GameOutcome
        {
            record.moves = game.moves
            record.result = result
            record.extraProperties = extra + [SGFProperty("C", [reason])]
            return GameOutcome(
                winner: winner, result: result, reason: reason, record: record, seconds: Date().timeIntervalSince(start)
            )
        }
        do {
            let generate = try setUp(engines)
            try playOpening(&game, engines)
            while !game.isOver && game.moves.count < moveCap + opening.count {
                let color = game.toMove
                guard try playMove(&game, color, engines, command: generate[color]!) else {
                    return finish(color.opponent, .win(color.opponent, .resignation), "\(color) resigns")
                }
            }
        } catch let f as Forfeit {
            return finish(f.loser.opponent, .win(f.loser.opponent, f.how), "\(f.loser) forfeits: \(f.why)")
        } catch {
            return finish(nil, .unknown, "referee error: \(error)")
        }
        let (winner, result, reason, territory) = score(game, engines)
        return finish(winner, result, reason, territory)
    }

    /// Sets both engines up; returns the command each is asked for moves with. Under Tromp-Taylor
    /// every dead stone must be captured: engines that know kgs-genmove_cleanup (GNU Go does) are
    /// asked that way, so they do not pass with the opponent's dead stones still on the board.
    private func setUp(_ engines: [Stone: GTPClient]) throws -> [Stone: String] {
        var generate: [Stone: String] = [:]
        for color in [Stone.black, .white] {
            for cmd in ["boardsize 19", "clear_board", "komi \(komi)"] { _ = try ask(engines, color, cmd) }
            let cleanup =
                scoring == .trompTaylor
                && engines[color]!.send("known_command kgs-genmove_cleanup", timeout: Referee.setupTimeout)
                    == .success("true")
            generate[color] = cleanup ? "kgs-genmove_cleanup" : "genmove"
        }
        return generate
    }

    /// The referee's random opening, told to both engines.
    private func playOpening(_ game: inout Game, _ engines: [Stone: GTPClient]) throws {
        for m in opening {
            let color = game.toMove
            // The opening is the referee's own: `randomOpening` only makes legal moves.
            guard (try? game.play(m)) != nil else { throw RefereeError("the opening move \(m) is illegal") }
            let v = Coordinates.gtp(m, size: Board.standardSize)
            for c in [Stone.black, .white] {
                _ = try ask(engines, c, "play \(color) \(v)", explaining: "refused the opening move \(color) \(v)")
            }
        }
    }

    /// Asks `color` for a move within the time limit, plays it and tells the opponent; false when
    /// `color` resigns. Anything else an engine does wrong forfeits it.
    private func playMove(_ game: inout Game, _ color: Stone, _ engines: [Stone: GTPClient], command: String) throws
        -> Bool
    {
        let t0 = Date()
        let text: String
        do {
            text = try ask(engines, color, "\(command) \(color)", timeout: secondsPerMove + Referee.answerSlack)
        } catch var f as Forfeit {
            if case .time = f.how { f.why = "no move within \(secondsPerMove) s" }
            throw f
        }
        let took = Date().timeIntervalSince(t0)
        if took > secondsPerMove {
            throw Forfeit(
                loser: color, why: "took \(String(format: "%.1f", took)) s for a move (limit \(secondsPerMove) s)",
                how: .time)
        }
        if text.lowercased() == "resign" { return false }
        guard let move = Coordinates.move(gtp: text, size: Board.standardSize) else {
            throw Forfeit(loser: color, why: "answered \"\(text.prefix(40))\", not a move")
        }
        do { try game.play(move, by: color) } catch {
            throw Forfeit(loser: color, why: "illegal move \(text): \(error)")
        }
        _ = try ask(
            engines, color.opponent, "play \(color) \(Coordinates.gtp(move, size: Board.standardSize))",
            explaining: "refused the legal move \(color) \(text)")
        return true
    }

    /// The result of a game that ended on the board (two passes or the move cap) under the rule.
    private func score(_ game: Game, _ engines: [Stone: GTPClient]) -> (Stone?, GameResult, String, [SGFProperty]) {
        let ending = game.isOver ? "two passes" : "move cap \(moveCap) reached"
        let dead = deadStones(game, engines)
        let s = game.score(dead: dead.points)
        let result: GameResult = s.winner.map { .win($0, .score(abs(s.margin))) } ?? .draw
        var reason = "\(ending): \(scoring.sgfRules) score \(s.black) to \(s.white) + komi \(komi)"
        if scoring == .deadRemoved {
            let listed = [Stone.black, .white].map { c in
                "\(c.letter) "
                    + (dead.points.filter { game.board[$0] == c }.sorted().map {
                        Coordinates.gtp(.play($0), size: Board.standardSize)
                    }
                    .joined(separator: " "))
            }
            reason +=
                "; dead stones (\(dead.decidedBy.rawValue)\(dead.note.isEmpty ? "" : ": " + dead.note)): "
                + listed.joined(separator: "; ")
        }
        return (s.winner, result, reason, Self.territoryProperties(game.board, dead: dead.points))
    }

    /// SGF TB/TW: each side's area that is not its own stone (empty points and dead stones) after taking the dead off.
    static func territoryProperties(_ board: Board, dead: Set<Point>) -> [SGFProperty] {
        let owners = board.areaOwners(dead: dead)
        var props: [SGFProperty] = []
        for (key, color) in [("TB", Stone.black), ("TW", Stone.white)] {
            let points = board.allPoints.filter {
                owners[$0.index(size: Board.standardSize)] == color && board[$0] != color
            }
            if !points.isEmpty { props.append(SGFProperty(key, points.map { Coordinates.sgf(.play($0)) })) }
        }
        return props
    }

    /// The dead stones under the scoring rule: none for Tromp-Taylor; otherwise the players'
    /// agreed list, or the referee engine's.
    func deadStones(_ game: Game, _ engines: [Stone: GTPClient]) -> DeadStones {
        guard scoring == .deadRemoved else { return DeadStones(points: [], decidedBy: .none, note: "") }
        var lists: [Set<Point>?] = []
        for c in [Stone.black, .white] {
            if case .success(let text) = engines[c]!.send("final_status_list dead", timeout: Referee.setupTimeout) {
                lists.append(Self.points(text))
            } else {
                lists.append(nil)
            }
        }
        if let a = lists[0], let b = lists[1], a == b { return DeadStones(points: a, decidedBy: .players, note: "") }
        let why = lists.contains(where: { $0 == nil }) ? "a player gave no list" : "the players disagree"
        return refereeDeadStones(game, why: why)
    }

    /// Asks the referee engine, replaying the game into it.
    public func refereeDeadStones(_ game: Game, why: String) -> DeadStones {
        let failed = { (m: String) in
            DeadStones(
                points: [], decidedBy: .none, note: "\(why); referee \(self.refereeEngine.first ?? "") failed: \(m)")
        }
        guard !refereeEngine.isEmpty, let engine = try? GTPClient(command: refereeEngine) else {
            return failed("cannot start")
        }
        defer { engine.stop() }
        var commands = ["boardsize 19", "clear_board", "komi \(komi)"]
        commands += game.moves.map { "play \($0.color) \(Coordinates.gtp($0.move, size: Board.standardSize))" }
        for c in commands {
            guard case .success = engine.send(c, timeout: Referee.setupTimeout) else {
                return failed("no answer to \(c)")
            }
        }
        guard case .success(let text) = engine.send("final_status_list dead", timeout: 120) else {
            return failed("no answer to final_status_list")
        }
        return DeadStones(points: Self.points(text), decidedBy: .referee, note: why)
    }

    /// The vertices of a status list (spaces and line breaks between them); anything else is skipped.
    static func points(_ text: String) -> Set<Point> {
        Set(
            text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).compactMap {
                Coordinates.move(gtp: $0, size: Board.standardSize)?.point
            })
    }
}
