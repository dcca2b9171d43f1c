import Foundation
import GoRules

/// What an import did: games written, games skipped by reason with examples.
public struct ImportReport: Sendable {
    /// Games written to the archive.
    public var imported = 0
    /// Skipped games per reason.
    public var skipped: [String: Int] = [:]
    /// The first few skipped games per reason, with file, line and message.
    public var examples: [String: [String]] = [:]
    /// Games read with a warning (an unknown charset), the first few with their place, and how many.
    public var warnings: [String] = []
    /// Games read with a warning, in all.
    public var warningCount = 0
    /// Files that could not be read at all, or whose stream failed part-way (games before it are kept).
    public var fileErrors: [String] = []

    /// Games skipped, all reasons together.
    public var skippedTotal: Int { skipped.values.reduce(0, +) }

    mutating func skip(_ reason: String, _ example: String) {
        skipped[reason, default: 0] += 1
        if examples[reason, default: []].count < 5 { examples[reason, default: []].append(example) }
    }
}

/// Progress of an import, reported after every game.
public struct ImportProgress: Sendable {
    /// The file being read.
    public var file: String
    /// Its 0-based index among the files.
    public var fileIndex: Int
    /// Files in the import.
    public var fileCount: Int
    /// Bytes of all files read so far, and in all.
    public var bytesDone: Int
    /// Bytes of all files together.
    public var bytesTotal: Int
    /// Games imported so far.
    public var imported: Int
    /// Games skipped so far.
    public var skipped: Int
}

/// Reads SGF files and collections and writes their 19x19 games with at least one legal move to
/// an archive. Games with handicap or setup stones are kept (the archive is a faithful store);
/// training and evaluation read only the games without them.
public final class GameImporter {
    let writer: GameArchiveWriter
    /// What was imported and skipped so far.
    public private(set) var report = ImportReport()

    /// An import into the archive at `output` (a new one, or a new segment of it with `append`).
    public init(output: String, append: Bool = false) throws {
        writer = try GameArchiveWriter(path: output, append: append)
    }

    /// The reason a parsed record is not imported, or nil.
    static func rejection(_ r: GameRecord) -> String? {
        if r.size != 19 { return "board size not 19" }
        if r.moves.isEmpty { return "no moves" }
        return nil
    }

    /// Imports every game of the files (directories searched recursively for SGF files).
    public func importFiles(_ paths: [String], progress: (ImportProgress) -> Void = { _ in }) throws {
        let files = try SourceFiles.expand(paths)
        let sizes = files.map { (try? FileManager.default.attributesOfItem(atPath: $0)[.size] as? Int) ?? 0 }
        let total = sizes.reduce(0, +)
        var done = 0
        for (k, file) in files.enumerated() {
            let reader: SGFReader
            do { reader = try SGFReader(path: file) } catch {
                report.fileErrors.append("\(error)")
                done += sizes[k]
                continue
            }
            do {
                while let e = try reader.nextEntry() {
                    if let w = e.warning {
                        report.warningCount += 1
                        if report.warnings.count < 5 { report.warnings.append("\(w)") }
                    }
                    switch e.record {
                    case .failure(let err):
                        let reason = err.kind == .illegalMove ? "illegal move" : "unparsable"
                        report.skip(reason, err.description)
                    case .success(let r):
                        if let why = Self.rejection(r) {
                            report.skip(why, "\(file):\(e.line):\(e.column): game \(e.index)")
                        } else {
                            try writer.write(r)
                            report.imported += 1
                        }
                    }
                    progress(
                        ImportProgress(
                            file: file, fileIndex: k, fileCount: files.count, bytesDone: done + reader.bytesRead,
                            bytesTotal: total, imported: report.imported, skipped: report.skippedTotal))
                }
            } catch {
                report.fileErrors.append("\(error) (the games before it were imported)")
            }
            done += sizes[k]
        }
    }

    /// Seals the archive.
    public func finish() throws -> ImportReport {
        try writer.finish()
        return report
    }
}
