import ArgumentParser

@main
struct Gonet: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gonet",
        abstract: "Train Go policy/value networks from game records, play them over GTP, and run tournaments between them.",
        version: "0.1.0",
        subcommands: [
            GamesCommand.self, NetCommand.self, TrainCommand.self, EvalCommand.self,
            GTPCommand.self, TournamentCommand.self, BenchCommand.self,
        ])
}
