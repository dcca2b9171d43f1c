import Foundation

/// Anything wrong with a game record, a file or an archive: the file, the place in it and what.
public struct RecordError: Error, LocalizedError, Equatable, CustomStringConvertible {
    /// Where in the file the problem was found.
    public enum Place: Equatable, Sendable {
        /// The file as a whole (opening, reading, writing, counting its games).
        case file
        /// 1-based line and byte column of SGF text (0, 0 for the game as a whole).
        case text(line: Int, column: Int)
        /// Byte offset in a zstd-compressed stream.
        case compressed(Int)
        /// Byte offset of an archive record in the decompressed stream.
        case decompressed(Int)
    }

    /// The file (or `<memory>`).
    public var path: String
    /// Where in it.
    public var place: Place
    /// What is wrong.
    public var message: String
    /// What kind of problem: a game that breaks the rules is told apart from text that is not
    /// a game at all (the importer counts them apart).
    public var kind = Kind.malformed

    /// The kinds of problem a record has.
    public enum Kind: Sendable, Equatable {
        /// Not readable as a game: syntax, a bad property, an unreadable file.
        case malformed
        /// Well-formed, but a move is illegal on its board.
        case illegalMove
    }

    /// An error at `place` in `path`.
    public init(path: String, place: Place = .file, message: String) {
        self.path = path
        self.place = place
        self.message = message
    }

    /// An error in SGF text at 1-based `line` and byte `column`.
    public init(file: String, line: Int, column: Int, message: String) {
        self.init(path: file, place: .text(line: line, column: column), message: message)
    }

    /// The message, for code that reads `localizedDescription`.
    public var errorDescription: String? { description }

    /// The file, the place and the message, as `file:line:column: message` for SGF text.
    public var description: String {
        switch place {
        case .file: "\(path): \(message)"
        case .text(let line, let column): "\(path):\(line):\(column): \(message)"
        case .compressed(let offset): "\(path): \(message) at compressed byte \(offset)"
        case .decompressed(let offset): "\(path): \(message) at byte \(offset) of the decompressed stream"
        }
    }

    /// A failed system call on `path`, with the C library's reason.
    static func system(_ path: String, _ what: String) -> RecordError {
        RecordError(path: path, message: "\(what): \(String(cString: strerror(errno)))")
    }
}
