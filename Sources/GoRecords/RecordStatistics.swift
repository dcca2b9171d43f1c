import GoRules

/// Counts over a set of game records: what `gonet games info` reports.
public struct RecordStatistics: Sendable {
    /// Games read successfully.
    public var games = 0
    /// Moves in those games (passes included).
    public var moves = 0
    /// Games per board size.
    public var sizes: [Int: Int] = [:]
    /// Games Black won.
    public var blackWins = 0
    /// Games White won.
    public var whiteWins = 0
    /// Drawn games.
    public var draws = 0
    /// Missing, unreadable, `?` or `Void` results.
    public var unknownResults = 0
    /// Games per rules as `RU` gives them (empty for none), for the ko rule each was read under.
    public var rules: [String: Int] = [:]
    /// Games per length, in buckets of `lengthBucket` moves.
    public var lengths: [Int: Int] = [:]
    /// Moves per length bucket.
    public static let lengthBucket = 50
    /// Games that could not be read or used (0-based index in the file), with the reason.
    public var failures: [(index: Int, error: String)] = []
    /// Games read with a warning (an unknown charset), with its place.
    public var warnings: [String] = []
    /// A failure of the stream that ended reading early (games before it are counted).
    public var streamError: String?

    /// No games yet.
    public init() {}

    /// Counts one good game.
    public mutating func add(_ r: GameRecord) {
        games += 1
        moves += r.moves.count
        sizes[r.size, default: 0] += 1
        rules[r.rules, default: 0] += 1
        lengths[r.moves.count / Self.lengthBucket * Self.lengthBucket, default: 0] += 1
        switch r.result {
        case .win(.black, _): blackWins += 1
        case .win(.white, _): whiteWins += 1
        case .draw: draws += 1
        case .void, .unknown: unknownResults += 1
        }
    }

    /// Adds another file's counts.
    public mutating func merge(_ o: RecordStatistics) {
        games += o.games
        moves += o.moves
        sizes.merge(o.sizes, uniquingKeysWith: +)
        rules.merge(o.rules, uniquingKeysWith: +)
        lengths.merge(o.lengths, uniquingKeysWith: +)
        blackWins += o.blackWins
        whiteWins += o.whiteWins
        draws += o.draws
        unknownResults += o.unknownResults
        failures += o.failures
        warnings += o.warnings
        if streamError == nil { streamError = o.streamError }
    }

    /// Counts an SGF file or collection, or a `*.games.zst` archive (by its name); throws only when
    /// the file cannot be opened at all.
    public static func of(path: String) throws -> RecordStatistics {
        guard GameArchive.isArchive(path) else { return of(sgf: try SGFReader(path: path)) }
        let reader = try GameArchiveReader(path: path)
        var s = RecordStatistics()
        do { while let r = try reader.nextRecord() { s.add(r) } } catch { s.streamError = "\(error)" }
        // Records the reader left out count as failures, at their place in the archive.
        s.failures = reader.rejected.map { ($0.index, "\($0.error)") }
        return s
    }

    /// Reads a whole SGF file or collection and counts it; a stream failure is recorded, not thrown.
    public static func of(sgf reader: SGFReader) -> RecordStatistics {
        var s = RecordStatistics()
        do {
            while let e = try reader.nextEntry() {
                if let w = e.warning { s.warnings.append("\(w)") }
                switch e.record {
                case .success(let r): s.add(r)
                case .failure(let err): s.failures.append((e.index, "\(err)"))
                }
            }
        } catch {
            s.streamError = "\(error)"
        }
        return s
    }
}
