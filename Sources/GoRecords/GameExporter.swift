import Foundation

/// Writes an archive's games back as SGF: one collection (`.sgf.zst` or `.sgf`) or one file per
/// game in a directory (`0000000.sgf`, …). Records the reader leaves out are reported, not written.
public enum GameExporter {
    /// Games written, and the records left out with why.
    public struct Report: Sendable {
        /// Games written.
        public var written = 0
        /// Records left out, each with the reason.
        public var rejected: [String] = []
    }

    /// Exports `archive` to `output`; a stream failure is thrown after the games before it are
    /// written. `progress` hears the share of the archive read and the games written so far.
    public static func export(
        archive: String, to output: String, progress: (_ fraction: Double, _ games: Int) -> Void = { _, _ in }
    ) throws -> Report {
        let reader = try GameArchiveReader(path: archive)
        let size = (try? FileManager.default.attributesOfItem(atPath: archive)[.size] as? Int) ?? nil
        var report = Report()
        func tell() { if let size, size > 0 { progress(Double(reader.bytesRead) / Double(size), report.written) } }
        if output.hasSuffix(".sgf.zst") {
            let w = try ZstdWriter(path: output)
            while let r = try reader.nextRecord() {
                try w.write(SGFWriter.sgf(r) + "\n")
                report.written += 1
                tell()
            }
            try w.finish()
        } else if output.hasSuffix(".sgf") {
            var text = ""
            while let r = try reader.nextRecord() {
                text += SGFWriter.sgf(r) + "\n"
                report.written += 1
                tell()
            }
            try Data(text.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
        } else {
            try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
            while let r = try reader.nextRecord() {
                let name = String(format: "%07d.sgf", report.written)
                try Data((SGFWriter.sgf(r) + "\n").utf8).write(
                    to: URL(fileURLWithPath: (output as NSString).appendingPathComponent(name)), options: .atomic)
                report.written += 1
                tell()
            }
        }
        report.rejected = reader.rejected.map { "\($0.error)" }
        return report
    }

    /// The `index`-th game (0-based) of an SGF file or collection or an archive; `asked` names the
    /// index in the error when the file holds fewer games.
    public static func record(at index: Int, in file: String, asked: String = "the game") throws -> GameRecord {
        var i = 0
        if GameArchive.isArchive(file) {
            let reader = try GameArchiveReader(path: file)
            while let r = try reader.nextRecord() {
                if i == index { return r }
                i += 1
            }
        } else {
            let reader = try SGFReader(path: file)
            while let e = try reader.nextEntry() {
                if i == index { return try e.record.get() }
                i += 1
            }
        }
        throw RecordError(path: file, message: "holds \(i) games: \(asked) must be 0…\(i - 1)")
    }
}
