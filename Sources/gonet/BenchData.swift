import ArgumentParser
import Foundation
import GoRecords
import Training

struct BenchData: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data",
        abstract: "Positions/s of the data loader (read, replay, features, symmetry, batch) on 1 and 2 threads.",
        discussion: """
            Without archives it imports the sample collections in Games/ into a temporary archive first.

            EXAMPLES:
              gonet bench data
              gonet bench data records.games.zst --seconds 5
            """)

    @Argument(help: "*.games.zst archives (default: import Games/).")
    var archives: [String] = []
    @Option(help: "Batch size.")
    var batch = 256
    @Option(help: "Shuffle buffer (positions).")
    var buffer = 200_000
    @Option(help: "Seconds per measurement.")
    var seconds = 10.0

    func run() throws {
        var files = archives
        var temporary: String?
        if files.isEmpty {
            let source = "Games"
            let path = FileManager.default.temporaryDirectory.appendingPathComponent(
                "gonet-bench-\(getpid()).games.zst"
            ).path
            print("importing \(source) into \(path) …")
            let importer = try GameImporter(output: path)
            try importer.importFiles([source])
            let report = try importer.finish()
            print("  \(Report.count(report.imported)) games")
            files = [path]
            temporary = path
        }
        defer { if let temporary { try? FileManager.default.removeItem(atPath: temporary) } }
        for threads in [1, 2] {
            var c = LoaderConfiguration(files: files)
            c.batchSize = batch
            c.shuffleBuffer = buffer
            c.threads = threads
            c.epochs = nil
            let loader = try DataLoader(c)
            // Fill the shuffle buffer before timing: steady state is what training sees.
            var warm = 0
            while warm < buffer + 4 * batch, let b = loader.next() { warm += b.count }
            let start = Date()
            var positions = 0
            while Date().timeIntervalSince(start) < seconds, let b = loader.next() { positions += b.count }
            let elapsed = Date().timeIntervalSince(start)
            loader.stop()
            let rate = Double(positions) / elapsed
            let how =
                threads == 1
                ? "1 thread (read, replay, features, batch on one core)"
                : "\(threads) encoding workers + the reading thread"
            print(
                "loader, \(how): \(Report.count(Int(rate))) positions/s (\(Report.count(positions)) in \(Report.fixed(elapsed, 1)) s)"
            )
        }
    }
}
