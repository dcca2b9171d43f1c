import ArgumentParser
import Engine
import Foundation
import GoNetwork
import GoRecords
import NeuralNet

struct AnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Review a game: search every position and write the analysis into a copy of its SGF.",
        discussion: """
            Each node gets Black's win rate as SBKV (Sabaki's graph), Lizzie's LZ property (candidates \
            on the board) and a comment with win rates, score leads, the move's cost and the best \
            candidates, after the node's own comment. The main line is written; variations are not. \
            docs/playing.md shows how each GUI reads the result.

            EXAMPLES:
              gonet analyze game.sgf -o game-reviewed.sgf --network Networks/budget-resnet5x32-xl.safetensors
              gonet analyze game.sgf -o reviewed.sgf --network net.safetensors --visits 1000 --threads 2
            """)

    @Argument(help: "The game (SGF; the first game of a collection).") var game: String
    @Option(name: [.customShort("o"), .long], help: "Where to write the reviewed SGF.") var output: String
    @OptionGroup var play: PlayOptions
    @Option(help: "mcts (search) or policy (the network's move).") var mode = PlayMode.mcts

    func run() throws {
        guard URL(fileURLWithPath: output).standardizedFileURL != URL(fileURLWithPath: game).standardizedFileURL else {
            throw ValidationError("-o must name a new file: gonet analyze does not overwrite the game it reads")
        }
        let settings = play.settings(command: "gonet analyze", mode: mode)
        guard (1...256).contains(play.threads) else {
            throw ValidationError("--threads must be 1 to 256, not \(play.threads)")
        }
        let (nodes, record) = try failing("gonet analyze") { try SGFReader.mainLine(path: game) }
        guard record.size == 19 else {
            throw ValidationError("\(game): a \(record.size)x\(record.size) game; gonet's networks play 19x19")
        }
        Parallel.threads = 1
        var workers: [AnalysisEngine.Worker] = []
        for _ in 0..<play.threads {
            let net = try play.loadNetwork(command: "gonet analyze")
            let player: Player
            do { player = try settings.player(network: net) } catch { throw ValidationError(error.message) }
            workers.append(AnalysisEngine.Worker(player: player, network: net))
        }
        let engine = AnalysisEngine(workers: workers, version: GTPCommand.version) { _ in }
        let total = record.moves.count + 1
        let bar = ProgressBar(label: "analyze")
        let lock = NSLock()
        let positions = engine.review(record.startingGame(), moves: record.moves, visits: nil) { done in
            lock.lock()
            bar.update(fraction: Double(done) / Double(total), text: "\(done)/\(total) positions")
            lock.unlock()
        }
        engine.finish()
        bar.finish()
        let text = SGFWriter.sgf(nodes: ReviewRecord.annotate(nodes, with: positions))
        do { try text.write(toFile: output, atomically: true, encoding: .utf8) } catch {
            throw ValidationError("\(output): cannot write (\(error.localizedDescription))")
        }
        printError("gonet analyze: \(total) positions of \(game) (\(play.description(settings))) → \(output)")
    }
}
