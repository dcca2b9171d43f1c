import ArgumentParser
import GoRecords

struct GamesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "games",
        abstract: "Inspect game records (SGF files and zstd-compressed SGF collections).",
        subcommands: [GamesInfo.self])
}

struct GamesInfo: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Count games, moves, board sizes and results; list games that fail to parse.")

    @Argument(help: "SGF files, .sgf.zst collections, or directories to search for them.")
    var paths: [String]

    @Option(help: "How many failed games to list per file.")
    var showFailures = 10

    func run() throws {
        let files = SourceFiles.expand(paths)
        var total = RecordStatistics()
        var unreadable = 0
        for path in files {
            let reader: SGFReader
            do { reader = try SGFReader(path: path) } catch {
                printError("gonet: \(error)")
                unreadable += 1
                continue
            }
            let stats = RecordStatistics.of(sgf: reader)
            print(path)
            print(Report.statistics(stats, failuresShown: showFailures), terminator: "")
            total.merge(stats)
        }
        if files.count > 1 {
            print("total (\(files.count - unreadable) file\(files.count - unreadable == 1 ? "" : "s"))")
            print(Report.statistics(total, failuresShown: 0), terminator: "")
        }
        if unreadable > 0 || total.streamError != nil { throw ExitCode(1) }
    }
}
