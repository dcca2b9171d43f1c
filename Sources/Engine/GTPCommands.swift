import Foundation
import GoNetwork
import GoRecords
import GoRules

/// The standard GTP commands and the KGS and GoGui extensions (the handlers of `GTPEngine.handlers`).
extension GTPEngine {
    func boardsize(_ a: [String]) throws -> String {
        try GTPArguments.expect(a, 1)
        guard let n = Int(a[0]) else { throw EngineError("syntax error") }
        guard n == 19 else { throw EngineError("unacceptable size") }
        newGame()
        return ""
    }

    func setKomi(_ a: [String]) throws -> String {
        try GTPArguments.expect(a, 1)
        let k = try GTPArguments.number(a[0], -Double.greatestFiniteMagnitude...Double.greatestFiniteMagnitude)
        guard Limits.isValidKomi(k, size: game.size) else { throw EngineError("syntax error") }
        game.komi = k
        return ""
    }

    func play(_ a: [String]) throws -> String {
        try GTPArguments.expect(a, 2)
        let c = try GTPArguments.color(a[0])
        let m = try GTPArguments.vertex(a[1], size: game.size)
        do { try game.play(m, by: c) } catch { throw EngineError("illegal move") }
        player.played(PlayedMove(c, m))
        return ""
    }

    func genmove(_ a: [String], play: Bool) throws -> String {
        try GTPArguments.expect(a, 1)
        return try genmove(try GTPArguments.color(a[0]), play: play, restrictions: .none, analysis: nil)
    }

    /// Asks the player for a move under the clock; plays it unless `play` is false.
    func genmove(_ color: Stone, play: Bool, restrictions: MoveRestrictions, analysis: ((Decision) -> Void)?) throws
        -> String
    {
        let budget = clocks[color]!.budget(movesPlayed: game.moves.count)
        let d = player.decide(game, color: color, seconds: budget, restrictions: restrictions, analysis: analysis)
        if d.resign { return "resign" }
        if play {
            do { try game.play(d.move, by: color) } catch {
                throw EngineError("the player chose an illegal move \(Coordinates.gtp(d.move, size: game.size))")
            }
            player.played(PlayedMove(color, d.move))
        }
        return Coordinates.gtp(d.move, size: game.size)
    }

    func undo() throws -> String {
        guard game.undo() else { throw EngineError("cannot undo") }
        player.reset()
        return ""
    }

    func finalStatusList(_ a: [String]) throws -> String {
        try GTPArguments.expect(a, 1)
        // The engine's own judgement (docs/ENDGAME.md) as a final count.
        let dead = Set(judgement().deadStones(on: game.board, threshold: Territory.counted))
        let stones = Stone.allCases.flatMap { game.board.stones(of: $0) }.sorted()
        switch a[0].lowercased() {
        case "alive": return stones.filter { !dead.contains($0) }.map(gtp).joined(separator: " ")
        case "dead": return stones.filter { dead.contains($0) }.map(gtp).joined(separator: " ")
        case "seki": return ""
        default: throw EngineError("syntax error")
        }
    }

    func handicap(_ a: [String], free: Bool) throws -> String {
        try GTPArguments.expect(a, 1)
        let n = try GTPArguments.integer(a[0], Int.min...Int.max)
        guard game.moves.isEmpty && game.setup.isEmpty && game.board.emptyCount == Features.points else {
            throw EngineError("board not empty")
        }
        // Free placement may ask for more than the nine fixed points; gonet places those nine.
        guard (2...9).contains(n) || (free && (2..<Features.points).contains(n)) else {
            throw EngineError("invalid number of stones")
        }
        guard let points = game.placeFixedHandicap(min(n, 9)) else { throw EngineError("invalid number of stones") }
        player.reset()
        return points.map(gtp).joined(separator: " ")
    }

    func setFreeHandicap(_ a: [String]) throws -> String {
        var points: [Point] = []
        for v in a {
            guard case .play(let p)? = Coordinates.move(gtp: v, size: game.size) else {
                throw EngineError("bad vertex list")
            }
            points.append(p)
        }
        switch game.setFreeHandicap(points) {
        case nil: break
        case .boardNotEmpty: throw EngineError("board not empty")
        case .count, .offBoard, .repeated: throw EngineError("bad vertex list")
        }
        player.reset()
        return ""
    }

    /// GTP `time_settings main byo-yomi stones` (the spec's integers; fractions are accepted).
    func timeSettings(_ a: [String]) throws -> String {
        try GTPArguments.expect(a, 3)
        let m = try GTPArguments.seconds(a[0])
        let b = try GTPArguments.seconds(a[1])
        let s = try GTPArguments.stones(a[2])
        for c in Stone.allCases { clocks[c]!.set(main: m, byoYomi: b, stones: s) }
        return ""
    }

    func timeLeft(_ a: [String]) throws -> String {
        try GTPArguments.expect(a, 3)
        let c = try GTPArguments.color(a[0])
        let t = try GTPArguments.seconds(a[1])
        let s = try GTPArguments.stones(a[2])
        clocks[c]!.update(left: t, stones: s)
        return ""
    }

    /// KGS's `kgs-time_settings none | absolute MAIN | byoyomi MAIN PERIOD PERIODS | canadian MAIN TIME STONES`.
    func kgsTimeSettings(_ a: [String]) throws -> String {
        guard let kind = a.first?.lowercased() else { throw EngineError("syntax error") }
        let rest = Array(a.dropFirst())
        switch kind {
        case "none":
            try GTPArguments.expect(rest, 0)
            for c in Stone.allCases { clocks[c] = TimeControl() }
        case "absolute":
            try GTPArguments.expect(rest, 1)
            let main = try GTPArguments.seconds(rest[0])
            for c in Stone.allCases {
                clocks[c]!.set(main: main, byoYomi: 0, stones: 0)
                clocks[c]!.limited = true
            }
        case "canadian":
            try GTPArguments.expect(rest, 3)
            let main = try GTPArguments.seconds(rest[0])
            let t = try GTPArguments.seconds(rest[1])
            let s = try GTPArguments.stones(rest[2])
            for c in Stone.allCases { clocks[c]!.set(main: main, byoYomi: t, stones: s) }
        case "byoyomi":
            // Japanese byo-yomi: main, period time, periods. One period is the safe reading.
            try GTPArguments.expect(rest, 3)
            let main = try GTPArguments.seconds(rest[0])
            let t = try GTPArguments.seconds(rest[1])
            _ = try GTPArguments.stones(rest[2])
            for c in Stone.allCases { clocks[c]!.set(main: main, byoYomi: t, stones: 1) }
        default: throw EngineError("syntax error")
        }
        return ""
    }

    /// GTP `loadsgf FILE [MOVE]`: the position before move MOVE (the whole game without it).
    func loadSGF(_ a: [String]) throws -> String {
        guard a.count == 1 || a.count == 2 else { throw EngineError("syntax error") }
        let moveNumber = a.count == 2 ? try GTPArguments.integer(a[1], 1...Int(Int32.max)) : nil
        let records: [GameRecord]
        do { records = try SGFReader(path: a[0]).prefix(1).map { try $0.record.get() } } catch {
            throw EngineError("cannot load file")
        }
        guard let r = records.first else { throw EngineError("cannot load file") }
        guard r.size == 19 else { throw EngineError("unacceptable size") }
        let count = moveNumber.map { min($0 - 1, r.moves.count) } ?? r.moves.count
        // The record's moves are legal under its own rules (a Japanese game may repeat a
        // position); the moves played from here on follow gonet's positional superko.
        do { game = try r.game(afterMoves: count) } catch { throw EngineError("cannot load file") }
        game.koRule = .positionalSuperko
        player.reset()
        return ""
    }

    func sgf() -> String {
        var r = GameRecord(size: Board.standardSize, komi: game.komi)
        r.setup = game.setup
        r.handicap = game.setup.count
        r.moves = game.moves
        r.edits = game.edits
        r.blackPlayer = name
        r.whitePlayer = name
        if game.isOver { r.result = GameResult(sgf: game.score().description) }
        return SGFWriter.sgf(r)
    }

    func showboard() -> String {
        let letters = Array("ABCDEFGHJKLMNOPQRST")
        var out = "   " + letters.map(String.init).joined(separator: " ") + "\n"
        let last = game.lastMove?.move.point
        for y in 0..<19 {
            let row = 19 - y
            out += (row < 10 ? " \(row)" : "\(row)")
            for x in 0..<19 {
                let p = Point(x: x, y: y)
                let mark: String
                switch game.board[p] {
                case .black: mark = "X"
                case .white: mark = "O"
                case nil: mark = ([3, 9, 15].contains(x) && [3, 9, 15].contains(y)) ? "+" : "."
                }
                out += (p == last ? "(" : " ") + mark
            }
            out += (row < 10 ? " \(row)" : " \(row)")
            if y == 0 { out += "   \(game.toMove) to move" }
            if y == 1 {
                out += "   captures: black \(game.board.captures(by: .black)), white \(game.board.captures(by: .white))"
            }
            if y == 2 { out += "   komi \(game.komi), move \(game.moves.count)" }
            out += "\n"
        }
        out += "   " + letters.map(String.init).joined(separator: " ")
        return out
    }

    func policyGfx() throws -> String {
        guard let net = (player as? NetworkBacked)?.network else { throw EngineError("no network") }
        let (policy, _) = net.evaluate([EncodedPosition(game)])
        var influence: [String] = []
        var labels: [String] = []
        for i in 0..<Features.points where game.board.stone(atIndex: i) == nil {
            let p = policy[i]
            guard p >= 0.001 else { continue }
            let v = gtp(Point(index: i))
            influence.append("\(v) \(String(format: "%.3f", min(1, Double(p) * 5)))")
            if p >= 0.01 { labels.append("\(v) \(Int((p * 100).rounded()))") }
        }
        return "INFLUENCE " + influence.joined(separator: " ") + "\nLABEL " + labels.joined(separator: " ")
            + "\nTEXT pass \(String(format: "%.1f", policy[Features.points] * 100))%"
    }

    /// GoGui's INFLUENCE of the territory judgement (+1 Black, -1 White), dead stones marked.
    func ownershipGfx() -> String {
        let t = judgement()
        let influence = game.board.allPoints.map {
            "\(gtp($0)) \(String(format: "%.2f", t.ownership[$0.index(size: game.size)]))"
        }
        let dead = t.deadStones(on: game.board, threshold: Territory.counted).map(gtp)
        return "INFLUENCE " + influence.joined(separator: " ")
            + (dead.isEmpty ? "" : "\nMARK " + dead.joined(separator: " "))
    }

    func valueText() throws -> String {
        guard let net = (player as? NetworkBacked)?.network else { throw EngineError("no network") }
        let (_, value) = net.evaluate([EncodedPosition(game)])
        // The playouts' share beside the value: the late estimate resignation trusts (`Resignation`).
        let playouts = judgement().winRate(for: game.toMove, komi: game.komi)
        return "\(game.toMove) to move: value \(String(format: "%.3f", value[0]))"
            + " (win rate \(String(format: "%.1f", Double(value[0] + 1) * 50))%);"
            + " playouts won \(String(format: "%.1f", playouts * 100))% of \(judgementPlayouts)"
    }
}

/// Players that hold a network (for the policy and value displays).
protocol NetworkBacked { var network: PolicyValueNetwork { get } }
extension PolicyPlayer: NetworkBacked {}
extension MCTSPlayer: NetworkBacked {}
