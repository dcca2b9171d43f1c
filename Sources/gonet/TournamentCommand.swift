import ArgumentParser
import Foundation
import Tournament
import TournamentPostgres

struct TournamentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tournament",
        abstract: "Run tournaments between submitted networks and GTP engines: schedule, referee, ratings, report.",
        subcommands: [
            TournamentInit.self, TournamentSubmit.self, TournamentEntrants.self, TournamentRun.self,
            TournamentWorker.self, TournamentStatus.self, TournamentStandings.self, TournamentReport.self,
        ])
}

/// Opens a tournament (a directory or a postgres:// URL), turning errors into clear messages.
func openTournament(_ location: String, cache: String? = nil) throws -> Tournament {
    try failing { try TournamentLocation.open(location, cache: cache) }
}

/// The argument every tournament command takes first.
let locationHelp = ArgumentHelp(
    "The tournament: a directory, or postgres://USER@HOST:PORT/DB (PGPASSWORD, ~/.pgpass and sslmode as libpq reads them)."
)

/// This executable's path, to start networks as `gonet gtp` subprocesses.
func gonetExecutable() -> String {
    let arg0 = CommandLine.arguments[0]
    if arg0.contains("/") { return URL(fileURLWithPath: arg0).standardizedFileURL.path }
    return (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? arg0
}

struct TournamentInit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract:
            "Create a tournament: a directory with tournament.json, or the schema and config in an empty PostgreSQL database."
    )
    @Argument(help: locationHelp) var dir: String
    @Option(help: "Games per pairing.") var games = 4
    @Option(help: "Parameter budget for networks.") var budget = 100_000
    @Option(help: "policy or mcts.") var mode = "policy"
    @Option(help: "Visits per move in mcts mode (default 100 in mcts mode; with --search-by-time none).")
    var visits: Int?
    @Flag(help: "mcts: search for the time a move allows instead of a number of visits.") var searchByTime = false
    @Option(help: "Seconds allowed per move.") var secondsPerMove = 10.0
    @Option(help: "Games played at once.") var concurrency = 2

    func run() throws {
        var c = TournamentConfig()
        c.gamesPerPairing = games
        c.parameterBudget = budget
        c.networkMode = mode
        c.visits = searchByTime ? nil : (visits ?? 100)
        c.secondsPerMove = secondsPerMove
        c.concurrency = concurrency
        _ = try failing { try TournamentLocation.create(dir, config: c) }
        let how = mode == "policy" ? "policy" : c.visits.map { "mcts \($0) visits" } ?? "mcts by time"
        print(
            "created \(PostgresLocation.isURL(dir) ? PostgresLocation.redacted(dir) : dir + "/tournament.json") (\(games) games per pairing, komi \(c.komi), \(c.scoring.rawValue) scoring, move cap \(c.moveCap), \(how), \(secondsPerMove) s per move, budget \(budget) parameters)"
        )
    }
}

struct TournamentSubmit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit",
        abstract: "Register a network (checked) or an external GTP engine; a name submitted again gets a new version.")
    @Argument(help: locationHelp) var dir: String
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
    @Argument(help: locationHelp) var dir: String

    func run() throws {
        let t = try openTournament(dir)
        let current = Set(try t.store.current().compactMap { $0.id })
        for e in try t.store.entrants() {
            let what =
                e.kind == "network"
                ? "network \(e.parameters ?? 0) params sha256 \(String((e.sha256 ?? "").prefix(16)))…"
                : "engine \((try? e.commandWords())?.joined(separator: " ") ?? "")"
            print(
                "\(current.contains(e.id ?? -1) ? "*" : " ") \(e.label.padding(toLength: 24, withPad: " ", startingAt: 0)) \(what)\(e.author.map { " by \($0)" } ?? "")"
            )
        }
    }
}

struct TournamentRun: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Schedule and play the games not played yet on this machine (resumes after an interruption).")
    @Argument(help: locationHelp) var dir: String
    @Option(help: "Games at once (default: the config's, at most this machine's cores).") var concurrency: Int?
    @Option(help: "Games per pairing (default: the config's).") var games: Int?

    func run() throws {
        let t = try openTournament(dir)
        let start = Date()
        try failing {
            let played = try t.run(
                gonet: gonetExecutable(), concurrency: concurrency, gamesPerPairing: games, events: WorkerLog.print)
            let hours = Date().timeIntervalSince(start) / 3600
            print(
                "\(played.count) games in \(Report.fixed(hours * 60, 1)) min (\(played.isEmpty ? "0" : Report.fixed(Double(played.count) / hours, 0)) games/hour)\n"
            )
            print(Standings(entrants: try t.store.current(), games: try t.store.games()).text)
        }
    }
}

struct TournamentWorker: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract:
            "Claim scheduled games from a tournament (PostgreSQL, or a directory on this machine), play them, commit them.",
        discussion: """
            Start one on every machine that should play. A worker holds each game with a lease it renews while \
            the game runs; a worker that dies or loses the database loses its games after the lease, and \
            another plays them. Network files are fetched by sha256 into --cache and checked.
            """)
    @Argument(help: locationHelp) var location: String
    @Option(help: "Games played at once (at most this machine's cores).") var gamesAtOnce = 1
    @Option(help: "This worker's name in status and games (default HOST-PID).") var name: String?
    @Flag(help: "Exit when no game is left (the default).") var untilEmpty = false
    @Flag(help: "Keep running and play games scheduled by later submissions.") var wait = false
    @Option(help: "Seconds a claim lasts without a heartbeat.") var lease = 60.0
    @Option(help: "Folder for fetched networks, engine logs and SGF copies.") var cache: String?

    func validate() throws {
        guard !(untilEmpty && wait) else { throw ValidationError("--until-empty and --wait exclude each other") }
        guard (1...256).contains(gamesAtOnce) else { throw ValidationError("--games-at-once must be 1 to 256") }
        guard lease >= 2, lease <= 86_400 else { throw ValidationError("--lease must be 2 to 86400 seconds") }
    }

    func run() throws {
        var options = WorkerOptions(identity: WorkerIdentity(name: name), gamesAtOnce: gamesAtOnce)
        options.lease = lease
        options.wait = wait
        // SIGTERM (systemd, Slurm, kill) or ^C: give the games in flight back before leaving
        // (also while the worker still waits for the tournament to exist).
        let stop = options.stop
        let opened = OpenedStore()
        let worker = options.identity.name
        let handlers = [SIGTERM, SIGINT].map { sig in
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler {
                if let store = opened.store { stop.giveBack(to: store) }
                print("worker \(worker) stopped: its games in flight are given back")
                fflush(stdout)
                Foundation.exit(0)
            }
            source.resume()
            return source
        }
        defer { for h in handlers { h.cancel() } }
        // Waiting for new games includes waiting for the tournament itself (a systemd unit or a
        // `gonet match` started after the workers).
        let t =
            wait
            ? try failing {
                try TournamentLocation.openWhenCreated(location, cache: cache) {
                    print("waiting for a tournament at \(PostgresLocation.redacted(location))")
                    fflush(stdout)
                }
            } : try openTournament(location, cache: cache)
        opened.store = t.store
        if options.gamesAtOnce < gamesAtOnce {
            print("playing \(options.gamesAtOnce) games at once: this machine has \(options.gamesAtOnce) cores")
        }
        print("worker \(worker) on \(t.workspace)")
        let played = try failing { try t.work(gonet: gonetExecutable(), options: options, events: WorkerLog.print) }
        print("worker \(options.identity.name): \(played.count) games played, nothing left")
    }
}

/// One line per worker event.
enum WorkerLog {
    private static let lock = NSLock()

    static func print(_ e: WorkerEvent) {
        lock.lock()
        defer { lock.unlock() }
        switch e {
        case .finished(let g, let s):
            Swift.print(
                "game \(g.slot): \(g.result) in \(g.moves) moves (\(g.reason.prefix(70)))  [\(s.done) done, \(s.inFlight.count) in flight, \(s.waiting) waiting]"
            )
        case .gaveBack(let slot, let reason): Swift.print("gave back \(slot): \(reason)")
        case .lostLease(let slot): Swift.print("game \(slot) not committed: its lease went to another worker")
        case .storeTrouble(let why): Swift.print("store: \(why) (retrying)")
        }
        fflush(stdout)
    }
}

struct TournamentStatus: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Games done, in flight and waiting; each worker's activity; an ETA.")
    @Argument(help: locationHelp) var location: String

    func run() throws {
        let t = try openTournament(location)
        print(StatusReport.text(try failing { try t.store.status() }))
    }
}

struct TournamentStandings: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "standings", abstract: "Ratings (Bradley-Terry Elo with 95% intervals) and the crosstable.")
    @Argument(help: locationHelp) var dir: String

    func run() throws {
        let t = try openTournament(dir)
        try failing { print(Standings(entrants: try t.store.entrants(), games: try t.store.games()).text) }
    }
}

struct TournamentReport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write an HTML report: standings, crosstable, rating plot, every game on a board.")
    @Argument(help: locationHelp) var dir: String
    @Option(name: .shortAndLong, help: "The file (default DIR/report.html, or report.html for PostgreSQL).")
    var output: String?

    func run() throws {
        let t = try openTournament(dir)
        try failing {
            let name =
                PostgresLocation.isURL(dir)
                ? (try PostgresLocation(url: dir)).database : URL(fileURLWithPath: dir).lastPathComponent
            let html = HTMLReport.html(
                title: "gonet tournament: \(name)", config: t.config, entrants: try t.store.entrants(),
                games: try t.store.games(), record: { try? t.store.record(of: $0) })
            let path =
                output
                ?? (PostgresLocation.isURL(dir)
                    ? "report.html" : (dir as NSString).appendingPathComponent("report.html"))
            try Data(html.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
            print("wrote \(path)")
        }
    }
}

/// The store a worker opened, for its signal handler (set once the tournament is open).
private final class OpenedStore: @unchecked Sendable {
    private let lock = NSLock()
    private var _store: (any TournamentStore)?
    var store: (any TournamentStore)? {
        get { lock.withLock { _store } }
        set { lock.withLock { _store = newValue } }
    }
}
