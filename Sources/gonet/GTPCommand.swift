import ArgumentParser
import Engine
import Foundation
import GoNetwork
import NeuralNet

struct GTPCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gtp",
        abstract:
            "Play a network over GTP version 2 on standard input and output (Sabaki, GoGui, Lizzie, q5Go, gomill).",
        discussion: """
            Logs go to standard error. Analysis: gogui-analyze_commands, lz-analyze, lz-genmove_analyze and kata-analyze. \
            Lizzie reads `version` as a Leela Zero version and warns below 0.15: --lizzie answers "0.17 gonet-0.1.0". \
            docs/gtp.md lists every command, docs/playing.md the engine line for each GUI.

            EXAMPLES:
              gonet gtp --network Networks/budget-resnet5x32-xl.safetensors
              gonet gtp --network net.safetensors --mode mcts --seconds-per-move 2 --resign-threshold 0.1
              gonet gtp --network net.safetensors --mode mcts --visits 400 --lizzie
            """)

    @Option(help: "The network file.") var network: String
    @Option(help: "policy (the network's move) or mcts (search).") var mode = PlayMode.policy
    @Option(help: "Playouts per move in mcts mode (default 400; with --seconds-per-move alone, no cap).")
    var visits: Int?
    @Option(
        help:
            "Seconds per move in mcts mode: the search runs this long unless --visits is reached first (the clock caps it too)."
    )
    var secondsPerMove: Double?
    @Option(help: .hidden) var timePerMove: Double?
    @Option(help: "Threads.") var threads = 2
    @Option(help: "Random seed.") var seed: UInt64 = 1
    @Option(
        help:
            "From move 100 resign below this win rate (value mixed with random playouts), from move 200 also below this share of won playouts (0…1; 0.1 measured safe)."
    )
    var resignThreshold: Double?
    @Option(help: "Policy mode: sample moves at this temperature (0 = best move).") var temperature = 0.0
    @Option(help: "Leaves per network evaluation in mcts mode.") var batch = 8
    @Option(help: "MCTS: the PUCT exploration constant (values in -1…1).") var cpuct: Double?
    @Option(help: "MCTS: first-play urgency reduction.") var fpuReduction: Double?
    @Flag(
        inversion: .prefixedNo,
        help: "Use the 8 board symmetries (policy: average them; mcts: average the root, a random one per batch).")
    var symmetries = true
    @Option(help: "MCTS: share of random playouts in a leaf's value (0…1) from move 100 on (default 0.5).")
    var playoutWeight: Double?
    @Option(help: "MCTS: random playouts per leaf when the playout weight is above 0 (default 4).") var playoutsPerLeaf:
        Int?
    @Option(help: "From this move on, a winning player plays no stone the playouts expect to die (default 230).")
    var safePlayFromMove: Int?
    @Flag(help: "Add Dirichlet noise at the root (mcts).") var noise = false
    @Option(help: "Engine name reported to the controller.") var name = "gonet"
    @Flag(help: "Answer `version` as the Leela Zero version Lizzie checks for (0.17), then gonet's own.") var lizzie =
        false

    static let version = "0.1.0"

    func run() throws {
        if timePerMove != nil { printError("gonet gtp: --time-per-move is now spelled --seconds-per-move") }
        let timePerMove = secondsPerMove ?? timePerMove
        var settings = PlayerSettings()
        settings.mode = mode
        settings.temperature = temperature
        settings.symmetries = symmetries
        settings.seed = seed
        settings.resignThreshold = resignThreshold
        settings.safePlayFromMove = safePlayFromMove ?? settings.safePlayFromMove
        // A time without visits is a search for that time, as in Leela Zero and KataGo.
        settings.search.visits = visits ?? (timePerMove == nil ? 400 : PlayerSettings.mostVisits)
        settings.search.seconds = timePerMove
        settings.search.batchSize = batch
        settings.search.cPuct = cpuct ?? settings.search.cPuct
        settings.search.fpuReduction = fpuReduction ?? settings.search.fpuReduction
        settings.search.playoutWeight = playoutWeight ?? settings.search.playoutWeight
        settings.search.playoutsPerLeaf = playoutsPerLeaf ?? settings.search.playoutsPerLeaf
        settings.search.dirichletNoise = noise
        Parallel.threads = threads
        let net = try failing("gonet gtp") { try PolicyValueNetwork.load(path: network) }
        let player: Player
        do { player = try settings.player(network: net) } catch { throw ValidationError(error.message) }
        var how = mode.rawValue
        if mode == .mcts {
            if let visits { how += " \(visits) visits" }
            if let timePerMove { how += " \(timePerMove) s a move" }
            if visits == nil, timePerMove == nil { how += " 400 visits" }
        }
        printError("gonet gtp: \(network) (\(net.architecture.summary)), \(how)")
        // Lizzie splits the answer at spaces and dots and needs a minor version of at least 15.
        let engine = GTPEngine(
            player: player, name: name, version: lizzie ? "0.17 gonet-\(Self.version)" : Self.version)
        engine.run()
    }
}

extension PlayMode: ExpressibleByArgument {}
