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

    @OptionGroup var play: PlayOptions
    @Option(help: "policy (the network's move) or mcts (search).") var mode = PlayMode.policy
    @Option(
        help:
            "From move 100 resign below this win rate (value mixed with random playouts), from move 200 also below this share of won playouts (0…1; 0.1 measured safe)."
    )
    var resignThreshold: Double?
    @Option(help: "Policy mode: sample moves at this temperature (0 = best move).") var temperature = 0.0
    @Flag(help: "Add Dirichlet noise at the root (mcts).") var noise = false
    @Option(help: "Engine name reported to the controller.") var name = "gonet"
    @Flag(help: "Answer `version` as the Leela Zero version Lizzie checks for (0.17), then gonet's own.") var lizzie =
        false

    static let version = "0.1.0"

    func run() throws {
        var settings = play.settings(command: "gonet gtp", mode: mode)
        settings.temperature = temperature
        settings.resignThreshold = resignThreshold
        settings.search.dirichletNoise = noise
        Parallel.threads = play.threads
        let net = try play.loadNetwork(command: "gonet gtp")
        let player: Player
        do { player = try settings.player(network: net) } catch { throw ValidationError(error.message) }
        printError(
            "gonet gtp: \(play.network) (\(net.architecture.summary)\(PlayOptions.headsDescription(net))), \(play.description(settings))"
        )
        ParentWatch.exitWhenOrphaned()
        // Lizzie splits the answer at spaces and dots and needs a minor version of at least 15.
        let engine = GTPEngine(
            player: player, name: name, version: lizzie ? "0.17 gonet-\(Self.version)" : Self.version)
        engine.run()
    }
}
