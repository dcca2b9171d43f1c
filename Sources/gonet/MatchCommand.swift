import ArgumentParser
import Foundation
import Tournament
import TournamentPostgres

struct MatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "match",
        abstract:
            "Two engines head to head through the tournament's referee: win rate and Elo with 95% intervals, SPRT.",
        discussion: """
            An engine is a network, FILE.safetensors[:policy|:mcts[:VISITS]], or a GTP command line in quotes \
            ("gnugo --mode gtp --level 10"). Games alternate colours in pairs that share a random opening. The match \
            is a tournament of two entrants: in a directory (SGF in DIR/games) or in PostgreSQL, where `gonet \
            tournament worker URL` on other machines plays its games too; running the same command again resumes it \
            (with --summary it prints where the match stands and plays nothing), and `gonet tournament \
            status|standings|report` read it.

            EXAMPLES:
              gonet match new.safetensors:mcts:400 old.safetensors:mcts:400 -o matches/new-old --sprt 0,35
              gonet match net.safetensors "gnugo --mode gtp --level 1" -o matches/vs-gnugo --games 20
              gonet match net.safetensors "gnugo --mode gtp --level 1" -o matches/vs-gnugo --summary
            """)

    @Argument(help: "Engine A.") var a: String
    @Argument(help: "Engine B.") var b: String
    @Option(name: .shortAndLong, help: "Where the match lives (created, or resumed): a directory or a postgres:// URL.")
    var output: String?
    @Option(help: .hidden) var out: String?
    @Option(help: "Games to play.") var games = 60
    @Option(help: "Games at once (each engine runs one thread).") var concurrency = 2
    @Option(help: "Komi.") var komi = 7.5
    @Option(help: "tromp-taylor (strict) or dead-removed (players' or the referee engine's dead stones).") var scoring =
        ScoringRule.trompTaylor
    @Option(help: "The engine that decides dead stones when the players disagree.") var referee =
        "gnugo --mode gtp --level 10"
    @Option(help: "Random opening moves.") var openings = 4
    @Option(help: "Moves after which a game is scored as it stands.") var moveCap = 450
    @Option(help: "Seconds an engine may take per move.") var secondsPerMove = 10.0
    @Option(
        help:
            "Networks resign from move 100 below this win rate (value mixed with random playouts), from move 200 also below this share of won playouts (0.1 measured safe)."
    )
    var resignThreshold: Double?
    @Option(help: "Random seed of the openings.") var seed: UInt64 = 1
    @Option(help: "SPRT: stop when the Elo difference is decided to be ELO0 or ELO1, written ELO0,ELO1.") var sprt:
        String?
    @Option(help: "SPRT error rates alpha and beta.") var sprtError = 0.05
    @Flag(help: "Print the summary of the games played so far and play none (the match must exist).")
    var summary = false

    func validate() throws {
        guard output != nil || out != nil else { throw ValidationError("give where the match lives with -o DIR|URL") }
    }

    func run() throws {
        if out != nil { printError("gonet match: --out is now spelled --output") }
        let out = output ?? self.out ?? ""
        try failing {
            var s = MatchSettings(a: a, b: b)
            s.games = games
            s.komi = komi
            s.scoring = scoring
            s.refereeEngine = Submission.words(referee)
            s.openingMoves = openings
            s.moveCap = moveCap
            s.secondsPerMove = secondsPerMove
            s.resignThreshold = resignThreshold
            s.seed = seed
            if let sprt {
                let bounds = sprt.split(separator: ",").compactMap { Double($0) }
                guard bounds.count == 2 else { throw ValidationError("--sprt is ELO0,ELO1, e.g. 0,35") }
                s.sprt = SPRT(elo0: bounds[0], elo1: bounds[1], alpha: sprtError, beta: sprtError)
            }
            guard (1...64).contains(concurrency) else { throw ValidationError("--concurrency must be 1 to 64") }
            let match = try TournamentLocation.match(out, settings: s, creating: !summary)
            if summary {
                for line in match.report(try match.results()) { print(line) }
                return
            }
            let before = try match.results().count
            if before > 0 { print("resuming \(out): \(before) games already played") }
            let all = try match.run(gonet: gonetExecutable(), concurrency: concurrency) { g, all in
                let outcome = g.outcome == .win ? "wins" : g.outcome == .loss ? "loses" : "draws"
                print(
                    "game \(g.index + 1): A \(g.aIsBlack ? "black" : "white") \(outcome) (\(g.result), \(g.moves) moves)"
                )
                print("  " + match.progressLine(all))
                fflush(nil)
            } note: {
                printError($0)
            }
            for line in match.report(all) { print(line) }
        }
    }
}

extension ScoringRule: ExpressibleByArgument {
    /// The rule's name, or `area`, Tromp-Taylor's old name.
    public init?(argument: String) { self.init(name: argument) }
}
