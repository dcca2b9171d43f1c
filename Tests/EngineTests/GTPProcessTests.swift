import Engine
import Foundation
import GTP
import GoNetwork
import GoRules
import TestSupport
import XCTest

/// `gonet gtp` as a real subprocess: a whole game against GNU Go, and hostile input.
final class GTPProcessTests: XCTestCase {
    var dir: URL!
    var network: String!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("gonet-gtp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let net = FamilyNetwork(
            Architecture.Family(
                trunk: .resnet, blocks: 1, filters: 8, policyHead: .conv, policyFilters: 2, valueHead: .pool,
                valueFilters: 2, valueHidden: 4))
        net.initialize(seed: 11)
        network = dir.appendingPathComponent("tiny.safetensors").path
        try net.save(path: network)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    /// Both modes at once (the two games are subprocesses, one core each on CI's two).
    func testFullGameAgainstGnuGoWithoutIllegalMoves() throws {
        guard let gnugoPath = TestPaths.gnugo
        else {
            throw XCTSkip("GNU Go is not installed (apt-get install gnugo)")
        }
        let modes = [["--mode", "policy", "--temperature", "1"], ["--mode", "mcts", "--visits", "16"]]
        let problems = LockedLines()
        let command = [TestPaths.gonet.path, "gtp", "--network", network!, "--seed", "3"]
        DispatchQueue.concurrentPerform(iterations: modes.count) { i in
            do {
                for p in try Self.playFullGame(command + modes[i], gnugo: gnugoPath) {
                    problems.append("\(modes[i]): \(p)")
                }
            } catch {
                problems.append("\(modes[i]): \(error)")
            }
        }
        XCTAssertEqual(problems.all, [])
    }

    /// Plays `ours` (black) against GNU Go level 1 to two passes; returns what went wrong.
    private static func playFullGame(_ command: [String], gnugo gnugoPath: String) throws -> [String] {
        let ours = try GTPClient(command: command)
        let gnugo = try GTPClient(command: [gnugoPath, "--mode", "gtp", "--level", "1"])
        defer {
            ours.stop()
            gnugo.stop()
        }
        var problems: [String] = []
        var referee = Game(size: 19, komi: 7.5, koRule: .simple)
        for e in [ours, gnugo] {
            for c in ["boardsize 19", "clear_board", "komi 7.5"] { _ = try e.ask(c) }
        }
        var moves = 0
        while !referee.isOver && moves < 800 {
            let color = referee.toMove
            let (mover, other) = color == .black ? (ours, gnugo) : (gnugo, ours)
            let r = try mover.ask("genmove \(color)")
            if r.lowercased() == "resign" { break }
            guard let move = Coordinates.move(gtp: r, size: 19) else { return problems + ["move \(moves + 1): \(r)"] }
            do { try referee.play(move) } catch { return problems + ["illegal move \(r) at move \(moves + 1)"] }
            _ = try other.ask("play \(color) \(r)")
            moves += 1
        }
        if !referee.isOver { problems.append("the game did not end with two passes (\(moves) moves)") }
        if moves <= 100 { problems.append("only \(moves) moves") }
        // gonet's count is the board's area score after taking off the stones it calls dead.
        let dead = try ours.ask("final_status_list dead").split(whereSeparator: { $0 == " " || $0 == "\n" })
            .compactMap { Coordinates.move(gtp: $0, size: 19)?.point }
        let score = try ours.ask("final_score")
        if score != referee.score(dead: Set(dead)).description {
            problems.append("final_score \(score), the board's \(referee.score(dead: Set(dead)))")
        }
        return problems
    }

    func testHostileInputGetsErrorsAndAClosedInputEndsCleanly() throws {
        let p = Process()
        p.executableURL = TestPaths.gonet
        p.arguments = ["gtp", "--network", network]
        let input = Pipe()
        let output = Pipe()
        p.standardInput = input
        p.standardOutput = output
        p.standardError = FileHandle.nullDevice
        try p.run()
        var junk = Data("name\n".utf8)
        junk += Data([0xFF, 0xFE, 0x00, 0x01, 0x80, 0x0A])  // binary garbage line
        junk += Data(String(repeating: "x", count: 200_000).utf8) + Data("\n".utf8)  // a very long line
        junk += Data("play b \(String(repeating: "Q", count: 5000))\n".utf8)
        junk += Data("7 protocol_version\n".utf8)
        input.fileHandleForWriting.write(junk)
        try input.fileHandleForWriting.close()  // stdin closes without quit
        let out = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0)
        let responses = out.components(separatedBy: "\n\n").filter { !$0.isEmpty }
        XCTAssertEqual(responses.first, "= gonet")
        XCTAssertEqual(responses.last, "=7 2")
        XCTAssertTrue(responses.contains("? unknown command"), out)
        XCTAssertTrue(responses.contains("? syntax error"), out)
    }

    func testBrokenNetworkFailsBeforeReadingGTP() throws {
        let bad = dir.appendingPathComponent("bad.safetensors").path
        try Data(repeating: 7, count: 100).write(to: URL(fileURLWithPath: bad))
        let p = Process()
        p.executableURL = TestPaths.gonet
        p.arguments = ["gtp", "--network", bad]
        let err = Pipe()
        p.standardError = err
        p.standardInput = Pipe()
        p.standardOutput = Pipe()
        try p.run()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 1)
        XCTAssertTrue(message.contains("gonet gtp: \(bad): header length"), message)
    }

    /// The streaming commands over real pipes: `=` first, then info lines, ended by the next
    /// command's empty line; a bad argument list is one `?` answer; `--lizzie` answers `version`
    /// as Lizzie's check needs.
    func testAnalysisStreamsOverPipes() throws {
        let p = Process()
        p.executableURL = TestPaths.gonet
        p.arguments = ["gtp", "--network", network, "--lizzie"]
        let input = Pipe()
        let output = Pipe()
        p.standardInput = input
        p.standardOutput = output
        p.standardError = FileHandle.nullDevice
        try p.run()
        // Each analysis runs until the next command arrives: send it only once the analysis has
        // written its first line, however slow the machine is.
        var out = ""
        func readUntil(_ text: String) {
            let deadline = Date().addingTimeInterval(60)
            while !out.contains(text) && Date() < deadline {
                let chunk = output.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                out += String(decoding: chunk, as: UTF8.self)
            }
        }
        input.fileHandleForWriting.write(Data("1 version\n2 lz-analyze b avoid b q16 1 interval 5\n".utf8))
        readUntil("=2\ninfo move ")
        input.fileHandleForWriting.write(Data("3 kata-analyze w 5 ownership true\n".utf8))
        readUntil("=3\ninfo move ")
        readUntil(" ownership ")
        input.fileHandleForWriting.write(
            Data("4 lz-analyze b avoid b\n5 lz-genmove_analyze b 5 allow b d4 1\nquit\n".utf8))
        try input.fileHandleForWriting.close()
        out += String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        let responses = out.components(separatedBy: "\n\n").filter { !$0.isEmpty }
        XCTAssertEqual(responses[0], "=1 0.17 gonet-0.1.0")
        XCTAssertTrue(responses[1].hasPrefix("=2\ninfo move "), responses[1])
        XCTAssertFalse(responses[1].contains("info move Q16 "), "Q16 is avoided")
        XCTAssertTrue(responses[2].hasPrefix("=3\ninfo move "), responses[2])
        XCTAssertTrue(responses[2].contains(" ownership "), responses[2])
        XCTAssertEqual(responses[3], "?4 syntax error")
        XCTAssertTrue(responses[4].hasPrefix("=5\n"), responses[4])
        XCTAssertTrue(responses[4].hasSuffix("play D4"), responses[4])
    }
}
