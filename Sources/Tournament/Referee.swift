import Foundation
import GoRecords
import GoRules

/// How a refereed game ended.
public struct GameOutcome: Sendable, Equatable {
    /// The winner, or nil for a draw.
    public var winner: Stone?
    public var result: GameResult
    public var reason: String
    public var record: GameRecord
    public var seconds: Double
}

/// Plays one game between two GTP engines while holding the authoritative board: an illegal
/// move, a move past the time limit, a crash or a garbled answer loses; two passes, a
/// resignation or the move cap end the game, scored by Tromp-Taylor area scoring.
public struct Referee {
    public var komi: Double
    public var moveCap: Int
    public var secondsPerMove: Double
    /// Moves played by the referee at the start (random, legal, off the first line).
    public var opening: [Move]

    public init(komi: Double, moveCap: Int, secondsPerMove: Double, opening: [Move] = []) {
        self.komi = komi
        self.moveCap = moveCap
        self.secondsPerMove = secondsPerMove
        self.opening = opening
    }

    /// A random opening of `count` moves, the same for every game of a slot pair (seeded).
    public static func randomOpening(count: Int, seed: UInt64) -> [Move] {
        var rng = RandomSource(seed: seed)
        var game = Game(size: 19, komi: 7.5)
        var moves: [Move] = []
        while moves.count < count {
            let p = Point(x: 2 + rng.below(15), y: 2 + rng.below(15))
            if game.legality(.play(p), for: game.toMove) == .legal {
                try! game.play(.play(p))
                moves.append(.play(p))
            }
        }
        return moves
    }

    /// Plays the game; `black` and `white` are started engines, names go into the SGF.
    public func play(black: GTPClient, white: GTPClient, blackName: String, whiteName: String, date: String) -> GameOutcome {
        let start = Date()
        var game = Game(size: 19, komi: komi, koRule: .positionalSuperko)
        var record = GameRecord(size: 19, komi: komi)
        record.blackPlayer = blackName
        record.whitePlayer = whiteName
        record.rules = "Tromp-Taylor"
        record.date = date
        let engines: [Stone: GTPClient] = [.black: black, .white: white]

        func finish(_ winner: Stone?, _ result: GameResult, _ reason: String) -> GameOutcome {
            record.moves = game.moves
            record.result = result
            record.extraProperties = [SGFProperty("C", [reason])]
            return GameOutcome(winner: winner, result: result, reason: reason, record: record, seconds: Date().timeIntervalSince(start))
        }
        func forfeit(_ loser: Stone, _ why: String, _ how: GameResult.Reason = .forfeit) -> GameOutcome {
            finish(loser.opponent, .win(loser.opponent, how), "\(loser) forfeits: \(why)")
        }

        // Set both engines up; a failure here forfeits that side.
        for color in [Stone.black, .white] {
            for cmd in ["boardsize 19", "clear_board", "komi \(komi)"] {
                switch engines[color]!.send(cmd, timeout: 30) {
                case .success: continue
                case .failure(let m): return forfeit(color, "\(cmd) failed: \(m)")
                case .timeout: return forfeit(color, "no answer to \(cmd)")
                case .crashed: return forfeit(color, "the engine crashed (at \(cmd))")
                }
            }
        }
        // Under Tromp-Taylor scoring every dead stone must be captured: engines that know
        // kgs-genmove_cleanup (GNU Go does) are asked for moves that way, so they do not pass
        // with the opponent's dead stones still on the board.
        var generate: [Stone: String] = [:]
        for color in [Stone.black, .white] {
            let cleanup = engines[color]!.send("known_command kgs-genmove_cleanup", timeout: 30) == .success("true")
            generate[color] = cleanup ? "kgs-genmove_cleanup" : "genmove"
        }
        for m in opening {
            let color = game.toMove
            try! game.play(m)
            let v = Coordinates.gtp(m, size: 19)
            for c in [Stone.black, .white] {
                if case let answer = engines[c]!.send("play \(color) \(v)", timeout: 30), answer != .success("") {
                    return forfeit(c, "refused the opening move \(color) \(v): \(answer)")
                }
            }
        }
        while !game.isOver {
            if game.moves.count >= moveCap + opening.count {
                let s = game.score()
                return finish(s.winner, s.winner.map { .win($0, .score(abs(s.margin))) } ?? .draw, "move cap \(moveCap) reached: Tromp-Taylor score")
            }
            let color = game.toMove
            let engine = engines[color]!
            let t0 = Date()
            let answer = engine.send("\(generate[color]!) \(color)", timeout: secondsPerMove + 2)
            let took = Date().timeIntervalSince(t0)
            let text: String
            switch answer {
            case .success(let s): text = s
            case .failure(let m): return forfeit(color, "genmove failed: \(m)")
            case .timeout: return forfeit(color, "no move within \(secondsPerMove) s", .time)
            case .crashed: return forfeit(color, "the engine crashed")
            }
            if took > secondsPerMove { return forfeit(color, "took \(String(format: "%.1f", took)) s for a move (limit \(secondsPerMove) s)", .time) }
            if text.lowercased() == "resign" { return finish(color.opponent, .win(color.opponent, .resignation), "\(color) resigns") }
            guard let move = Coordinates.move(gtp: text, size: 19) else { return forfeit(color, "answered \"\(text.prefix(40))\", not a move") }
            do { try game.play(move, by: color) } catch { return forfeit(color, "illegal move \(text): \(error)") }
            switch engines[color.opponent]!.send("play \(color) \(Coordinates.gtp(move, size: 19))", timeout: 30) {
            case .success: break
            case .failure(let m): return forfeit(color.opponent, "refused the legal move \(color) \(text): \(m)")
            case .timeout: return forfeit(color.opponent, "no answer to play", .time)
            case .crashed: return forfeit(color.opponent, "the engine crashed")
            }
        }
        let s = game.score()
        return finish(s.winner, s.winner.map { .win($0, .score(abs(s.margin))) } ?? .draw, "two passes: Tromp-Taylor score \(s.black) to \(s.white) + komi \(komi)")
    }
}
