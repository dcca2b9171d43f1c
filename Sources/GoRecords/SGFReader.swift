/// One game read from an SGF file: the record, or why it could not be read.
public struct SGFEntry: Sendable {
    /// 0-based position of the game tree in the file.
    public var index: Int
    /// Where the game tree starts.
    public var line: Int
    public var column: Int
    public var record: Result<GameRecord, SGFError>
}

/// Reads the games of an SGF file or collection, `.sgf` or zstd-compressed, one at a time.
///
/// A malformed game yields an entry holding its error and reading goes on with the next one;
/// a failure of the stream itself (I/O, corrupt compression) is thrown, after every game before it.
public final class SGFReader: Sequence, IteratorProtocol {
    let scanner: SGFScanner
    var index = 0
    /// A stream failure met by `next()` when iterating with `for … in`.
    public private(set) var streamError: Error?

    /// Reads from any byte stream.
    public init(_ source: ByteSource) {
        scanner = SGFScanner(source)
    }

    /// Opens a file, recognising zstd compression by its magic number.
    public convenience init(path: String) throws {
        self.init(try openInput(path: path))
    }

    /// Reads SGF text in memory.
    public convenience init(text: String, name: String = "<memory>") {
        self.init(MemoryByteSource(Array(text.utf8), name: name))
    }

    /// Bytes of the file read so far (compressed bytes for `.zst`), for progress.
    public var bytesRead: Int { scanner.source.position }

    /// The next game; throws when the stream itself fails, or when it ends without any game tree
    /// (an empty file, or text that is not SGF: "0 games" would hide the mistake).
    public func nextEntry() throws -> SGFEntry? {
        guard let piece = try scanner.next() else {
            if index == 0 { throw SGFError(file: scanner.source.name, line: 1, column: 1, message: "no SGF game tree (the file is empty or not SGF)") }
            return nil
        }
        defer { index += 1 }
        let file = scanner.source.name
        let result: Result<GameRecord, SGFError>
        do {
            let nodes = try SGFParser.mainLine(piece.bytes, file: file, line: piece.line, column: piece.column)
            result = .success(try GameRecord(nodes: nodes, file: file))
        } catch {
            result = .failure(error)
        }
        return SGFEntry(index: index, line: piece.line, column: piece.column, record: result)
    }

    /// The next game, or nil at the end or on a stream failure (kept in `streamError`).
    public func next() -> SGFEntry? {
        guard streamError == nil else { return nil }
        do { return try nextEntry() } catch {
            streamError = error
            return nil
        }
    }

    /// Every game of a text, throwing the first error (for tests and small inputs).
    public static func records(text: String, name: String = "<memory>") throws -> [GameRecord] {
        let reader = SGFReader(text: text, name: name)
        var out: [GameRecord] = []
        while let e = try reader.nextEntry() { out.append(try e.record.get()) }
        return out
    }
}
