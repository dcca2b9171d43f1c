/// One game read from an SGF file: the record, or why it could not be read.
public struct SGFEntry: Sendable {
    /// 0-based position of the game tree in the file.
    public var index: Int
    /// Where the game tree starts.
    public var line: Int
    /// The byte column where the game tree starts.
    public var column: Int
    /// The game, or why it cannot be read.
    public var record: Result<GameRecord, RecordError>
    /// Something read in a way the file may not have meant (an unknown charset), with its place.
    public var warning: RecordError?
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

    /// Opens a file, recognising zstd compression by its magic number and a UTF-16 file by its
    /// byte order mark (read whole and turned into UTF-8; such files are single games).
    public convenience init(path: String) throws {
        let source = try openInput(path: path)
        let head = try FileByteSource.peek(path: path, count: 2)
        if head == [0xFF, 0xFE] || head == [0xFE, 0xFF] {
            var bytes: [UInt8] = []
            let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 8)
            defer { chunk.deallocate() }
            while true {
                let n = try source.read(into: chunk)
                if n == 0 { break }
                bytes += chunk[0..<n]
                guard bytes.count <= SGFScanner.largestTree else { break }
            }
            self.init(MemoryByteSource(SGFCharset.utf8FromUTF16(bytes) ?? bytes, name: path))
        } else {
            self.init(source)
        }
    }

    /// Reads SGF text in memory.
    public convenience init(text: String, name: String = "<memory>") {
        self.init(MemoryByteSource(Array(text.utf8), name: name))
    }

    /// Bytes of the file read so far (compressed bytes for `.zst`), for progress.
    var bytesRead: Int { scanner.source.position }

    /// The next game; throws when the stream itself fails, or when it ends without any game tree
    /// (an empty file, or text that is not SGF: "0 games" would hide the mistake).
    public func nextEntry() throws -> SGFEntry? {
        guard let piece = try scanner.next() else {
            if index == 0 {
                throw RecordError(
                    file: scanner.source.name, line: 1, column: 1,
                    message: "no SGF game tree (the file is empty or not SGF)")
            }
            return nil
        }
        defer { index += 1 }
        let file = scanner.source.name
        let result: Result<GameRecord, RecordError>
        var warning: RecordError?
        do {
            let parsed = try SGFParser.mainLine(piece.bytes, file: file, line: piece.line, column: piece.column)
            warning = parsed.warning
            result = .success(try GameRecord(nodes: parsed.nodes, file: file))
        } catch {
            result = .failure(error)
        }
        return SGFEntry(index: index, line: piece.line, column: piece.column, record: result, warning: warning)
    }

    /// The next game, or nil at the end or on a stream failure (kept in `streamError`).
    public func next() -> SGFEntry? {
        guard streamError == nil else { return nil }
        do { return try nextEntry() } catch {
            streamError = error
            return nil
        }
    }

    /// The first game of a file as its main line's nodes, every property kept, beside its record
    /// (what `gonet analyze` annotates and writes back).
    public static func mainLine(path: String) throws -> (nodes: [SGFNode], record: GameRecord) {
        let reader = try SGFReader(path: path)
        guard let piece = try reader.scanner.next() else {
            throw RecordError(
                file: path, line: 1, column: 1, message: "no SGF game tree (the file is empty or not SGF)")
        }
        let parsed = try SGFParser.mainLine(piece.bytes, file: path, line: piece.line, column: piece.column)
        return (parsed.nodes, try GameRecord(nodes: parsed.nodes, file: path))
    }

    /// Every game of a text, throwing the first error (for tests and small inputs).
    public static func records(text: String, name: String = "<memory>") throws -> [GameRecord] {
        let reader = SGFReader(text: text, name: name)
        var out: [GameRecord] = []
        while let e = try reader.nextEntry() { out.append(try e.record.get()) }
        return out
    }
}
