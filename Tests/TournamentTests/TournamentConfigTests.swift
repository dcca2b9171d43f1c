import Foundation
import GoNetwork
import GoRecords
import GoRules
import Tournament
import XCTest

final class TournamentConfigTests: XCTestCase {
    func decode(_ json: String) -> Result<TournamentConfig, Error> {
        Result { try JSONDecoder().decode(TournamentConfig.self, from: Data(json.utf8)) }
    }

    /// A network's own way to play: written as JSON, read back; the words of older tournaments
    /// still read; anything else refused with the entrant named.
    func testANetworksOwnWayToPlayIsTyped() throws {
        func play(_ command: String) throws -> NetworkPlay? {
            try Entrant(name: "a", version: 2, kind: .network, command: command).networkPlay()
        }
        let own = NetworkPlay(mode: .mcts, visits: 400)
        XCTAssertEqual(own.json, #"{"mode":"mcts","visits":400}"#)
        XCTAssertEqual(try play(own.json), own)
        XCTAssertEqual(try play(#"{"mode":"policy"}"#), NetworkPlay(mode: .policy, visits: nil))
        XCTAssertEqual(try play(#"["--mode", "mcts", "--visits", "7"]"#), NetworkPlay(mode: .mcts, visits: 7))
        XCTAssertEqual(try play(#"["--mode", "policy"]"#), NetworkPlay(mode: .policy, visits: nil))
        XCTAssertThrowsError(try play(#"["--mode", "mcts", "--seed", "7"]"#)) {
            XCTAssertEqual(
                "\($0)", #"entrant a v2's way to play is not a mode and visits: ["--mode", "mcts", "--seed", "7"]"#)
        }
        XCTAssertThrowsError(try play(#"{"mode":"mcts","visits":0}"#)) {
            XCTAssertEqual("\($0)", #"entrant a v2's visits must be 1 to 1000000: {"mode":"mcts","visits":0}"#)
        }
        XCTAssertNil(try Entrant(name: "e", kind: .engine, command: #"["gnugo"]"#).networkPlay())
    }

    func testScoringRulesAndRangesAreCheckedWithTheKeyNamed() throws {
        XCTAssertEqual(try decode(#"{"scoring": "area"}"#).get().scoring, .trompTaylor, "the old name still reads")
        XCTAssertEqual(try decode(#"{"scoring": "dead-removed"}"#).get().scoring, .deadRemoved)
        XCTAssertEqual(try decode(#"{"resignThreshold": 0.05}"#).get().resignThreshold, 0.05)
        for (json, message) in [
            (#"{"scoring": "japanese"}"#, "scoring must be tromp-taylor or dead-removed, not japanese"),
            (#"{"komi": 1e20}"#, "komi must be a number from -361 to 361"),
            (#"{"randomOpeningMoves": 400}"#, "randomOpeningMoves must be an integer from 0 to 75, not 400.0"),
            (#"{"randomOpeningMoves": -1}"#, "randomOpeningMoves must be an integer from 0 to 75, not -1.0"),
            (#"{"seed": -1}"#, "seed must be a whole number from 0 to 2^64-1, not -1.0"),
            (#"{"seed": "one"}"#, "seed must be a number"),
            (#"{"visits": 0}"#, "visits must be an integer from 1 to 1000000, not 0.0"),
            (#"{"gamesPerPairing": 2.5}"#, "gamesPerPairing must be an integer from 1 to 10000, not 2.5"),
            (#"{"concurrency": 1e9}"#, "concurrency must be an integer from 1 to 256"),
            (#"{"secondsPerMove": 1e300}"#, "secondsPerMove must be more than 0 and at most 86400"),
            (#"{"moveCap": 99999999999999999999}"#, "moveCap must be an integer from 1 to 10000"),
            (#"{"networkMode": 3}"#, "networkMode must be a string"),
            (#"{"refereeEngine": "gnugo"}"#, "refereeEngine must be a list of strings"),
            (#"{"refereeEngine": []}"#, "refereeEngine must name a command"),
            (#"{"resignThreshold": 1.5}"#, "resignThreshold must be in 0..<1, not 1.5"),
        ] {
            guard case .failure(let e) = decode(json) else {
                XCTFail(json)
                continue
            }
            XCTAssertTrue("\(e)".contains(message), "\(json): \(e)")
        }
    }

    func testLoadNamesTheFileAndAMissingDatabaseIsAnError() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gonet-config-\(UUID().uuidString)")
            .path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = try Tournament.create(dir)
        let json = (dir as NSString).appendingPathComponent("tournament.json")
        try #"{"seed": -1}"#.write(toFile: json, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try TournamentConfig.load(dir)) { e in
            XCTAssertEqual("\(e)", "\(json): seed must be a whole number from 0 to 2^64-1, not -1.0")
        }
        try "{not json".write(toFile: json, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try TournamentConfig.load(dir)) { e in XCTAssertEqual("\(e)", "\(json): not valid JSON") }
        try "{}".write(toFile: json, atomically: true, encoding: .utf8)
        XCTAssertNoThrow(try Tournament.open(directory: dir))
        let database = (dir as NSString).appendingPathComponent("tournament.sqlite")
        try Data().write(to: URL(fileURLWithPath: database))
        XCTAssertThrowsError(try Tournament.open(directory: dir)) { e in
            XCTAssertEqual("\(e)", "\(database) is empty: the tournament's games and entrants are lost")
        }
        try FileManager.default.removeItem(atPath: database)
        XCTAssertThrowsError(try Tournament.open(directory: dir)) { e in
            XCTAssertEqual("\(e)", "\(database) is missing: the tournament's games and entrants are lost")
        }
        var bad = TournamentConfig()
        bad.concurrency = 0
        XCTAssertThrowsError(try Tournament.create(dir + "-2", config: bad)) { e in
            XCTAssertTrue("\(e)".hasPrefix("concurrency must be"))
        }
    }

    /// A folder with only a tournament.json (as the shipped `Tournament/`) is a configuration to
    /// create a tournament from, not a tournament that lost its database.
    func testAPreparedConfigurationIsCreatedNotLost() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gonet-prepared-\(UUID().uuidString)")
            .path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try #"{"gamesPerPairing": 6, "komi": 6.5}"#.write(
            toFile: (dir as NSString).appendingPathComponent("tournament.json"), atomically: true, encoding: .utf8)
        XCTAssertTrue(Tournament.isPrepared(dir))
        XCTAssertThrowsError(try Tournament.open(directory: dir)) { e in
            XCTAssertEqual(
                "\(e)",
                "\(dir) holds a configuration but no tournament yet: create it with `gonet tournament init \(dir)`, which reads its tournament.json"
            )
        }
        let config = try TournamentConfig.load(dir)
        XCTAssertEqual(config.gamesPerPairing, 6)
        let t = try Tournament.create(dir, config: config)
        XCTAssertEqual(t.config.komi, 6.5)
        XCTAssertFalse(Tournament.isPrepared(dir))
        XCTAssertNoThrow(try Tournament.open(directory: dir))
        XCTAssertThrowsError(try Tournament.create(dir, config: config)) { e in
            XCTAssertEqual("\(e)", "\(dir) already holds a tournament")
        }
    }

    /// Errors read through `localizedDescription` keep their own message (Foundation's
    /// generic text used to replace it in forfeit reasons).
    func testErrorsKeepTheirMessageThroughLocalizedDescription() {
        let errors: [Error] = [
            TournamentError("komi must be a number"), RecordError(file: "f.sgf", line: 2, column: 3, message: "bad"),
            NetworkError(path: "n", reasons: ["a", "b"]),
        ]
        XCTAssertEqual(errors.map(\.localizedDescription), ["komi must be a number", "f.sgf:2:3: bad", "n: a; b"])
    }

    func testAHugeMarginIsWrittenNotTrapped() {
        XCTAssertEqual(GameResult.win(.white, .score(1e20)).description, "W+1e+20")
        XCTAssertEqual(Score(black: 0, white: 0, komi: 1e300).description, "W+1e+300")
    }
}
