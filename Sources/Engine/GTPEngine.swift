import Foundation
import GoNetwork
import GoRecords
import GoRules

/// A GTP version 2 engine around a player: the game state, every standard command, the
/// GoGui and Leela Zero analysis extensions, and the clock. `handle(_:)` turns one input line
/// into its response, so the protocol is testable without pipes; `run` drives stdin and stdout.
public final class GTPEngine {
    /// The name `name` answers.
    public let name: String
    /// The version `version` answers.
    public let version: String
    /// The game as the client has set it up and played it.
    public internal(set) var game: Game
    var player: Player
    var clocks: [Stone: TimeControl] = [.black: TimeControl(), .white: TimeControl()]
    /// Playouts of the territory judgement behind `final_score`, `final_status_list` and the
    /// ownership displays (docs/ENDGAME.md); fewer only where speed matters more (fuzzing).
    public var judgementPlayouts = Territory.defaultPlayouts
    /// True after `quit`.
    public internal(set) var quitRequested = false
    /// Receives analysis lines while a command streams (lz-analyze, lz-genmove_analyze); `run` sets it to stdout.
    public var output: (String) -> Void = { _ in }
    /// Set while `lz-analyze` streams; `run` stops it when the next line arrives.
    var analysisStop: (() -> Void)?

    /// A command's handler: the engine and the arguments in, the response's text out.
    typealias Handler = @Sendable (GTPEngine, [String]) throws -> String

    /// Every command with its handler, in `list_commands` order: the one list that both
    /// dispatching and `list_commands`/`known_command` read.
    static let handlers: [(name: String, run: Handler)] = [
        ("protocol_version", { _, _ in "2" }),
        ("name", { e, _ in e.name }),
        ("version", { e, _ in e.version }),
        (
            "known_command",
            { e, a in
                try GTPArguments.expect(a, 1)
                return byName[a[0]] != nil ? "true" : "false"
            }
        ),
        ("list_commands", { _, _ in commands.joined(separator: "\n") }),
        (
            "quit",
            { e, _ in
                e.quitRequested = true
                return ""
            }
        ),
        ("boardsize", { e, a in try e.boardsize(a) }),
        (
            "clear_board",
            { e, _ in
                e.newGame()
                return ""
            }
        ),
        ("komi", { e, a in try e.setKomi(a) }),
        ("play", { e, a in try e.play(a) }),
        ("genmove", { e, a in try e.genmove(a, play: true) }),
        ("reg_genmove", { e, a in try e.genmove(a, play: false) }),
        ("kgs-genmove_cleanup", { e, a in try e.genmove(a, play: true) }),
        ("undo", { e, _ in try e.undo() }),
        ("showboard", { e, _ in "\n" + e.showboard() }),
        ("final_score", { e, _ in e.judgement().score(e.game.board, komi: e.game.komi).description }),
        ("final_status_list", { e, a in try e.finalStatusList(a) }),
        ("fixed_handicap", { e, a in try e.handicap(a, free: false) }),
        ("place_free_handicap", { e, a in try e.handicap(a, free: true) }),
        ("set_free_handicap", { e, a in try e.setFreeHandicap(a) }),
        ("time_settings", { e, a in try e.timeSettings(a) }),
        ("time_left", { e, a in try e.timeLeft(a) }),
        ("kgs-time_settings", { e, a in try e.kgsTimeSettings(a) }),
        ("loadsgf", { e, a in try e.loadSGF(a) }),
        ("printsgf", { e, _ in "\n" + e.sgf() }),
        (
            "gogui-analyze_commands",
            { _, _ in "gfx/Policy/gonet-policy\nstring/Value/gonet-value\ngfx/Ownership/gonet-ownership" }
        ),
        ("gonet-policy", { e, _ in try e.policyGfx() }),
        ("gonet-value", { e, _ in try e.valueText() }),
        ("gonet-ownership", { e, _ in e.ownershipGfx() }),
        ("lz-analyze", { e, a in try e.startAnalysis(a, format: .leelaZero) }),
        ("kata-analyze", { e, a in try e.startAnalysis(a, format: .kataGo) }),
        ("lz-genmove_analyze", { e, a in try e.genmoveAnalyze(a) }),
    ]
    static let byName = Dictionary(uniqueKeysWithValues: handlers.map { ($0.name, $0.run) })
    /// The commands this engine knows, as `list_commands` gives them.
    public static var commands: [String] { handlers.map(\.name) }

    /// An engine that lets `player` choose its moves, on an empty 19x19 board with `komi`.
    public init(player: Player, name: String = "gonet", version: String = "0.1.0", komi: Double = 7.5) {
        self.player = player
        self.name = name
        self.version = version
        game = Game(size: Board.standardSize, komi: komi, koRule: .positionalSuperko)
    }

    /// The response to one line (nil for an empty or comment line).
    public func handle(_ line: String) -> String? {
        guard let cmd = GTPParser.parse(line) else { return nil }
        guard let run = Self.byName[cmd.name] else { return GTPParser.failure(cmd.id, "unknown command") }
        do {
            return GTPParser.success(cmd.id, try run(self, cmd.arguments))
        } catch let e as EngineError {
            return GTPParser.failure(cmd.id, e.message)
        } catch {
            return GTPParser.failure(cmd.id, "\(error)")
        }
    }

    func gtp(_ p: Point) -> String { Coordinates.gtp(.play(p), size: game.size) }

    /// The territory judgement of the current position (seeded by the move number, so repeatable).
    func judgement() -> Territory {
        Territory(game.board, toMove: game.toMove, playouts: judgementPlayouts, seed: UInt64(game.moves.count) &+ 1)
    }

    func newGame() {
        let komi = game.komi
        game = Game(size: Board.standardSize, komi: komi, koRule: .positionalSuperko)
        player.reset()
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
            if Self.streaming.contains(cmd.name) {
                // `=` first, then info lines: until the next command for the analyses, until the
                // move (`play X` and an empty line) for lz-genmove_analyze.
                do {
                    let request = try analysisRequest(cmd.arguments)
                    write("=\(cmd.id ?? "")\n")
                    switch cmd.name {
                    case "lz-genmove_analyze":
                        let move = try genmove(request.color, play: true, restrictions: request.restrictions) {
                            [weak self] d in
                            self?.output(Self.infoLine(d, request: request, format: .leelaZero, ownership: nil))
                        }
                        write("play \(move)\n\n")
                    default:
                        beginAnalysis(request, format: cmd.name == "kata-analyze" ? .kataGo : .leelaZero)
                    }
                } catch let e as EngineError {
                    write(GTPParser.failure(cmd.id, e.message))
                } catch {
                    write(GTPParser.failure(cmd.id, "\(error)"))
                }
                continue
            }
            if let response = handle(line) { write(response) }
            if quitRequested { break }
        }
        if analysisStop != nil { stopAnalysis() }
    }
}
