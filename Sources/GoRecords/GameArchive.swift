import Foundation
import GoRules

/// gonet's compact game-record archive, `*.games.zst` (version 1).
///
/// A zstd stream (frames carry checksums; appending adds frames) of segments. Each segment
/// starts with the 8 magic bytes `GONETGA1` and holds records; all integers little-endian:
///
/// ```
/// record   u8 0xA7, u32 body length, body
/// body     u8 board size, f32 komi, u8 handicap,
///          u8 result (0 unknown, 1 void, 2 draw, 3 black wins, 4 white wins),
///          u8 reason (0 none, 1 score, 2 resignation, 3 time, 4 forfeit), f32 margin,
///          str black player, str white player, str date, str rules,
///          u16 setup count, u16 × count, u32 move count, u16 × count,
///          [u16 edit count, edit × count]   (only when the game has edits after the root)
/// str      u16 byte length, UTF-8
/// move     bit 15 set for White; bits 0–14 the point index y·size + x, size² for a pass
/// edit     u32 moves played before it, u16: bit 15 White, bit 14 emptied (AE), bits 0–13 the point
/// ```
///
/// The edit list was added after the first archives were written: records without edits are
/// byte for byte what they were, and a reader that predates it refuses only records with edits.
///
/// The body length lets a reader check each record's extent; a record cut short by the end of
/// the stream is reported with its offset, and every record before it has been read.
public enum GameArchive {
    static let magic: [UInt8] = Array("GONETGA1".utf8)
    static let recordMarker: UInt8 = 0xA7

    /// Whether a path names an archive (by its extension).
    public static func isArchive(_ path: String) -> Bool { path.lowercased().hasSuffix(".games.zst") }

    /// The body bytes of a record.
    static func encode(_ r: GameRecord) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(64 + 2 * r.moves.count)
        func u16(_ v: Int) {
            out.append(UInt8(v & 0xFF))
            out.append(UInt8((v >> 8) & 0xFF))
        }
        func u32(_ v: Int) { for i in 0..<4 { out.append(UInt8((v >> (8 * i)) & 0xFF)) } }
        func f32(_ v: Double) { u32(Int(Float(v).bitPattern)) }
        func str(_ s: String) {
            let bytes = Array(s.utf8.prefix(65535))
            u16(bytes.count)
            out += bytes
        }
        func move(_ m: PlayedMove) -> Int { m.move.index(size: r.size) | (m.color == .white ? 0x8000 : 0) }
        out.append(UInt8(r.size))
        f32(r.komi)
        out.append(UInt8(min(r.handicap, 255)))
        switch r.result {
        case .unknown:
            out += [0, 0]
            f32(0)
        case .void:
            out += [1, 0]
            f32(0)
        case .draw:
            out += [2, 0]
            f32(0)
        case .win(let color, let reason):
            out.append(color == .black ? 3 : 4)
            switch reason {
            case .unspecified:
                out.append(0)
                f32(0)
            case .score(let m):
                out.append(1)
                f32(m)
            case .resignation:
                out.append(2)
                f32(0)
            case .time:
                out.append(3)
                f32(0)
            case .forfeit:
                out.append(4)
                f32(0)
            }
        }
        str(r.blackPlayer)
        str(r.whitePlayer)
        str(r.date)
        str(r.rules)
        u16(r.setup.count)
        for s in r.setup { u16(move(s)) }
        u32(r.moves.count)
        for m in r.moves { u16(move(m)) }
        if !r.edits.isEmpty {
            u16(min(r.edits.count, 65535))
            for e in r.edits.prefix(65535) {
                u32(e.beforeMove)
                u16(e.point.index(size: r.size) | (e.stone == .white ? 0x8000 : 0) | (e.stone == nil ? 0x4000 : 0))
            }
        }
        return out
    }

    /// A record from its body; nil when the bytes are inconsistent.
    static func decode(_ body: UnsafeRawBufferPointer) -> GameRecord? {
        var p = 0
        func need(_ n: Int) -> Bool { p + n <= body.count }
        func u8() -> Int? {
            guard need(1) else { return nil }
            defer { p += 1 }
            return Int(body[p])
        }
        func u16() -> Int? {
            guard need(2) else { return nil }
            defer { p += 2 }
            return Int(body[p]) | Int(body[p + 1]) << 8
        }
        func u32() -> Int? {
            guard need(4) else { return nil }
            defer { p += 4 }
            return Int(body[p]) | Int(body[p + 1]) << 8 | Int(body[p + 2]) << 16 | Int(body[p + 3]) << 24
        }
        func f32() -> Double? { u32().map { Double(Float(bitPattern: UInt32($0))) } }
        func str() -> String? {
            guard let n = u16(), need(n) else { return nil }
            defer { p += n }
            return String(decoding: UnsafeRawBufferPointer(rebasing: body[p..<(p + n)]), as: UTF8.self)
        }
        guard let size = u8(), (2...Board.maxSize).contains(size), let komi = f32(), let handicap = u8(),
            let result = u8(), let reason = u8(), let margin = f32(),
            let black = str(), let white = str(), let date = str(), let rules = str()
        else { return nil }
        var r = GameRecord(size: size, komi: komi)
        r.handicap = handicap
        switch (result, reason) {
        case (0, _): r.result = .unknown
        case (1, _): r.result = .void
        case (2, _): r.result = .draw
        case (3, _), (4, _):
            let c: Stone = result == 3 ? .black : .white
            switch reason {
            case 0: r.result = .win(c, .unspecified)
            case 1: r.result = .win(c, .score(margin))
            case 2: r.result = .win(c, .resignation)
            case 3: r.result = .win(c, .time)
            case 4: r.result = .win(c, .forfeit)
            default: return nil
            }
        default: return nil
        }
        r.blackPlayer = black
        r.whitePlayer = white
        r.date = date
        r.rules = rules
        func move(_ v: Int) -> PlayedMove? {
            let index = v & 0x7FFF
            guard index <= size * size else { return nil }
            return PlayedMove(v & 0x8000 != 0 ? .white : .black, Move(index: index, size: size))
        }
        guard let setupCount = u16(), need(2 * setupCount) else { return nil }
        for _ in 0..<setupCount {
            guard let m = move(u16()!), m.move != .pass else { return nil }
            r.setup.append(m)
        }
        guard let moveCount = u32(), need(2 * moveCount) else { return nil }
        r.moves.reserveCapacity(moveCount)
        for _ in 0..<moveCount {
            guard let m = move(u16()!) else { return nil }
            r.moves.append(m)
        }
        if p < body.count {
            guard let editCount = u16(), editCount > 0, need(6 * editCount) else { return nil }
            for _ in 0..<editCount {
                let before = u32()!
                let v = u16()!
                let index = v & 0x3FFF
                guard index < size * size, before <= moveCount else { return nil }
                let stone: Stone? = v & 0x4000 != 0 ? nil : (v & 0x8000 != 0 ? .white : .black)
                r.edits.append(SetupStone(beforeMove: before, point: Point(index: index, size: size), stone: stone))
            }
        }
        return p == body.count ? r : nil
    }
}

/// Writes game records to a `*.games.zst` archive, streaming; `finish()` seals it.
public final class GameArchiveWriter {
    let zstd: ZstdWriter
    /// Records written so far.
    public private(set) var count = 0

    /// Creates a new archive (written under a temporary name until `finish`), or appends a new
    /// segment to an existing one.
    public init(path: String, append: Bool = false, level: Int32 = 9) throws {
        zstd = try ZstdWriter(path: path, level: level, append: append)
        try GameArchive.magic.withUnsafeBytes { try zstd.write($0) }
    }

    /// Appends one record.
    public func write(_ r: GameRecord) throws {
        let body = GameArchive.encode(r)
        var head: [UInt8] = [GameArchive.recordMarker]
        for i in 0..<4 { head.append(UInt8((body.count >> (8 * i)) & 0xFF)) }
        try head.withUnsafeBytes { try zstd.write($0) }
        try body.withUnsafeBytes { try zstd.write($0) }
        count += 1
    }

    /// Flushes, syncs and renames the archive into place; nothing is visible before this.
    public func finish() throws { try zstd.finish() }
}

/// Reads the records of an archive in order, streaming.
public final class GameArchiveReader: Sequence, IteratorProtocol {
    let source: ByteSource
    /// The archive's path, for errors.
    public let path: String
    var buffer: [UInt8] = []
    var start = 0
    var done = false
    /// Bytes of the file read so far (compressed), for progress.
    /// Compressed bytes of the file read so far (for progress against the file's size).
    public var bytesRead: Int { source.position }

    /// Decompressed bytes consumed so far.
    public private(set) var offset = 0
    /// Records read so far.
    public private(set) var count = 0
    /// The failure that ended iteration with `for … in`, if any.
    public private(set) var error: Error?
    /// Records left out because they cannot be replayed (komi or margin out of range, an illegal
    /// move or setup stone), with where and why; `count` includes them.
    public private(set) var rejected: [(index: Int, error: RecordError)] = []
    let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 18, alignment: 16)

    /// Opens an archive; a file that is not one throws a `RecordError`.
    public convenience init(path: String) throws {
        try self.init(source: try openInput(path: path), path: path)
    }

    /// Reads the decompressed bytes of an archive from any source (tests, fuzzing).
    public init(source: ByteSource, path: String) throws {
        self.path = path
        self.source = source
        buffer.reserveCapacity(1 << 19)
        guard try fill(GameArchive.magic.count), Array(buffer[0..<8]) == GameArchive.magic else {
            throw RecordError(
                path: path, place: .decompressed(0), message: "not a gonet game archive (no GONETGA1 header)")
        }
        consume(8)
    }

    deinit { chunk.deallocate() }

    /// Makes at least `n` unread bytes available; false at the end of the stream.
    func fill(_ n: Int) throws -> Bool {
        while buffer.count - start < n {
            if done { return false }
            if start > 0 && start >= buffer.count / 2 {
                buffer.removeSubrange(0..<start)
                start = 0
            }
            let got = try source.read(into: chunk)
            if got == 0 { done = true } else { buffer += UnsafeRawBufferPointer(rebasing: chunk[0..<got]) }
        }
        return true
    }

    func consume(_ n: Int) {
        start += n
        offset += n
    }

    /// The next record; nil at the end; throws on a corrupt or truncated archive.
    public func nextRecord() throws -> GameRecord? {
        while true {
            guard try fill(1) else { return nil }
            let marker = buffer[start]
            if marker == GameArchive.magic[0] {
                // An appended segment's header.
                guard try fill(8), Array(buffer[start..<(start + 8)]) == GameArchive.magic else {
                    throw RecordError(
                        path: path, place: .decompressed(offset), message: "corrupt archive: bad segment header")
                }
                consume(8)
                continue
            }
            guard marker == GameArchive.recordMarker else {
                throw RecordError(
                    path: path, place: .decompressed(offset), message: "corrupt archive: no record at this point")
            }
            guard try fill(5) else {
                throw RecordError(
                    path: path, place: .decompressed(offset), message: "truncated archive: a record is cut short")
            }
            var length = 0
            for i in 0..<4 { length |= Int(buffer[start + 1 + i]) << (8 * i) }
            guard length <= 1 << 24 else {
                throw RecordError(
                    path: path, place: .decompressed(offset), message: "corrupt archive: record length \(length)")
            }
            guard try fill(5 + length) else {
                throw RecordError(
                    path: path, place: .decompressed(offset), message: "truncated archive: a record is cut short")
            }
            let record = buffer.withUnsafeBytes {
                GameArchive.decode(UnsafeRawBufferPointer(rebasing: $0[(start + 5)..<(start + 5 + length)]))
            }
            guard let record else {
                throw RecordError(
                    path: path, place: .decompressed(offset), message: "corrupt archive: malformed record")
            }
            consume(5 + length)
            count += 1
            // A well-formed record that cannot be replayed (an older gonet imported it, or another
            // program wrote it) is left out here, before export, eval or training see it; the
            // records around it are still good.
            if let why = record.problem() {
                rejected.append(
                    (
                        count - 1,
                        RecordError(
                            path: path, place: .decompressed(offset - 5 - length),
                            message: "record \(count) cannot be used: \(why)")
                    ))
                continue
            }
            return record
        }
    }

    /// The next record, or nil at the end or after an error (kept in `error`).
    public func next() -> GameRecord? {
        guard error == nil else { return nil }
        do { return try nextRecord() } catch {
            self.error = error
            return nil
        }
    }
}
