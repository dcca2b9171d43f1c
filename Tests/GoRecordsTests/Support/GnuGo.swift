import Foundation
import XCTest

/// GNU Go as a real subprocess speaking GTP over pipes, for differential tests.
final class GnuGo {
    let process = Process()
    let input = Pipe()
    let output = Pipe()
    var buffer: [UInt8] = []

    /// The binary, or nil when GNU Go is not installed.
    static var binary: String? {
        for p in ["/usr/games/gnugo", "/usr/bin/gnugo", "/usr/local/bin/gnugo"] where FileManager.default.isExecutableFile(atPath: p) {
            return p
        }
        return nil
    }

    init() throws {
        guard let path = GnuGo.binary else {
            throw XCTSkip("GNU Go is not installed (apt-get install gnugo): differential test skipped")
        }
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["--mode", "gtp", "--level", "0"]
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    deinit {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }

    /// Sends one command; returns the response text after `= `, or throws the `? ` message.
    @discardableResult
    func send(_ command: String) throws -> String {
        input.fileHandleForWriting.write(Data((command + "\n").utf8))
        var lines: [String] = []
        while true {
            let line = try readLine()
            if line.isEmpty && !lines.isEmpty { break }
            if !line.isEmpty { lines.append(line) }
        }
        let text = lines.joined(separator: "\n")
        if text.hasPrefix("?") { throw GTPFailure(command: command, message: String(text.dropFirst(2))) }
        return String(text.dropFirst(text.count >= 2 ? 2 : 1))
    }

    func readLine() throws -> String {
        while true {
            if let nl = buffer.firstIndex(of: 10) {
                let line = String(decoding: buffer[..<nl], as: UTF8.self)
                buffer.removeSubrange(...nl)
                return line
            }
            let data = output.fileHandleForReading.availableData
            if data.isEmpty { throw GTPFailure(command: "", message: "GNU Go closed its output") }
            buffer += data
        }
    }

    struct GTPFailure: Error { var command: String; var message: String }
}
