import Foundation

/// An engine subprocess spoken to over GTP, with a deadline on every answer: the one GTP client of
/// gonet (the referee, `gonet bench search` against Leela Zero, the tests against GNU Go and
/// `gonet gtp`). A crash, a hang or garbage is reported, never waited on forever.
///
/// Sendable: the reader thread touches only `buffer` and `closed`, under `lock`.
public final class GTPClient: @unchecked Sendable {
    /// What came back for a command.
    public enum Answer: Equatable, Sendable {
        case success(String)
        case failure(String)
        /// No complete answer in time.
        case timeout
        /// The engine exited or closed its output.
        case crashed
    }

    let process = Process()
    let input = Pipe()
    let output = Pipe()
    let lock = NSCondition()
    var buffer = Data()
    var closed = false
    /// The engine's command line.
    public let command: [String]

    /// The most bytes of output kept while waiting for an answer: an engine that writes more than
    /// this without ending an answer is treated as crashed instead of filling memory.
    static let longestAnswer = 16 << 20
    let errors = Pipe()

    /// Starts `command` (executable and arguments); its standard error goes to `log` when given.
    /// The program a command's first word runs: a path, or a name found in PATH or Debian's
    /// /usr/games; nil when the machine has none.
    public static func executable(_ word: String) -> String? {
        let fm = FileManager.default
        if word.contains("/") { return fm.isExecutableFile(atPath: word) ? word : nil }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for dir in (path + ":/usr/games").split(separator: ":") where fm.isExecutableFile(atPath: "\(dir)/\(word)") {
            return "\(dir)/\(word)"
        }
        return nil
    }

    /// Starts the engine (in `directory`, logging to `log`); a command that cannot start throws.
    public init(command: [String], log: GameLog? = nil, directory: String? = nil) throws {
        precondition(!command.isEmpty)
        // A write to an engine that died must fail, not kill the referee.
        signal(SIGPIPE, SIG_IGN)
        self.command = command
        process.executableURL = URL(fileURLWithPath: Self.executable(command[0]) ?? command[0])
        process.arguments = Array(command.dropFirst())
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        process.standardInput = input
        process.standardOutput = output
        if let log {
            process.standardError = errors
            errors.fileHandleForReading.readabilityHandler = { h in
                let d = h.availableData
                if d.isEmpty { h.readabilityHandler = nil } else { log.append(d) }
            }
        } else {
            process.standardError = FileHandle.nullDevice
        }
        output.fileHandleForReading.readabilityHandler = { [weak self] h in
            let d = h.availableData
            guard let self else { return }
            self.lock.lock()
            if d.isEmpty {
                self.closed = true
            } else if !self.closed {
                self.buffer += d
                if self.buffer.count > Self.longestAnswer { self.closed = true }
            }
            self.lock.broadcast()
            self.lock.unlock()
            if d.isEmpty { h.readabilityHandler = nil }
        }
        do { try process.run() } catch {
            output.fileHandleForReading.readabilityHandler = nil
            errors.fileHandleForReading.readabilityHandler = nil
            throw error
        }
    }

    deinit { stop() }

    /// Ends the engine: `quit`, then a kill if it lingers.
    public func stop() {
        if process.isRunning {
            try? input.fileHandleForWriting.write(contentsOf: Data("quit\n".utf8))
            try? input.fileHandleForWriting.close()
            let deadline = Date().addingTimeInterval(1)
            while process.isRunning && Date() < deadline { usleep(10_000) }
            if process.isRunning { process.terminate() }
            usleep(20_000)
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        output.fileHandleForReading.readabilityHandler = nil
        // The stderr handler ends itself at the end of the stream, so the last lines reach the log.
    }

    /// Sends a command and returns its answer's text; a `?` answer, a timeout or a crash throws.
    @discardableResult
    public func ask(_ command: String, timeout: Double = 60) throws -> String {
        switch send(command, timeout: timeout) {
        case .success(let text): return text
        case .failure(let message): throw GTPClientError(command: command, message: message)
        case .timeout: throw GTPClientError(command: command, message: "no answer within \(timeout) s")
        case .crashed: throw GTPClientError(command: command, message: "the engine exited or closed its output")
        }
    }

    /// Sends a command and waits up to `timeout` seconds for its answer.
    public func send(_ command: String, timeout: Double) -> Answer {
        guard process.isRunning else { return .crashed }
        do { try input.fileHandleForWriting.write(contentsOf: Data((command + "\n").utf8)) } catch { return .crashed }
        let deadline = Date().addingTimeInterval(timeout)
        let blankLine = Data("\n\n".utf8)
        lock.lock()
        defer { lock.unlock() }
        // Bytes before this index hold no blank line, so each wake searches only what arrived
        // since (less one byte, in case the blank line straddles): a long answer is read in linear
        // time, not rescanned from its start for every 64 KB the pipe delivers.
        var searched = buffer.startIndex
        while true {
            // An answer ends with an empty line; anything before its "=" or "?" is skipped.
            let from = max(buffer.startIndex, searched - 1)
            if let end = buffer.range(of: blankLine, in: from..<buffer.endIndex) {
                let raw = String(decoding: buffer[buffer.startIndex..<end.lowerBound], as: UTF8.self)
                buffer.removeSubrange(buffer.startIndex..<end.upperBound)
                searched = buffer.startIndex
                let text = raw.replacingOccurrences(of: "\r", with: "")
                guard let start = text.firstIndex(where: { $0 == "=" || $0 == "?" }) else { continue }
                var body = text[text.index(after: start)...]
                while let f = body.first, f.isNumber { body = body.dropFirst() }
                let value = body.trimmingCharacters(in: .whitespacesAndNewlines)
                return text[start] == "=" ? .success(value) : .failure(value)
            }
            searched = buffer.endIndex
            if closed || !process.isRunning { return .crashed }
            if !lock.wait(until: min(deadline, Date().addingTimeInterval(0.2))) && Date() >= deadline {
                return .timeout
            }
        }
    }
}

/// A command that an engine refused (`?`), did not answer in time, or did not live to answer.
public struct GTPClientError: Error, LocalizedError, Equatable, CustomStringConvertible {
    /// The message, for code that reads `localizedDescription`.
    public var errorDescription: String? { description }
    /// The GTP command that failed.
    public var command: String
    /// Why.
    public var message: String
    /// The command and the message.
    public var description: String { "\(command): \(message)" }
}
