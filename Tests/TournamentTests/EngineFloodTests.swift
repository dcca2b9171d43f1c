import Foundation
import GTP
import Tournament
import XCTest

/// Engines that flood their output: logs stay capped, memory stays bounded.
final class EngineFloodTests: XCTestCase {
    func testAFloodOfStandardErrorKeepsHeadAndTailOnly() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("gonet-flood-\(UUID().uuidString).log")
            .path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let log = GameLog(path: path, headBytes: 1000, tailBytes: 500)
        // Five megabytes of x on stderr, then the last words, then a GTP loop.
        let script =
            "head -c 5000000 /dev/zero | tr '\\0' x >&2; echo THE-END >&2; while read l; do printf '= ok\\n\\n'; done"
        let engine = try GTPClient(command: ["/bin/sh", "-c", script], log: log)
        XCTAssertEqual(engine.send("name", timeout: 20), .success("ok"))
        engine.stop()
        // The engine wrote all of stderr before it answered (the pipe holds 64 KB, so nearly all of
        // it has been read); give the reading queue a moment for the rest, then close.
        usleep(300_000)
        log.close()
        let text = try String(contentsOfFile: path, encoding: .utf8)
        XCTAssertLessThan(text.utf8.count, 1000 + 500 + 100, "head, tail and one line")
        XCTAssertTrue(text.hasPrefix(String(repeating: "x", count: 1000)))
        XCTAssertTrue(text.contains("bytes of engine output left out here]"), String(text.prefix(1200).suffix(200)))
    }

    func testAnEngineThatNeverEndsAnAnswerIsACrashNotAMemoryBlowUp() throws {
        let engine = try GTPClient(command: ["/bin/sh", "-c", "read l; yes"])
        defer { engine.stop() }
        XCTAssertEqual(engine.send("name", timeout: 60), .crashed)
    }

    func testGameLogUnit() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("gonet-log-\(UUID().uuidString).log")
            .path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let log = GameLog(path: path, headBytes: 4, tailBytes: 3)
        log.append(Data("abcdef".utf8))
        log.append(Data("ghij".utf8))
        log.close()
        log.append(Data("late".utf8))
        XCTAssertEqual(
            try String(contentsOfFile: path, encoding: .utf8),
            "abcd\n[gonet: 3 bytes of engine output left out here]\nhij")
        let small = GameLog(path: path, headBytes: 100, tailBytes: 3)
        small.append(Data("short".utf8))
        small.close()
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "short", "a short log is kept whole")
    }
}
