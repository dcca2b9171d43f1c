import Foundation

/// One game's log of the engines' standard error, capped: the first `headBytes` and the last
/// `tailBytes` are kept and what lies between is replaced by a line saying how much was left out
/// (an engine flooding stderr once wrote 838 MB in one game).
public final class GameLog: @unchecked Sendable {  // Written by the reader thread, every access under `lock`.
    /// Kept from the start and from the end: 1 MB each holds hundreds of moves of a chatty engine's
    /// diagnostics, and both together stay small beside a game's SGF directory.
    public static let headBytes = 1 << 20
    /// Bytes of the end of the engine's stderr kept.
    public static let tailBytes = 1 << 20

    private let lock = NSLock()
    private let file: FileHandle?
    private let headLimit: Int, tailLimit: Int
    private var written = 0
    private var tail = Data()
    private var dropped = 0
    private var closed = false

    /// Creates (or empties) the log at `path`; writes nothing if the file cannot be created.
    public init(path: String, headBytes: Int = GameLog.headBytes, tailBytes: Int = GameLog.tailBytes) {
        FileManager.default.createFile(atPath: path, contents: nil)
        file = FileHandle(forWritingAtPath: path)
        headLimit = headBytes
        tailLimit = tailBytes
    }

    /// Appends bytes: written while the head lasts, then kept in the rolling tail.
    public func append(_ data: Data) {
        lock.lock()
        defer { lock.unlock() }
        guard !closed else { return }
        var rest = data[...]
        if written < headLimit {
            let n = min(headLimit - written, rest.count)
            try? file?.write(contentsOf: rest.prefix(n))
            written += n
            rest = rest.dropFirst(n)
        }
        guard !rest.isEmpty else { return }
        tail += rest
        if tail.count > tailLimit {
            let excess = tail.count - tailLimit
            dropped += excess
            tail.removeFirst(excess)
        }
    }

    /// Writes the tail (after a line counting what was left out) and closes the file.
    public func close() {
        lock.lock()
        defer { lock.unlock() }
        guard !closed else { return }
        closed = true
        if dropped > 0 {
            try? file?.write(contentsOf: Data("\n[gonet: \(dropped) bytes of engine output left out here]\n".utf8))
        }
        try? file?.write(contentsOf: tail)
        try? file?.close()
    }

    deinit { close() }
}
