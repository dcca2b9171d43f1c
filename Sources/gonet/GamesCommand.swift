import ArgumentParser
import Foundation
import GoNetwork
import GoRecords
import GoRules
import NeuralNet
import Training

struct GamesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "games",
        abstract:
            "Import, export and inspect game records (SGF, zstd-compressed SGF collections, *.games.zst archives).",
        subcommands: [GamesInfo.self, GamesImport.self, GamesExport.self, GamesPlanes.self, GamesShards.self])
}

struct GamesInfo: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Count games, moves, board sizes, results and game lengths; list games that fail to parse.",
        discussion: """
            EXAMPLES:
              gonet games info Games/*
              gonet games info records/ --show-failures 20
            """)

    @Argument(help: "SGF files, .sgf.zst collections, .games.zst archives, or directories to search for SGF files.")
    var paths: [String]

    @Option(help: "How many failed games to list per file.")
    var showFailures = 10

    func run() throws {
        let files = try failing {
            try SourceFiles.expand(paths, matching: { SourceFiles.isSGF($0) || GameArchive.isArchive($0) })
        }
        var total = RecordStatistics()
        var unreadable = 0
        for path in files {
            let stats: RecordStatistics
            do { stats = try RecordStatistics.of(path: path) } catch {
                printError("gonet: \(error)")
                unreadable += 1
                continue
            }
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

struct GamesImport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract:
            "Write the 19x19 games of SGF files, directories and .sgf.zst collections to an archive (training uses those without handicap or setup).",
        discussion: """
            EXAMPLES:
              gonet games import Games -o sample.games.zst
              gonet games import more/ -o sample.games.zst --append
            """)

    @Argument(help: "SGF files, .sgf.zst collections, or directories (searched recursively).")
    var sources: [String]
    @Option(name: .shortAndLong, help: "The archive to write (Games/NAME.games.zst).")
    var output: String
    @Flag(help: "Add to an existing archive instead of replacing it.")
    var append = false

    func run() throws {
        guard GameArchive.isArchive(output) else {
            throw ValidationError("the output must end in .games.zst: \(output)")
        }
        // A directory without records is refused before the archive is opened (and emptied).
        _ = try failing { try SourceFiles.expand(sources) }
        let importer = try GameImporter(output: output, append: append)
        let bar = ProgressBar(label: "import")
        try importer.importFiles(sources) { p in
            bar.update(
                fraction: p.bytesTotal > 0 ? Double(p.bytesDone) / Double(p.bytesTotal) : 0,
                text:
                    "\(Report.count(p.imported)) imported, \(Report.count(p.skipped)) skipped, file \(p.fileIndex + 1)/\(p.fileCount)"
            )
        }
        let report = try importer.finish()
        bar.finish()
        print(
            "\(output): \(Report.count(report.imported)) games imported, \(Report.count(report.skippedTotal)) skipped")
        for (reason, n) in report.skipped.sorted(by: { $0.value > $1.value }) {
            print("  skipped \(Report.count(n)): \(reason)")
            for e in report.examples[reason] ?? [] { print("    \(e)") }
        }
        if report.warningCount > 0 { print("  \(Report.count(report.warningCount)) games read with a warning:") }
        for w in report.warnings { print("    \(w)") }
        for e in report.fileErrors { printError("gonet: \(e)") }
        if !report.fileErrors.isEmpty { throw ExitCode(1) }
    }
}

struct GamesExport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract:
            "Write an archive's games back as SGF: one collection (.sgf.zst or .sgf) or one file per game in a directory.",
        discussion: """
            EXAMPLES:
              gonet games export sample.games.zst -o sample.sgf.zst
              gonet games export sample.games.zst -o games/
            """)

    @Argument(help: "A .games.zst archive.")
    var archive: String
    @Option(name: .shortAndLong, help: "FILE.sgf.zst, FILE.sgf, or a directory.")
    var output: String

    func run() throws {
        let bar = ProgressBar(label: "export")
        let report = try failing {
            try GameExporter.export(archive: archive, to: output) { fraction, games in
                bar.update(fraction: fraction, text: "\(Report.count(games)) games")
            }
        }
        bar.finish()
        print("wrote \(Report.count(report.written)) games to \(output)")
        for r in report.rejected { printError("gonet: skipped \(r)") }
    }
}

struct GamesPlanes: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "planes",
        abstract:
            "Write what the network sees for one position: planes [1,6,19,19], policy_target [1], value_target [1], value_mask [1].",
        discussion: """
            EXAMPLES:
              gonet games planes sample.games.zst --game 0 --move 50 -o position.safetensors
            """)

    @Argument(help: "An SGF collection or a .games.zst archive.")
    var file: String
    @Option(help: "0-based index of the game in the file.")
    var game: Int
    @Option(help: "Moves already played (0 = the empty board; the target is move M+1).")
    var move: Int
    @Option(help: "Symmetry 0…7 (docs/FORMATS.md) applied to planes and target.")
    var symmetry = 0
    @Option(name: .shortAndLong, help: "The safetensors file to write.")
    var output: String

    func run() throws {
        guard (0..<8).contains(symmetry) else { throw ValidationError("--symmetry must be 0…7") }
        let record = try findRecord()
        guard record.size == 19 else {
            throw ValidationError("game \(game) is \(record.size)x\(record.size): networks use 19x19")
        }
        guard move >= 0, move < record.moves.count else {
            throw ValidationError(
                "game \(game) has \(record.moves.count) moves: --move must be 0…\(record.moves.count - 1) (the target is move M+1)"
            )
        }
        let sample = try TrainingSample.at(record, move: move)
        var t = SafeTensors()
        t.set("planes", Tensor(shape: [1, 6, 19, 19], data: Features.planes(sample.position, symmetry: symmetry)))
        t.set("policy_target", int64: [Int64(Symmetry.apply(symmetry, sample.policyTarget))], shape: [1])
        t.set("value_target", Tensor(shape: [1], data: [sample.valueTarget]))
        t.set("value_mask", Tensor(shape: [1], data: [sample.valueMask]))
        t.metadata = [
            "features": NetworkFile.features, "source": file, "game": String(game), "move": String(move),
            "symmetry": String(symmetry),
        ]
        try t.write(path: output)
        let target = Coordinates.gtp(Move(index: sample.policyTarget), size: Board.standardSize)
        print(
            "wrote \(output): game \(game), \(sample.position.toMove) to move after \(move) moves, target \(target), value \(sample.valueTarget) (mask \(sample.valueMask))"
        )
    }

    func findRecord() throws -> GameRecord {
        guard game >= 0 else { throw ValidationError("--game must be 0 or more") }
        return try GameExporter.record(at: game, in: file, asked: "--game")
    }
}
