import ArgumentParser
import Engine
import Foundation
import GTP
import GoNetwork
import GoRules
import NeuralNet

struct BenchSearch: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract:
            "MCTS playouts/s with a network (the medium resnet 6x64 unless --network) at several batch sizes and threads, next to the network's raw positions/s and the share of the search's time spent in the network, and Leela Zero 0.17 on the same network size when installed.",
        discussion: """
            EXAMPLES:
              gonet bench search
              gonet bench search --batches 8 --threads 1
              gonet bench search --batches 8 --threads 1 --network Networks/budget-resnet5x32-xl.safetensors
              gonet bench search --batches 8 --threads 1 --moves 150 --playout-weight 0
            """)

    @Option(help: "Playouts per measured search.") var visits = 800
    @Option(parsing: .upToNextOption, help: "Leaf batch sizes.") var batches = ["1", "4", "8", "16"]
    @Option(parsing: .upToNextOption, help: "Thread counts.") var threads = ["1", "2"]
    @Option(help: "Leela Zero binary (skipped when absent).") var leelaZero = "/usr/games/leelaz"
    @Option(help: "A network file to search with instead of the medium resnet (random weights).") var network: String?
    @Option(
        help:
            "Moves before the searched position: a 5-move opening, then the network's own policy (temperature 1, seed 1)."
    ) var moves = 5
    @Option(help: "Share of random playouts in a leaf's value from move 100 (default: the search's).")
    var playoutWeight: Double?

    func run() throws {
        let net: PolicyValueNetwork
        if let network {
            net = try failing { try NetworkFile.load(path: network) }
        } else {
            let medium = FamilyNetwork(Architecture.Family(trunk: .resnet, blocks: 6, filters: 64))
            medium.initialize(seed: 1)
            net = medium
        }
        // Leela Zero's residual trunk of the same size, when the network has one.
        let size: (blocks: Int, filters: Int)?
        if case .family(let f) = net.architecture { size = (f.blocks, f.filters) } else { size = nil }
        let label = size.map { "resnet \($0.blocks)x\($0.filters)" } ?? "graph network"
        // An opening position a few moves in.
        let game = try position(net)
        print("\(label), \(visits) playouts per search from a position \(game.moves.count) moves in")
        print("threads  batch   playouts/s   network positions/s   search/network   time in the network")
        for t in try ListValues.integers(threads, option: "--threads") {
            Parallel.threads = t
            for b in try ListValues.integers(batches, option: "--batches") {
                let raw = rawRate(net, batch: b)
                var s = SearchSettings()
                s.visits = visits
                s.batchSize = b
                if let playoutWeight { s.playoutWeight = playoutWeight }
                let player = MCTSPlayer(network: net, settings: s)
                _ = player.decide(game, color: game.toMove, seconds: nil, analysis: nil)  // warm-up
                player.reset()
                let start = Date()
                let d = player.decide(game, color: game.toMove, seconds: nil, analysis: nil)
                let elapsed = Date().timeIntervalSince(start)
                let playouts = Double(d.candidates.reduce(0) { $0 + $1.visits }) / elapsed
                print(
                    "\(String(t).leftPad(7)) \(String(b).leftPad(6)) \(Report.fixed(playouts, 1).leftPad(12)) \(Report.fixed(raw, 1).leftPad(21)) \(Report.fixed(playouts / raw, 2).leftPad(14))x \(Report.fixed(100 * player.lastNetworkSeconds / elapsed, 1).leftPad(20))%"
                )
            }
        }
        if let size { try leela(blocks: size.blocks, filters: size.filters) }
    }

    /// The searched position: a 5-move opening, then the network's policy moves up to `moves`.
    func position(_ net: PolicyValueNetwork) throws -> Game {
        guard (5...400).contains(moves) else { throw ValidationError("--moves must be 5 to 400, not \(moves)") }
        var game = Game(size: Board.standardSize, komi: 7.5)
        for v in ["Q16", "D4", "Q3", "D16", "R5"] { try game.play(Coordinates.move(gtp: v, size: Board.standardSize)!) }
        var settings = PlayerSettings()
        settings.temperature = 1
        let policy = try settings.player(network: net)
        while game.moves.count < moves && !game.isOver {
            try game.play(policy.decide(game, color: game.toMove, seconds: nil, analysis: nil).move)
        }
        return game
    }

    /// Positions/s of the network alone on batches of real positions.
    func rawRate(_ net: PolicyValueNetwork, batch: Int) -> Double {
        let positions = [EncodedPosition](repeating: EncodedPosition(Game(size: Board.standardSize)), count: batch)
        _ = net.evaluate(positions)
        var n = 0
        let start = Date()
        while Date().timeIntervalSince(start) < 1.5 {
            _ = net.evaluate(positions)
            n += batch
        }
        return Double(n) / Date().timeIntervalSince(start)
    }

    func leela(blocks: Int, filters: Int) throws {
        guard FileManager.default.isExecutableFile(atPath: leelaZero) else {
            print("Leela Zero: \(leelaZero) not found (apt-get install leela-zero) — skipped")
            return
        }
        let weights = FileManager.default.temporaryDirectory.appendingPathComponent(
            "gonet-lz-\(blocks)x\(filters).txt"
        ).path
        try LeelaZeroWeights.text(blocks: blocks, filters: filters, seed: 1).write(
            toFile: weights, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: weights) }
        for t in try ListValues.integers(threads, option: "--threads") {
            let engine = try GTPClient(command: [
                leelaZero, "--cpu-only", "-w", weights, "-t", String(t), "--noponder", "-v", String(visits), "--gtp",
                "-q",
            ])
            defer { engine.stop() }
            let elapsed: Double
            do {
                // A warm-up search, then a fresh tree on another position (clear_board empties the tree;
                // a new position keeps Leela Zero's evaluation cache from answering for the network).
                for c in [
                    "boardsize 19", "clear_board", "play b Q16", "play w D4", "play b Q3", "play w D16", "play b R5",
                    "genmove w",
                    "clear_board", "play b D16", "play w Q4", "play b C4", "play w Q16", "play b E17",
                ] { try engine.ask(c, timeout: 600) }
                let start = Date()
                try engine.ask("genmove w", timeout: 600)
                elapsed = Date().timeIntervalSince(start)
            } catch {
                print("Leela Zero: \(error)")
                return
            }
            print(
                "Leela Zero 0.17 --cpu-only, \(t) thread\(t == 1 ? "" : "s"), same \(blocks)x\(filters) size: \(Report.fixed(Double(visits) / elapsed, 1)) visits/s (\(visits) visits in \(Report.fixed(elapsed, 2)) s)"
            )
        }
    }
}
