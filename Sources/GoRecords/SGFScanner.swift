/// Cuts a stream of SGF text into the texts of its top-level game trees, chunk by chunk, so a
/// collection of any size is read in bounded memory.
final class SGFScanner {
    /// One game tree's bytes and where they start.
    struct Piece {
        var bytes: [UInt8]
        var line: Int
        var column: Int
        /// Set when the stream ended inside this tree.
        var truncated: Bool
    }

    /// The longest property value read: 16 MB. Real values (comments, long game records' notes)
    /// stay under a megabyte; a hostile unterminated value would otherwise fill memory.
    static let longestValue = 16 << 20
    /// The largest game tree read: 64 MB, many times the largest real record with comments.
    static let largestTree = 64 << 20

    let source: ByteSource
    var chunk: UnsafeMutableRawBufferPointer
    var pos = 0
    var end = 0
    var done = false
    var line = 1
    var column = 1

    init(_ source: ByteSource, chunkSize: Int = 1 << 18) {
        self.source = source
        chunk = .allocate(byteCount: chunkSize, alignment: 16)
    }

    deinit { chunk.deallocate() }

    /// The next byte, or nil at the end of the stream.
    @inline(__always) func nextByte() throws -> UInt8? {
        if pos == end {
            if done { return nil }
            end = try source.read(into: chunk)
            pos = 0
            if end == 0 {
                done = true
                return nil
            }
        }
        let b = chunk[pos]
        pos += 1
        if b == 10 {
            line += 1
            column = 1
        } else {
            column += 1
        }
        return b
    }

    /// The next game tree, nil at the end; stream errors (I/O, corrupt compression) are thrown.
    func next() throws -> Piece? {
        // Skip text between trees.
        var b: UInt8
        repeat {
            guard let c = try nextByte() else { return nil }
            b = c
        } while b != 40
        var piece = Piece(bytes: [40], line: line, column: column - 1, truncated: false)
        piece.bytes.reserveCapacity(4096)
        var depth = 1
        var inValue = false
        var escape = false
        var valueStart = (line: 0, column: 0, offset: 0)
        while let c = try nextByte() {
            piece.bytes.append(c)
            if inValue {
                if escape { escape = false } else if c == 92 { escape = true } else if c == 93 { inValue = false }
                if inValue && piece.bytes.count - valueStart.offset > Self.longestValue {
                    throw RecordError(
                        file: source.name, line: valueStart.line, column: valueStart.column,
                        message: "a property value longer than \(Self.longestValue >> 20) MB (unterminated?)")
                }
            } else if c == 91 {
                inValue = true
                valueStart = (line, column - 1, piece.bytes.count)
            } else if c == 40 {
                depth += 1
            } else if c == 41 {
                depth -= 1
                if depth == 0 { return piece }
            }
            if piece.bytes.count > Self.largestTree {
                throw RecordError(
                    file: source.name, line: piece.line, column: piece.column,
                    message: "a game tree larger than \(Self.largestTree >> 20) MB")
            }
        }
        piece.truncated = true
        return piece
    }
}
