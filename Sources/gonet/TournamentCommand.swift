import ArgumentParser
import Foundation
import GoNetwork
import ONNX
import Synchronization
import Tournament
import TournamentPostgres

struct TournamentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tournament",
        abstract: "Run tournaments between submitted networks and GTP engines: schedule, referee, ratings, report.",
        subcommands: [
            TournamentInit.self, TournamentSubmit.self, TournamentEntrants.self, TournamentRun.self,
            TournamentWorker.self, TournamentStatus.self, TournamentStandings.self, TournamentReport.self,
            TournamentStudents.self,
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
            "Create a tournament: a directory with tournament.json, or the schema and config in an empty PostgreSQL database.",
        discussion: """
            The settings start from --config FILE, else from DIR/tournament.json when DIR holds only that file \
            (a prepared configuration, such as the shipped Tournament/), else from the defaults; each flag given \
            overrides its key. docs/tournaments.md lists every key.

            EXAMPLES:
              gonet tournament init Tournament
              gonet tournament init club --games 2 --mode mcts --search-by-time --seconds-per-move 2
              gonet tournament init postgres://ann@db.lab/cup --config course.json
            """)
    @Argument(help: locationHelp) var dir: String
    @Option(help: "A tournament.json to start from.") var config: String?
    @Option(help: "Games per pairing (gamesPerPairing, default 4).") var games: Int?
    @Option(help: "Komi (default 7.5).") var komi: Double?
    @Option(help: "tromp-taylor or dead-removed (default tromp-taylor).") var scoring: ScoringRule?
    @Option(help: "The engine that decides dead stones under dead-removed (default GNU Go level 10).") var referee:
        String?
    @Option(help: "Moves after which a game is scored as it stands (default 450).") var moveCap: Int?
    @Option(help: "How networks play (networkMode, default policy).") var mode: PlayMode?
    @Option(help: "Visits per move in mcts mode (default 100).") var visits: Int?
    @Flag(help: "mcts: search for the time a move allows instead of a number of visits (visits null).")
    var searchByTime = false
    @Option(help: "Seconds an engine may take per move (default 10).") var secondsPerMove: Double?
    @Option(help: "Networks resign below this win rate (0…1; default: never).") var resignThreshold: Double?
    @Option(help: "Largest parameter count of a submitted network (parameterBudget, default 100000).") var budget: Int?
    @Option(help: "Games played at once (default 2).") var concurrency: Int?
    @Option(help: "Random opening moves (randomOpeningMoves, default 4).") var openings: Int?
    @Option(help: "round-robin or gauntlet (default round-robin).") var schedule: String?
    @Option(help: "The gauntlet's entrant everyone plays.") var reference: String?
    @Option(help: "Seed of the random openings (default 1).") var seed: UInt64?

    func run() throws {
        try failing {
            var c: TournamentConfig
            if let config {
                guard let data = FileManager.default.contents(atPath: config) else {
                    throw TournamentError("\(config): no such file")
                }
                c = try TournamentConfig.decode(data, source: config)
            } else if !PostgresLocation.isURL(dir), Tournament.isPrepared(dir),
                FileManager.default.fileExists(atPath: (dir as NSString).appendingPathComponent("tournament.json"))
            {
                c = try TournamentConfig.load(dir)
            } else {
                c = TournamentConfig()
            }
            if let games { c.gamesPerPairing = games }
            if let komi { c.komi = komi }
            if let scoring { c.scoring = scoring }
            if let referee { c.refereeEngine = Submission.words(referee) }
            if let moveCap { c.moveCap = moveCap }
            if let mode { c.networkMode = mode }
            if let visits { c.visits = visits }
            if searchByTime { c.visits = nil }
            if let secondsPerMove { c.secondsPerMove = secondsPerMove }
            if let resignThreshold { c.resignThreshold = resignThreshold }
            if let budget { c.parameterBudget = budget }
            if let concurrency { c.concurrency = concurrency }
            if let openings { c.randomOpeningMoves = openings }
            if let schedule { c.schedule = schedule }
            if let reference { c.reference = reference }
            if let seed { c.seed = seed }
            _ = try TournamentLocation.create(dir, config: c)
            let how =
                c.networkMode == .policy ? "policy" : c.visits.map { "mcts \($0) visits" } ?? "mcts by time"
            let place = PostgresLocation.isURL(dir) ? PostgresLocation.redacted(dir) : dir + "/tournament.json"
            print(
                "created \(place) (\(c.gamesPerPairing) games per pairing, komi \(c.komi), \(c.scoring.rawValue) scoring, move cap \(c.moveCap), \(how), \(c.secondsPerMove) s per move, budget \(c.parameterBudget) parameters)"
            )
        }
    }
}

struct TournamentSubmit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit",
        abstract: "Register a network (checked) or an external GTP engine; a name submitted again gets a new version.",
        discussion: """
            A network runs every check of `gonet net check` first; an ONNX model is imported as `gonet net import` \
            does. Without --name a network is entered under its file's own name (its metadata, else the file name).

            EXAMPLES:
              gonet tournament submit Tournament mynet.safetensors --author "Ada Lovelace"
              gonet tournament submit Tournament model.onnx --name keras-net
              gonet tournament submit Tournament --engine "gnugo --mode gtp --level 1" --name gnugo-1
            """)
    @Argument(help: locationHelp) var dir: String
    @Argument(help: "A network file or ONNX model (unless --engine).") var network: String?
    @Option(help: "The entrant's name (required for an engine).") var name: String?
    @Option(help: "Author.") var author: String?
    @Option(help: "An engine command line, e.g. \"gnugo --mode gtp --level 1\".") var engine: String?

    func run() throws {
        let t = try openTournament(dir)
        try failing {
            let e: Entrant
            if let engine {
                guard let name else { throw ValidationError("an engine needs --name") }
                e = try t.submit(engine: engine, name: name, author: author)
                print("registered \(e.label): engine \(engine)")
            } else {
                guard let network else { throw ValidationError("give a network file or --engine \"COMMAND\"") }
                // The verdict as `net check` prints it, naming the file as the user gave it.
                let fallback = ((network as NSString).lastPathComponent as NSString).deletingPathExtension
                e = try ONNXImport.withNetworkFile(network) { file in
                    var verdict = Submission.verdict(
                        network: file, budget: t.config.parameterBudget, gonet: gonetExecutable())
                    verdict.file = network
                    guard verdict.accepted else {
                        printError(verdict.text)
                        throw ExitCode(1)
                    }
                    return try t.submit(network: file, name: name ?? (network == file ? nil : fallback), author: author)
                }
                print("registered \(e.label): \(e.parameters ?? 0) parameters, sha256 \(e.sha256 ?? "")")
            }
        }
    }
}

struct TournamentEntrants: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "entrants", abstract: "List the entrants, every version.",
        discussion: """
            EXAMPLES:
              gonet tournament entrants Tournament
            """)
    @Argument(help: locationHelp) var dir: String

    func run() throws {
        let t = try openTournament(dir)
        let current = Set(try t.store.current().compactMap { $0.id })
        for e in try t.store.entrants() {
            let what =
                e.kind == .network
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
        abstract:
            "Schedule and play the games not played yet, on the machine it runs on (resumes after an interruption).",
        discussion: """
            EXAMPLES:
              gonet tournament run Tournament
              gonet tournament run Tournament --concurrency 1
            """)
    @Argument(help: locationHelp) var dir: String
    @Option(help: "Games at once (default: the config's, at most the machine's cores).") var concurrency: Int?
    @Option(help: "Games per pairing (default: the config's).") var games: Int?

    func run() throws {
        let t = try openTournament(dir)
        let start = Date()
        let log = WorkerLog()
        try failing {
            let played = try t.run(
                gonet: gonetExecutable(), concurrency: concurrency, gamesPerPairing: games, events: log.print)
            let hours = Date().timeIntervalSince(start) / 3600
            print(
                "\(played.count) games in \(Report.fixed(hours * 60, 1)) min (\(played.isEmpty ? "0" : Report.fixed(Double(played.count) / hours, 0)) games/hour)\n"
            )
            print(Standings(entrants: try t.store.current(), games: try t.store.games()).text)
            if try t.store.courseSettings().paused {
                print("play is paused by the teacher (gonet serve): no game is started until it resumes")
            }
        }
    }
}

struct TournamentWorker: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract:
            "Claim scheduled games from a tournament (PostgreSQL, or a local directory), play them, commit them.",
        discussion: """
            Start one on every machine that should play. A worker holds each game with a lease it renews while \
            the game runs; a worker that dies or loses the database loses its games after the lease, and \
            another plays them. Network files are fetched by sha256 into --cache and checked.

            EXAMPLES:
              gonet tournament worker postgres://gonet_worker@db.lab/cup --concurrency 4
              gonet tournament worker postgres://gonet_worker@db.lab/cup --wait
            """)
    @Argument(help: locationHelp) var location: String
    @Option(help: "Games played at once (at most the machine's cores).") var concurrency: Int?
    @Option(help: .hidden) var gamesAtOnce: Int?
    @Option(help: "This worker's name in status and games (default HOST-PID).") var name: String?
    @Flag(help: .hidden) var untilEmpty = false
    @Flag(help: "Keep running and play games scheduled by later submissions.") var wait = false
    @Option(help: "Seconds a claim lasts without a heartbeat.") var lease = 60.0
    @Option(help: "Folder for fetched networks, engine logs and SGF copies.") var cache: String?

    func validate() throws {
        guard !(untilEmpty && wait) else { throw ValidationError("--until-empty and --wait exclude each other") }
        guard (1...256).contains(games) else { throw ValidationError("--concurrency must be 1 to 256") }
        guard lease >= 2, lease <= 86_400 else { throw ValidationError("--lease must be 2 to 86400 seconds") }
    }

    /// Games at once, from --concurrency or its old spelling.
    private var games: Int { concurrency ?? gamesAtOnce ?? 1 }

    func run() throws {
        if gamesAtOnce != nil { printError("gonet tournament worker: --games-at-once is now spelled --concurrency") }
        let gamesAtOnce = games
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
                fflush(nil)
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
                    fflush(nil)
                }
            } : try openTournament(location, cache: cache)
        opened.store = t.store
        if options.gamesAtOnce < gamesAtOnce {
            print("playing \(options.gamesAtOnce) games at once: the machine has \(options.gamesAtOnce) cores")
        }
        print("worker \(worker) on \(t.workspace)")
        let log = WorkerLog()
        let played = try failing { try t.work(gonet: gonetExecutable(), options: options, events: log.print) }
        print("worker \(options.identity.name): \(played.count) games played, nothing left")
    }
}

/// One line per worker event, with an ETA from the pace since the log was made (just before play).
final class WorkerLog: Sendable {
    private let pace = Mutex((started: Date(), finished: 0))

    func print(_ e: WorkerEvent) {
        pace.withLock { pace in
            switch e {
            case .finished(let g, let s):
                pace.finished += 1
                let left = s.waiting + s.inFlight.count
                let perGame = Date().timeIntervalSince(pace.started) / Double(pace.finished)
                let eta = left == 0 ? "" : ", ETA \(StatusReport.duration(perGame * Double(left)))"
                Swift.print(
                    "game \(g.slot): \(g.result) in \(g.moves) moves (\(g.reason.prefix(70)))  [\(s.done) done, \(s.inFlight.count) in flight, \(s.waiting) waiting\(eta)]"
                )
            case .gaveBack(let slot, let reason): Swift.print("gave back \(slot): \(reason)")
            case .lostLease(let slot): Swift.print("game \(slot) not committed: its lease went to another worker")
            case .storeTrouble(let why): Swift.print("store: \(why) (retrying)")
            }
            fflush(nil)
        }
    }
}

struct TournamentStatus: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Games done, in flight and waiting; each worker's activity; an ETA.",
        discussion: """
            EXAMPLES:
              gonet tournament status Tournament
            """)
    @Argument(help: locationHelp) var location: String

    func run() throws {
        let t = try openTournament(location)
        print(StatusReport.text(try failing { try t.store.status() }))
    }
}

struct TournamentStandings: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "standings", abstract: "Ratings (Bradley-Terry Elo with 95% intervals) and the crosstable.",
        discussion: """
            EXAMPLES:
              gonet tournament standings Tournament
            """)
    @Argument(help: locationHelp) var dir: String

    func run() throws {
        let t = try openTournament(dir)
        try failing { print(Standings(entrants: try t.store.ranked(), games: try t.store.games()).text) }
    }
}

struct TournamentReport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write an HTML report: standings, crosstable, rating plot, every game on a board.",
        discussion: """
            EXAMPLES:
              gonet tournament report Tournament
              gonet tournament report postgres://ann@db.lab/cup -o cup.html
            """)
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
                title: "gonet tournament: \(name)", config: t.config, entrants: try t.store.ranked(),
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
private final class OpenedStore: Sendable {
    private let opened = Mutex<(any TournamentStore)?>(nil)
    var store: (any TournamentStore)? {
        get { opened.withLock { $0 } }
        set { opened.withLock { $0 = newValue } }
    }
}
