import Foundation
import GoNetwork
import GoRecords
import GoRules

/// A GTP version 2 engine around a player: the game state, every standard command, the
/// GoGui and Leela Zero analysis extensions, and the clock. `handle(_:)` turns one input line
/// into its response, so the protocol is testable without pipes; `run` drives stdin and stdout.
public final class GTPEngine {
    public let name: String
    public let version: String
    public private(set) var game: Game
    var player: Player
    var clocks: [Stone: TimeControl] = [.black: TimeControl(), .white: TimeControl()]
    /// True after `quit`.
    public private(set) var quitRequested = false
    /// Receives analysis lines while a command streams (lz-analyze, lz-genmove_analyze); `run` sets it to stdout.
    public var output: (String) -> Void = { _ in }
    /// Set while `lz-analyze` streams; `run` stops it when the next line arrives.
    var analysisStop: (() -> Void)?

    public static let commands = [
        "protocol_version", "name", "version", "known_command", "list_commands", "quit", "boardsize", "clear_board",
        "komi", "play", "genmove", "undo", "showboard", "final_score", "final_status_list", "fixed_handicap",
        "place_free_handicap", "set_free_handicap", "time_settings", "time_left", "kgs-time_settings", "loadsgf",
        "printsgf", "reg_genmove", "kgs-genmove_cleanup", "gogui-analyze_commands", "gonet-policy", "gonet-value", "gonet-ownership",
        "lz-analyze", "lz-genmove_analyze",
    ]

    public init(player: Player, name: String = "gonet", version: String = "0.1.0", komi: Double = 7.5) {
        self.player = player
        self.name = name
        self.version = version
        game = Game(size: 19, komi: komi, koRule: .positionalSuperko)
    }

    /// The response to one line (nil for an empty or comment line).
    public func handle(_ line: String) -> String? {
        guard let cmd = GTPParser.parse(line) else { return nil }
        do {
            let result = try dispatch(cmd)
            return GTPParser.success(cmd.id, result)
        } catch let e as GTPFailure {
            return GTPParser.failure(cmd.id, e.message)
        } catch {
            return GTPParser.failure(cmd.id, "\(error)")
        }
    }

    struct GTPFailure: Error { var message: String }
    func fail(_ m: String) -> GTPFailure { GTPFailure(message: m) }

    func color(_ s: String) throws -> Stone {
        guard let c = Stone(name: s) else { throw fail("syntax error") }
        return c
    }

    func vertex(_ s: String) throws -> Move {
        guard let m = Coordinates.move(gtp: s, size: game.size) else { throw fail("syntax error") }
        return m
    }

    func dispatch(_ cmd: GTPLine) throws -> String {
        let a = cmd.arguments
        switch cmd.name {
        case "protocol_version": return "2"
        case "name": return name
        case "version": return version
        case "known_command":
            guard a.count == 1 else { throw fail("syntax error") }
            return Self.commands.contains(a[0]) ? "true" : "false"
        case "list_commands": return Self.commands.joined(separator: "\n")
        case "quit":
            quitRequested = true
            return ""
        case "boardsize":
            guard a.count == 1, let n = Int(a[0]) else { throw fail("syntax error") }
            guard n == 19 else { throw fail("unacceptable size") }
            newGame()
            return ""
        case "clear_board":
            newGame()
            return ""
        case "komi":
            // Komi beyond the board's 361 points cannot change a result; larger values are refused.
            guard a.count == 1, let k = Double(a[0]), k.isFinite, abs(k) <= 361 else { throw fail("syntax error") }
            game.komi = k
            return ""
        case "play":
            guard a.count == 2 else { throw fail("syntax error") }
            let c = try color(a[0]), m = try vertex(a[1])
            do { try game.play(m, by: c) } catch { throw fail("illegal move") }
            player.played(PlayedMove(c, m))
            return ""
        case "genmove", "reg_genmove", "kgs-genmove_cleanup":
            guard a.count == 1 else { throw fail("syntax error") }
            return try genmove(try color(a[0]), play: cmd.name != "reg_genmove", analysis: nil)
        case "undo":
            guard game.undo() else { throw fail("cannot undo") }
            player.reset()
            return ""
        case "showboard": return "\n" + showboard()
        case "final_score": return judgement().score(game.board, komi: game.komi).description
        case "final_status_list":
            guard a.count == 1 else { throw fail("syntax error") }
            // The engine's own judgement (docs/ENDGAME.md) as a final count.
            let dead = Set(judgement().deadStones(on: game.board, threshold: Territory.counted))
            let stones = Stone.allCases.flatMap { game.board.stones(of: $0) }.sorted()
            switch a[0] {
            case "alive": return stones.filter { !dead.contains($0) }.map(gtp).joined(separator: " ")
            case "dead": return stones.filter { dead.contains($0) }.map(gtp).joined(separator: " ")
            case "seki": return ""
            default: throw fail("syntax error")
            }
        case "fixed_handicap", "place_free_handicap":
            guard a.count == 1, let n = Int(a[0]) else { throw fail("syntax error") }
            guard game.moves.isEmpty && game.setup.isEmpty && game.board.emptyCount == 361 else { throw fail("board not empty") }
            guard (2...9).contains(n) || (cmd.name == "place_free_handicap" && n >= 2 && n < 361) else { throw fail("invalid number of stones") }
            guard let points = game.placeFixedHandicap(min(n, 9)) else { throw fail("invalid number of stones") }
            player.reset()
            return points.map(gtp).joined(separator: " ")
        case "set_free_handicap":
            var points: [Point] = []
            for v in a {
                guard case .play(let p) = try vertex(v) else { throw fail("bad vertex list") }
                points.append(p)
            }
            if let why = game.setFreeHandicap(points) { throw fail(why.hasPrefix("board not empty") ? "board not empty" : "bad vertex list") }
            player.reset()
            return ""
        case "time_settings":
            guard a.count == 3, let m = Double(a[0]), let b = Double(a[1]), let s = Int(a[2]), m >= 0, b >= 0, s >= 0 else { throw fail("syntax error") }
            for c in Stone.allCases { clocks[c]!.set(main: m, byoYomi: b, stones: s) }
            return ""
        case "kgs-time_settings":
            guard let kind = a.first else { throw fail("syntax error") }
            let nums = a.dropFirst().compactMap(Double.init)
            switch kind {
            case "none": for c in Stone.allCases { clocks[c] = TimeControl() }
            case "absolute":
                guard nums.count == 1 else { throw fail("syntax error") }
                for c in Stone.allCases { clocks[c]!.set(main: nums[0], byoYomi: 0, stones: 0); clocks[c]!.limited = true }
            case "canadian":
                guard nums.count == 3 else { throw fail("syntax error") }
                for c in Stone.allCases { clocks[c]!.set(main: nums[0], byoYomi: nums[1], stones: Int(nums[2])) }
            case "byoyomi":
                // Japanese byo-yomi: main, period time, periods. One period is the safe reading.
                guard nums.count == 3 else { throw fail("syntax error") }
                for c in Stone.allCases { clocks[c]!.set(main: nums[0], byoYomi: nums[1], stones: 1) }
            default: throw fail("syntax error")
            }
            return ""
        case "time_left":
            guard a.count == 3, let t = Double(a[1]), let s = Int(a[2]) else { throw fail("syntax error") }
            clocks[try color(a[0])]!.update(left: t, stones: s)
            return ""
        case "loadsgf":
            guard a.count == 1 || a.count == 2 else { throw fail("syntax error") }
            let upTo = a.count == 2 ? Int(a[1]) : nil
            try loadSGF(a[0], moveNumber: upTo)
            return ""
        case "printsgf": return "\n" + sgf()
        case "gogui-analyze_commands":
            return "gfx/Policy/gonet-policy\nstring/Value/gonet-value\ngfx/Ownership/gonet-ownership"
        case "gonet-policy": return try policyGfx()
        case "gonet-value": return try valueText()
        case "gonet-ownership": return ownershipGfx()
        case "lz-analyze":
            let (c, interval) = try analyzeArguments(a)
            startAnalysis(c, interval: interval)
            return ""
        case "lz-genmove_analyze":
            let (c, interval) = try analyzeArguments(a)
            let mv = try genmove(c, play: true, analysis: { [weak self] d in self?.output(Self.infoLine(d)) }, interval: interval)
            return "\nplay \(mv)"
        case "":
            throw fail("unknown command")
        default:
            throw fail("unknown command")
        }
    }

    func gtp(_ p: Point) -> String { Coordinates.gtp(.play(p), size: game.size) }

    /// The territory judgement of the current position (seeded by the move number, so repeatable).
    func judgement() -> Territory {
        Territory(game.board, toMove: game.toMove, seed: UInt64(game.moves.count) &+ 1)
    }

    func newGame() {
        let komi = game.komi
        game = Game(size: 19, komi: komi, koRule: .positionalSuperko)
        player.reset()
    }

    func genmove(_ color: Stone, play: Bool, analysis: ((Decision) -> Void)?, interval: Double = 0) throws -> String {
        let budget = clocks[color]!.budget(movesPlayed: game.moves.count)
        let d = player.decide(game, color: color, seconds: budget, analysis: analysis)
        if d.resign { return "resign" }
        if play {
            do { try game.play(d.move, by: color) } catch { throw fail("the player chose an illegal move \(Coordinates.gtp(d.move, size: 19))") }
            player.played(PlayedMove(color, d.move))
        }
        return Coordinates.gtp(d.move, size: game.size)
    }

    func loadSGF(_ path: String, moveNumber: Int?) throws {
        let records: [GameRecord]
        do { records = try SGFReader(path: path).prefix(1).map { try $0.record.get() } } catch { throw fail("cannot load file") }
        guard let r = records.first else { throw fail("cannot load file") }
        guard r.size == 19 else { throw fail("unacceptable size") }
        var g = Game(size: 19, komi: r.komi, koRule: .positionalSuperko)
        g.placeSetup(r.setup)
        // GTP's move number: the position before that move is loaded.
        let count = moveNumber.map { max(0, $0 - 1) } ?? r.moves.count
        for m in r.moves.prefix(count) {
            do { try g.play(m.move, by: m.color) } catch { throw fail("cannot load file") }
        }
        if count < r.moves.count { g.setToMove(r.moves[count].color) }
        game = g
        player.reset()
    }

    func sgf() -> String {
        var r = GameRecord(size: 19, komi: game.komi)
        r.setup = game.setup
        r.handicap = game.setup.count
        r.moves = game.moves
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
            if y == 1 { out += "   captures: black \(game.board.captures(by: .black)), white \(game.board.captures(by: .white))" }
            if y == 2 { out += "   komi \(game.komi), move \(game.moves.count)" }
            out += "\n"
        }
        out += "   " + letters.map(String.init).joined(separator: " ")
        return out
    }

    func analyzeArguments(_ a: [String]) throws -> (Stone, Double) {
        var color = game.toMove
        var interval = 1.0
        var rest = a[...]
        if let f = rest.first, let c = Stone(name: f) { color = c; rest = rest.dropFirst() }
        if let f = rest.first {
            if f == "interval", rest.count > 1, let n = Double(rest[rest.startIndex + 1]) { interval = n / 100 } else if let n = Double(f) { interval = n / 100 } else { throw fail("syntax error") }
        }
        return (color, max(interval, 0.05))
    }

    /// Leela Zero's analysis line: `info move Q16 visits 12 winrate 5321 prior 1234 order 0 pv Q16 D4 …`.
    public static func infoLine(_ d: Decision) -> String {
        d.candidates.prefix(20).enumerated().map { i, c in
            let pv = c.pv.map { Coordinates.gtp($0, size: 19) }.joined(separator: " ")
            return "info move \(Coordinates.gtp(c.move, size: 19)) visits \(c.visits) winrate \(Int((c.winrate * 10000).rounded())) prior \(Int((c.prior * 10000).rounded())) order \(i) pv \(pv)"
        }.joined(separator: " ")
    }

    /// Streams analysis on a background thread until `stopAnalysis()`.
    func startAnalysis(_ color: Stone, interval: Double) {
        let snapshot = game
        let player = self.player
        // Analysis searches without a visit cap; the cap comes back when it stops.
        let mcts = player as? MCTSPlayer
        let savedVisits = mcts?.settings.visits
        mcts?.settings.visits = 5_000_000
        let out = output
        let stopFlag = StopFlag()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            var last = Date.distantPast
            // Analyse in short searches so the output refreshes and a stop is seen quickly.
            while !stopFlag.isSet {
                let d = player.decide(snapshot, color: color, seconds: min(interval, 0.5), analysis: nil)
                if Date().timeIntervalSince(last) >= interval, !stopFlag.isSet {
                    out(Self.infoLine(d))
                    last = Date()
                }
                if player is PolicyPlayer { while !stopFlag.isSet && Date().timeIntervalSince(last) < interval { usleep(20_000) } }
            }
            done.signal()
        }
        analysisStop = {
            stopFlag.set()
            done.wait()
            if let savedVisits { mcts?.settings.visits = savedVisits }
        }
        thread.start()
    }

    /// Ends a running `lz-analyze` (any next line does).
    public func stopAnalysis() {
        analysisStop?()
        analysisStop = nil
    }

    func policyGfx() throws -> String {
        guard let net = (player as? NetworkBacked)?.network else { throw fail("no network") }
        let (policy, _) = net.evaluate([EncodedPosition(game)])
        var influence: [String] = [], labels: [String] = []
        for i in 0..<361 where game.board.stone(atIndex: i) == nil {
            let p = policy[i]
            guard p >= 0.001 else { continue }
            let v = gtp(Point(index: i))
            influence.append("\(v) \(String(format: "%.3f", min(1, Double(p) * 5)))")
            if p >= 0.01 { labels.append("\(v) \(Int((p * 100).rounded()))") }
        }
        return "INFLUENCE " + influence.joined(separator: " ") + "\nLABEL " + labels.joined(separator: " ") + "\nTEXT pass \(String(format: "%.1f", policy[361] * 100))%"
    }

    /// GoGui's INFLUENCE of the territory judgement (+1 Black, -1 White), dead stones marked.
    func ownershipGfx() -> String {
        let t = judgement()
        let influence = game.board.allPoints.map { "\(gtp($0)) \(String(format: "%.2f", t.ownership[$0.index(size: game.size)]))" }
        let dead = t.deadStones(on: game.board, threshold: Territory.counted).map(gtp)
        return "INFLUENCE " + influence.joined(separator: " ") + (dead.isEmpty ? "" : "\nMARK " + dead.joined(separator: " "))
    }

    func valueText() throws -> String {
        guard let net = (player as? NetworkBacked)?.network else { throw fail("no network") }
        let (_, value) = net.evaluate([EncodedPosition(game)])
        return "\(game.toMove) to move: value \(String(format: "%.3f", value[0])) (win rate \(String(format: "%.1f", Double(value[0] + 1) * 50))%)"
    }

    // MARK: The loop

    /// Reads commands from standard input until `quit` or its end, answering on standard output.
    public func run() {
        let lock = NSLock()
        func write(_ s: String) {
            lock.lock()
            FileHandle.standardOutput.write(Data(s.utf8))
            lock.unlock()
        }
        output = { write($0 + "\n") }
        while let line = readLine(strippingNewline: true) {
            if analysisStop != nil {
                stopAnalysis()
                write("\n")
            }
            guard let cmd = GTPParser.parse(line) else { continue }
            if cmd.name == "lz-analyze" {
                // `=` first, then info lines until the next command arrives.
                do {
                    let (c, interval) = try analyzeArguments(cmd.arguments)
                    write("=\(cmd.id.map(String.init) ?? "")\n")
                    startAnalysis(c, interval: interval)
                } catch {
                    write(GTPParser.failure(cmd.id, "syntax error"))
                }
                continue
            }
            if cmd.name == "lz-genmove_analyze" {
                write("=\(cmd.id.map(String.init) ?? "")\n")
                let response = handle(line) ?? ""
                // `handle` produced "= …\nplay X\n\n": keep the play line.
                if let play = response.split(separator: "\n").first(where: { $0.hasPrefix("play ") }) {
                    write(play + "\n\n")
                } else {
                    write(response.replacingOccurrences(of: "?", with: "", options: .anchored))
                }
                continue
            }
            if let response = handle(line) { write(response) }
            if quitRequested { break }
        }
        if analysisStop != nil { stopAnalysis() }
    }
}

/// A thread-safe stop flag.
final class StopFlag: @unchecked Sendable {
    let lock = NSLock()
    var value = false
    var isSet: Bool { lock.lock(); defer { lock.unlock() }; return value }
    func set() { lock.lock(); value = true; lock.unlock() }
}

/// Players that hold a network (for the policy and value displays).
protocol NetworkBacked { var network: PolicyValueNetwork { get } }
extension PolicyPlayer: NetworkBacked {}
extension MCTSPlayer: NetworkBacked {}
