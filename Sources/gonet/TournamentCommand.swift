import ArgumentParser
import Foundation
import Tournament

struct TournamentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tournament",
        abstract: "Run tournaments between submitted networks and GTP engines: schedule, referee, ratings, report.",
        subcommands: [
            TournamentInit.self, TournamentSubmit.self, TournamentEntrants.self, TournamentRun.self,
            TournamentStandings.self, TournamentReport.self,
        ])
}

/// Opens a tournament directory, turning errors into clear messages.
func openTournament(_ dir: String) throws -> TournamentDirectory {
    try failing { try TournamentDirectory(dir) }
}

/// This executable's path, to start networks as `gonet gtp` subprocesses.
func gonetExecutable() -> String {
    let arg0 = CommandLine.arguments[0]
    if arg0.contains("/") { return URL(fileURLWithPath: arg0).standardizedFileURL.path }
    return (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? arg0
}

struct TournamentInit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init", abstract: "Create a tournament directory with its config (tournament.json).")
    @Argument(help: "The directory.") var dir: String
    @Option(help: "Games per pairing.") var games = 4
    @Option(help: "Parameter budget for networks.") var budget = 100_000
    @Option(help: "policy or mcts.") var mode = "policy"
    @Option(help: "Visits per move in mcts mode.") var visits = 100
    @Option(help: "Seconds allowed per move.") var secondsPerMove = 10.0
    @Option(help: "Games played at once.") var concurrency = 2

    func run() throws {
        var c = TournamentConfig()
        c.gamesPerPairing = games
        c.parameterBudget = budget
        c.networkMode = mode
        c.visits = visits
        c.secondsPerMove = secondsPerMove
        c.concurrency = concurrency
        _ = try failing { try TournamentDirectory.create(dir, config: c) }
        print(
            "created \(dir)/tournament.json (\(games) games per pairing, komi \(c.komi), area scoring, move cap \(c.moveCap), \(mode), budget \(budget) parameters)"
        )
    }
}

struct TournamentSubmit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit",
        abstract: "Register a network (checked) or an external GTP engine; a name submitted again gets a new version.")
    @Argument(help: "The tournament directory.") var dir: String
    @Argument(help: "A network file (unless --engine).") var network: String?
    @Option(help: "The entrant's name.") var name: String
    @Option(help: "Author.") var author: String?
    @Option(help: "An engine command line, e.g. \"gnugo --mode gtp --level 1\".") var engine: String?

    func run() throws {
        let t = try openTournament(dir)
        try failing {
            let e: Entrant
            if let engine {
                e = try t.submit(engine: engine, name: name, author: author)
                print("registered \(e.label): engine \(engine)")
            } else {
                guard let network else { throw ValidationError("give a network file or --engine \"COMMAND\"") }
                e = try t.submit(network: network, name: name, author: author)
                print("registered \(e.label): \(e.parameters ?? 0) parameters, sha256 \(e.sha256 ?? "")")
            }
        }
    }
}

struct TournamentEntrants: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "entrants", abstract: "List the entrants, every version.")
    @Argument var dir: String

    func run() throws {
        let t = try openTournament(dir)
        let current = Set(try t.store.current().compactMap(\.id))
        for e in try t.store.entrants() {
            let what =
                e.kind == "network"
                ? "network \(e.parameters ?? 0) params sha256 \(String((e.sha256 ?? "").prefix(16)))…"
                : "engine \((try? JSONSerialization.jsonObject(with: Data((e.command ?? "[]").utf8)) as? [String])?.joined(separator: " ") ?? "")"
            print(
                "\(current.contains(e.id ?? -1) ? "*" : " ") \(e.label.padding(toLength: 24, withPad: " ", startingAt: 0)) \(what)\(e.author.map { " by \($0)" } ?? "")"
            )
        }
    }
}

struct TournamentRun: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Play the scheduled games not played yet (resumes after an interruption).")
    @Argument var dir: String
    @Option(help: "Games at once (default: the config's).") var concurrency: Int?
    @Option(help: "Games per pairing (default: the config's).") var games: Int?

    func run() throws {
        let t = try openTournament(dir)
        let start = Date()
        let lock = NSLock()
        try failing {
            let played = try t.run(gonet: gonetExecutable(), concurrency: concurrency, gamesPerPairing: games) { p in
                lock.lock()
                defer { lock.unlock() }
                if let g = p.finished {
                    print(
                        "game \(g.slot): \(g.result) in \(g.moves) moves (\(g.reason.prefix(70)))  [\(p.done) done, \(p.running) running, \(p.left) left]"
                    )
                } else {
                    print("\(p.left) games to play")
                }
            }
            let hours = Date().timeIntervalSince(start) / 3600
            print(
                "\(played.count) games in \(Report.fixed(hours * 60, 1)) min (\(played.isEmpty ? "0" : Report.fixed(Double(played.count) / hours, 0)) games/hour)\n"
            )
            print(Standings(entrants: try t.store.current(), games: try t.store.games()).text)
        }
    }
}

struct TournamentStandings: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "standings", abstract: "Ratings (Bradley-Terry Elo with 95% intervals) and the crosstable.")
    @Argument var dir: String

    func run() throws {
        let t = try openTournament(dir)
        print(Standings(entrants: try t.store.entrants(), games: try t.store.games()).text)
    }
}

struct TournamentReport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write DIR/report.html: standings, crosstable, rating plot, every game on a board.")
    @Argument var dir: String

    func run() throws {
        let t = try openTournament(dir)
        let html = HTMLReport.html(
            title: "gonet tournament: \(URL(fileURLWithPath: dir).lastPathComponent)", config: t.config,
            entrants: try t.store.entrants(), games: try t.store.games(), directory: dir)
        let path = (dir as NSString).appendingPathComponent("report.html")
        try Data(html.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        print("wrote \(path)")
    }
}
