import Foundation
import GoNetwork
import GoRecords
import NeuralNet
import TestSupport
import Tournament
import XCTest

let engines = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Engines").path

/// The built `gonet` executable (networks play as `gonet gtp` subprocesses).
let gonet = TestPaths.gonet.path

final class TournamentRunTests: XCTestCase {
    var dir: String!
    var nets: [String] = []

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("gonet-tour-\(UUID().uuidString)").path
        nets = []
        for seed in [1, 2] as [UInt64] {
            let net = FamilyNetwork(
                Architecture.Family(
                    trunk: .resnet, blocks: 1, filters: 8, policyHead: .conv, policyFilters: 2, valueHead: .pool,
                    valueFilters: 2, valueHidden: 4))
            net.initialize(seed: seed)
            let path = FileManager.default.temporaryDirectory.appendingPathComponent(
                "gonet-tiny-\(seed)-\(UUID().uuidString).safetensors"
            ).path
            try net.save(path: path)
            nets.append(path)
        }
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: dir)
        for n in nets { try? FileManager.default.removeItem(atPath: n) }
    }

    func config(games: Int = 1, seconds: Double = 10) -> TournamentConfig {
        var c = TournamentConfig()
        c.gamesPerPairing = games
        c.secondsPerMove = seconds
        c.moveCap = 120
        c.concurrency = 2
        return c
    }

    func testTwoNetworksAndGnuGoPlayToCompletion() throws {
        guard let gnugo = TestPaths.gnugo else { throw XCTSkip("GNU Go is not installed") }
        let t = try Tournament.create(dir, config: config(games: 2))
        try t.submit(network: nets[0], name: "alpha", author: "test")
        try t.submit(network: nets[1], name: "beta", author: nil)
        try t.submit(engine: "\(gnugo) --mode gtp --level 1", name: "gnugo", author: nil)
        let played = try t.run(gonet: gonet)
        XCTAssertEqual(played.count, 6)
        let games = try t.store.games()
        XCTAssertEqual(games.count, 6)
        XCTAssertEqual(Set(games.map(\.slot)).count, 6)
        for g in games {
            let record = try SGFReader.records(
                text: try String(contentsOfFile: (dir as NSString).appendingPathComponent(g.sgf), encoding: .utf8))[0]
            XCTAssertEqual(record.result.description, g.result)
            XCTAssertTrue(
                g.reason.hasPrefix("two passes") || g.reason.hasPrefix("move cap") || g.reason.contains("resigns"),
                g.reason)
            XCTAssertEqual(record.moves.count, g.moves)
        }
        let s = Standings(entrants: try t.store.current(), games: games)
        XCTAssertEqual(s.ratings.reduce(0) { $0 + $1.games }, 12)
        XCTAssertEqual(s.ratings.map(\.elo).reduce(0, +), 0, accuracy: 1e-6)
        // Each pairing: colours alternate.
        let byPair = Dictionary(grouping: games) { Set([$0.black, $0.white]) }
        for (_, pair) in byPair { XCTAssertEqual(Set(pair.map(\.black)).count, 2) }
        XCTAssertEqual(try t.run(gonet: gonet).count, 0, "nothing left to play")
        let html = HTMLReport.html(
            title: "t", config: t.config, entrants: try t.store.entrants(), games: games,
            record: { try? t.store.record(of: $0) })
        XCTAssertTrue(html.contains("<h2>Standings</h2>") && html.contains("const SGFS = [") && html.contains("<svg"))
    }

    /// `"networkMode": "mcts", "visits": null`: networks search for the time a move allows and
    /// answer inside the referee's limit.
    func testNetworksSearchingByTimeAnswerWithinTheMoveLimit() throws {
        var c = config(games: 2, seconds: 1)
        c.networkMode = .mcts
        c.visits = nil
        c.moveCap = 8
        let t = try Tournament.create(dir, config: c)
        XCTAssertNil(try TournamentConfig.load(dir).visits, "null survives the round trip through tournament.json")
        let a = try t.submit(network: nets[0], name: "a", author: nil)
        try t.submit(network: nets[1], name: "b", author: nil)
        let command = try t.command(for: a, gonet: gonet)
        XCTAssertEqual(Array(command.suffix(2)), ["--seconds-per-move", "0.8"])
        XCTAssertFalse(command.contains("--visits"), "a search by time has no visit cap")
        let played = try t.run(gonet: gonet)
        XCTAssertEqual(played.count, 2)
        for g in played {
            XCTAssertEqual(g.moves, c.randomOpeningMoves + 8, "the referee's opening, then 8 moves")
            XCTAssertTrue(g.reason.hasPrefix("move cap"), g.reason)
            // Eight moves of about 0.8 s each, none over the limit.
            XCTAssertGreaterThan(g.seconds, 8 * 0.5)
        }
    }

    /// A gauntlet schedules nothing until its reference is submitted, whatever the order.
    /// The teacher's pause: `run` starts no game while it lasts, a withdrawn version plays no
    /// more, and after the resume the games left are played.
    func testPausedPlayStartsNoGameAndAWithdrawnVersionPlaysNoMore() throws {
        let t = try Tournament.create(dir, config: config(games: 1))
        try t.submit(network: nets[0], name: "alpha", author: nil)
        try t.submit(network: nets[1], name: "beta", author: nil)
        let gamma = try t.submit(network: nets[0], name: "gamma", author: nil)
        var settings = try t.store.courseSettings()
        settings.paused = true
        try t.store.setCourseSettings(settings)
        XCTAssertEqual(try t.run(gonet: gonet).count, 0)
        XCTAssertEqual(try t.store.status().waiting, 3)
        try t.setWithdrawn(gamma.id!, true)
        XCTAssertEqual(try t.store.status().waiting, 1, "gamma's unplayed games are dropped")
        settings = try t.store.courseSettings()
        settings.paused = false
        try t.store.setCourseSettings(settings)
        let played = try t.run(gonet: gonet)
        XCTAssertEqual(played.count, 1)
        XCTAssertEqual(Set([played[0].black, played[0].white]).count, 2)
        XCTAssertFalse([played[0].black, played[0].white].contains(gamma.id!))
    }

    func testAGauntletWaitsForItsReference() throws {
        var c = config(games: 2)
        c.schedule = "gauntlet"
        c.reference = "ref"
        let t = try Tournament.create(dir, config: c)
        try t.submit(network: nets[0], name: "a", author: nil)
        try t.submit(engine: "\(engines)/fixed.sh", name: "b", author: nil)
        XCTAssertEqual(try t.store.status().waiting, 0)
        XCTAssertThrowsError(try t.run(gonet: gonet)) { e in
            XCTAssertEqual("\(e)", "a gauntlet needs \"reference\" naming an entrant")
        }
        try t.submit(network: nets[1], name: "ref", author: nil)
        XCTAssertEqual(try t.store.status().waiting, 4, "ref against a and b, two games each")
    }

    func testFaultyEnginesForfeitWithoutStoppingTheRun() throws {
        let t = try Tournament.create(dir, config: config(games: 1, seconds: 1))
        try t.submit(network: nets[0], name: "net", author: nil)
        // Registration only checks that an engine answers protocol_version: all three pass it.
        try t.submit(engine: "\(engines)/crasher.sh", name: "crasher", author: nil)
        try t.submit(engine: "\(engines)/illegal.sh", name: "illegal", author: nil)
        try t.submit(engine: "\(engines)/silent.sh", name: "silent", author: nil)
        XCTAssertThrowsError(try t.submit(engine: "/nonexistent/engine", name: "ghost", author: nil)) { e in
            XCTAssertTrue("\(e)".hasPrefix("engine \"/nonexistent/engine\" is refused: cannot start"), "\(e)")
        }
        let played = try t.run(gonet: gonet)
        XCTAssertEqual(played.count, 6, "every pairing was played")
        let entrants = try t.store.current()
        func id(_ n: String) -> Int64 { entrants.first { $0.name == n }!.id! }
        for g in try t.store.games() {
            let names = [g.black, g.white].map { id in entrants.first { $0.id == id }!.name }
            if names.contains("net") {
                // The network wins every game against a faulty engine, by forfeit or on time.
                let netColor = g.black == id("net") ? "B" : "W"
                XCTAssertEqual(g.winner, netColor, "\(names): \(g.result) \(g.reason)")
            }
            if names.contains("crasher") && names.contains("net") {
                XCTAssertTrue(g.reason.contains("crashed"), g.reason)
            }
            if names.contains("illegal") && names.contains("net") {
                XCTAssertTrue(g.reason.contains("illegal move K10"), g.reason)
            }
            if names.contains("silent") && names.contains("net") {
                XCTAssertTrue(g.reason.contains("no move within 1.0 s"), g.reason)
                XCTAssertTrue(g.result.hasSuffix("+T"), g.result)
            }
        }
    }

    func testSubmissionChecksRejectBadFilesWithEveryReason() throws {
        var c = config()
        c.parameterBudget = 1000
        let t = try Tournament.create(dir, config: c)
        XCTAssertThrowsError(try t.submit(network: nets[0], name: "big", author: nil)) { e in
            XCTAssertEqual(
                "\(e)", "\(nets[0]) is refused: parameter budget: 1,695 parameters exceed the budget of 1,000")
        }
        // A file with several problems at once.
        var file = try SafeTensors.read(path: nets[0])
        file.metadata["features"] = "planes17"
        file.entries["value.fc2.bias"] = nil
        var w = file.tensor("stem.conv.weight")!
        w.data[3] = .infinity
        file.set("stem.conv.weight", w)
        let bad = (dir as NSString).appendingPathComponent("bad.safetensors")
        try file.write(path: bad)
        XCTAssertThrowsError(try t.submit(network: bad, name: "bad", author: nil)) { e in
            let m = "\(e)"
            XCTAssertTrue(m.contains("unknown features \"planes17\""), m)
            XCTAssertTrue(m.contains("missing tensor value.fc2.bias"), m)
            XCTAssertTrue(m.contains("tensor stem.conv.weight has a non-finite value"), m)
        }
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: bad))
        XCTAssertThrowsError(try t.submit(network: bad, name: "bad", author: nil)) { e in
            XCTAssertTrue("\(e)".contains("too short for a safetensors file"), "\(e)")
        }
        XCTAssertThrowsError(try t.submit(network: nets[0], name: "bad name!", author: nil))
        XCTAssertEqual(try t.store.entrants().count, 0, "nothing was registered")
        // A name submitted again is a new version.
        c.parameterBudget = 100_000
        try c.save(dir)
        let t2 = try Tournament.open(directory: dir)
        XCTAssertEqual(try t2.submit(network: nets[0], name: "x", author: nil).version, 1)
        XCTAssertEqual(try t2.submit(network: nets[1], name: "x", author: nil).label, "x v2")
        XCTAssertEqual(try t2.store.current().map(\.label), ["x v2"])
    }

    func testKillNineThenRunAgainKeepsEveryGameExactlyOnce() throws {
        // Enough games that the run cannot finish between two looks at the database (20 ms apart).
        let t = try Tournament.create(dir, config: config(games: 8, seconds: 10))
        try t.submit(network: nets[0], name: "a", author: nil)
        try t.submit(network: nets[1], name: "b", author: nil)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: gonet)
        p.arguments = ["tournament", "run", dir, "--concurrency", "1"]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        // Wait for the first game to be committed, then kill the runner outright.
        let deadline = Date().addingTimeInterval(120)
        while try SQLiteStore(directory: dir).games().isEmpty
            && Date() < deadline
        {
            usleep(20_000)
        }
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        let before = try t.store.games()
        XCTAssertGreaterThanOrEqual(before.count, 1)
        XCTAssertLessThan(before.count, 8)
        let again = try Tournament.open(directory: dir)
        try again.run(gonet: gonet)
        let after = try again.store.games()
        XCTAssertEqual(after.count, 8)
        XCTAssertEqual(Set(after.map(\.slot)).count, 8, "no slot twice")
        XCTAssertEqual(
            Array(after.prefix(before.count)), before, "the games from before the kill are kept as they were")
    }
}
