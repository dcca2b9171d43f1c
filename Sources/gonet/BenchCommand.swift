import ArgumentParser

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure gonet's speed (release builds only give meaningful figures).",
        subcommands: [BenchBoard.self, BenchNN.self, BenchData.self, BenchSearch.self, BenchTournament.self])
}
