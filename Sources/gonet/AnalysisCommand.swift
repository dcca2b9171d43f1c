import ArgumentParser
import Engine
import Foundation
import GoNetwork
import NeuralNet

struct AnalysisCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analysis",
        abstract: "Analyse positions over KataGo's JSON analysis protocol on standard input and output (KaTrain).",
        discussion: """
            One JSON query a line in (id, moves, initialStones, rules, komi, boardXSize/boardYSize, \
            analyzeTurns, maxVisits, includeOwnership, includePolicy, avoidMoves, priority, \
            reportDuringSearchEvery, overrideSettings), one JSON answer a line out (moveInfos, rootInfo, \
            ownership, policy); actions query_version, terminate, terminate_all, clear_cache, query_models. \
            Several positions are searched at once, one per analysis thread. Logs go to standard error. \
            docs/analysis.md describes every field, docs/playing.md KaTrain's engine line.

            EXAMPLES:
              gonet analysis --network Networks/budget-resnet5x32-xl.safetensors
              echo '{"id":"a","moves":[["B","Q16"]],"rules":"chinese","komi":7.5,"boardXSize":19,"boardYSize":19}' \\
                | gonet analysis --network net.safetensors --visits 100
            """)

    @OptionGroup var play: PlayOptions
    @Option(help: "mcts (search) or policy (the network's move, one \"visit\" per thousandth of prior).") var mode =
        PlayMode.mcts
    @Option(help: "Positions searched at once, each on its own copy of the network (default: --threads).")
    var analysisThreads: Int?
    @Option(help: "Whose side win rates, score leads and ownership are told from: black, white or side-to-move.")
    var reportAs = ReportPerspective.black

    func run() throws {
        let settings = play.settings(command: "gonet analysis", mode: mode)
        let searchers = analysisThreads ?? play.threads
        guard (1...256).contains(searchers) else {
            throw ValidationError("--analysis-threads must be 1 to 256, not \(searchers)")
        }
        guard (1...256).contains(play.threads) else {
            throw ValidationError("--threads must be 1 to 256, not \(play.threads)")
        }
        // Each search runs on its own thread; the threads left over split each evaluation.
        Parallel.threads = max(1, play.threads / searchers)
        var workers: [AnalysisEngine.Worker] = []
        var summary = ""
        for _ in 0..<searchers {
            let net = try play.loadNetwork(command: "gonet analysis")
            let player: Player
            do { player = try settings.player(network: net) } catch { throw ValidationError(error.message) }
            workers.append(AnalysisEngine.Worker(player: player, network: net))
            summary = net.architecture.summary + PlayOptions.headsDescription(net)
        }
        printError(
            "gonet analysis: \(play.network) (\(summary)), \(play.description(settings)), "
                + "\(searchers) at once; ready")
        ParentWatch.exitWhenOrphaned()
        let engine = AnalysisEngine(workers: workers, perspective: reportAs, version: GTPCommand.version) { line in
            FileHandle.standardOutput.write(Data((line + "\n").utf8))
        }
        engine.run()
    }
}

extension ReportPerspective: ExpressibleByArgument {
    /// `black`, `white` or `side-to-move`, in any case.
    public init?(argument: String) {
        switch argument.lowercased() {
        case "black": self = .black
        case "white": self = .white
        case "side-to-move", "sidetomove": self = .sideToMove
        default: return nil
        }
    }
    /// The spellings `--help` and completion offer.
    public static var allValueStrings: [String] { ["black", "white", "side-to-move"] }
    /// The default as `--help` shows it.
    public var defaultValueDescription: String { rawValue.lowercased() }
}
