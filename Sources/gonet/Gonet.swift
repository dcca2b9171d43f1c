import ArgumentParser
import CStandardOutput
import Foundation
import NeuralNet

@main
struct Gonet: ParsableCommand {
    /// Line-buffered output, so logs piped to a file or `tail -f` show each line as it comes.
    static func main() {
        BLASCore.restartOnBetterKernels()
        gonet_line_buffered_stdout()
        // GONET_CHECK_ARGUMENTS=1 parses and validates the command line and runs nothing: how the
        // documentation's commands are checked against the parser.
        if ProcessInfo.processInfo.environment["GONET_CHECK_ARGUMENTS"] == "1" {
            do {
                _ = try parseAsRoot(nil)
                Foundation.exit(0)
            } catch {
                exit(withError: error)
            }
        }
        main(nil)
    }

    static let configuration = CommandConfiguration(
        commandName: "gonet",
        abstract:
            "Train Go policy/value networks from game records, play them over GTP, and run tournaments between them.",
        version: "0.1.0",
        subcommands: [
            GamesCommand.self, NetCommand.self, TrainCommand.self, EvalCommand.self,
            GTPCommand.self, AnalysisCommand.self, AnalyzeCommand.self, MatchCommand.self, TournamentCommand.self,
            ServeCommand.self, BenchCommand.self,
        ])
}
