import Foundation
import Synchronization
import TestSupport
import XCTest

let repository = TestPaths.packageRoot.path
let engines = repository + "/Tests/TournamentTests/Engines"

/// The built `gonet` executable (workers run as subprocesses).
let gonet = TestPaths.gonet.path

/// One throwaway PostgreSQL cluster for the test process (scripts/pg-throwaway), stopped at exit;
/// each test gets a database of its own.
enum PostgresServer {
    static let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
        "gonet-pg-\(ProcessInfo.processInfo.processIdentifier)"
    ).path
    /// The server's URL once started, and the databases made so far.
    private static let state = Mutex((url: String?.none, databases: 0))

    /// A URL to a new empty database. Without PostgreSQL the test fails, unless
    /// GONET_SKIP_POSTGRES=1 says the machine is meant to run without it.
    static func database() throws -> String {
        try state.withLock { state in
            if state.url == nil {
                if ProcessInfo.processInfo.environment["GONET_SKIP_POSTGRES"] == "1" {
                    throw XCTSkip("GONET_SKIP_POSTGRES=1")
                }
                guard let out = try? run("'\(repository)/scripts/pg-throwaway' start '\(directory)'"), !out.isEmpty
                else {
                    XCTFail("scripts/pg-throwaway could not start PostgreSQL (scripts/install-deps installs it)")
                    throw XCTSkip("no PostgreSQL")
                }
                state.url = out
                atexit {
                    _ = try? PostgresServer.run(
                        "'\(repository)/scripts/pg-throwaway' stop '\(PostgresServer.directory)'")
                }
            }
            state.databases += 1
            let name = "test\(state.databases)"
            try psql(state.url!, "CREATE DATABASE \(name)")
            return state.url!.replacingOccurrences(of: "/gonet?", with: "/\(name)?")
        }
    }

    /// Runs SQL through psql; returns its unaligned output.
    @discardableResult
    static func psql(_ url: String, _ sql: String) throws -> String {
        try run(
            "psql '\(url)' -X -q -A -t -v ON_ERROR_STOP=1 -c \"\(sql.replacingOccurrences(of: "\"", with: "\\\""))\"")
    }

    /// Runs a shell command line and returns its standard output. popen and pclose rather than
    /// Foundation's Process: its waitUntilExit was seen to hang here once the server it started
    /// outlived the script.
    static func run(_ command: String) throws -> String {
        guard let f = popen(command, "r") else { throw CommandFailure(command: command) }
        var data = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = fread(&buffer, 1, buffer.count, f)
            if n <= 0 { break }
            data += buffer[0..<n]
        }
        guard pclose(f) == 0 else { throw CommandFailure(command: command) }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    struct CommandFailure: Error { var command: String }
}

/// A process's output as it comes, for waiting on a line instead of sleeping.
final class LockedText: @unchecked Sendable {  // Every access holds `condition`.
    private let condition = NSCondition()
    private var bytes = Data()

    func append(_ data: Data) {
        condition.lock()
        bytes.append(data)
        condition.broadcast()
        condition.unlock()
    }

    var text: String {
        condition.lock()
        defer { condition.unlock() }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Waits up to `seconds` for `needle` to appear; whether it did.
    func wait(for needle: String, seconds: TimeInterval = 60) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        condition.lock()
        defer { condition.unlock() }
        while !String(decoding: bytes, as: UTF8.self).contains(needle) {
            if !condition.wait(until: deadline) { return false }
        }
        return true
    }
}
