import Foundation
import GoNetwork
import NeuralNet
import StoreContract
import TestSupport
import Tournament
import TournamentPostgres
import XCTest

final class PostgresTournamentTests: XCTestCase {
    var scratch: String!

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("gonet-pgt-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: scratch) }

    /// Two tiny networks (deterministic in policy mode), written to the scratch folder.
    func networks() throws -> [String] {
        try [1, 2].map { (seed: UInt64) in
            let net = FamilyNetwork(
                Architecture.Family(
                    trunk: .resnet, blocks: 1, filters: 8, policyHead: .conv, policyFilters: 2, valueHead: .pool,
                    valueFilters: 2, valueHidden: 4))
            net.initialize(seed: seed)
            let path = "\(scratch!)/net\(seed).safetensors"
            try net.save(path: path)
            return path
        }
    }

    func config(games: Int, moveCap: Int = 60) -> TournamentConfig {
        var c = TournamentConfig()
        c.gamesPerPairing = games
        c.moveCap = moveCap
        c.secondsPerMove = 20
        c.seed = 7
        return c
    }

    /// Three entrants that pass after `DELAY` seconds: games of two moves, about two seconds each.
    func slowEntrants(_ t: Tournament, names: [String] = ["a", "b", "c"]) throws {
        for n in names { try t.submit(engine: "\(engines)/slow.sh", name: n, author: nil) }
    }

    func worker(_ url: String, _ extra: [String] = [], output: LockedText? = nil) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: gonet)
        p.arguments = ["tournament", "worker", url, "--cache", "\(scratch!)/cache-\(UUID().uuidString)"] + extra
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        if let output {
            let pipe = Pipe()
            pipe.fileHandleForReading.readabilityHandler = { h in output.append(h.availableData) }
            p.standardOutput = pipe
        }
        try p.run()
        return p
    }

    /// A worker on its own thread; `done` is signalled when it returns, its result in `box`.
    func startWorker(_ t: Tournament, _ options: WorkerOptions) -> (DispatchSemaphore, ResultBox) {
        let done = DispatchSemaphore(value: 0)
        let box = ResultBox()
        Thread {
            box.result = Result { try t.work(gonet: gonet, options: options) }
            done.signal()
        }.start()
        return (done, box)
    }

    /// Every scheduled slot committed exactly once.
    func assertExactlyOnce(_ t: Tournament, games expected: Int, file: StaticString = #filePath, line: UInt = #line)
        throws
    {
        let games = try t.store.games()
        XCTAssertEqual(games.count, expected, file: file, line: line)
        XCTAssertEqual(Set(games.map(\.slot)).count, expected, "no slot twice", file: file, line: line)
        let s = try t.store.status()
        XCTAssertEqual(s.waiting + s.inFlight.count, 0, "nothing left", file: file, line: line)
    }

    func testAVersion1DatabaseGainsTheCourseTables() throws {
        let url = try PostgresServer.database()
        _ = try TournamentLocation.create(url, config: config(games: 3), cache: scratch)
        try PostgresServer.psql(url, "DROP TABLE student, submission, course; UPDATE gonet_schema SET version = 1")
        let t = try TournamentLocation.open(url, cache: scratch)
        XCTAssertEqual(try PostgresServer.psql(url, "SELECT version FROM gonet_schema"), "2")
        XCTAssertEqual(try t.store.students(), [])
        XCTAssertEqual(try t.store.courseSettings(), CourseSettings())
    }

    func testSchemaIsCreatedInAnEmptyDatabaseAndAnUnknownVersionIsRefused() throws {
        let url = try PostgresServer.database()
        XCTAssertThrowsError(try TournamentLocation.open(url, cache: scratch)) { e in
            XCTAssertTrue(
                "\(e)".hasSuffix("the database holds no tournament: run `gonet tournament init URL` first"), "\(e)")
        }
        let t = try TournamentLocation.create(url, config: config(games: 3), cache: scratch)
        XCTAssertEqual(t.config, config(games: 3))
        XCTAssertEqual(try PostgresServer.psql(url, "SELECT version FROM gonet_schema"), "2")
        XCTAssertThrowsError(try TournamentLocation.create(url, config: config(games: 3), cache: scratch)) { e in
            XCTAssertTrue("\(e)".hasSuffix("the database already holds a tournament"), "\(e)")
        }
        XCTAssertEqual(try TournamentLocation.open(url, cache: scratch).config.gamesPerPairing, 3)
        try PostgresServer.psql(url, "UPDATE gonet_schema SET version = 99")
        XCTAssertThrowsError(try TournamentLocation.open(url, cache: scratch)) { e in
            XCTAssertTrue(
                "\(e)".hasSuffix("the database holds gonet schema version 99; this gonet knows up to 2: update gonet"),
                "\(e)")
        }
    }

    func testNetworksAreStoredBySha256AndAChangedOneIsRefused() throws {
        let url = try PostgresServer.database()
        let t = try TournamentLocation.create(url, config: config(games: 1), cache: scratch)
        let nets = try networks()
        let e = try t.submit(network: nets[0], name: "alpha", author: "me")
        XCTAssertEqual(e.label, "alpha")
        XCTAssertNil(e.path)
        let again = try t.submit(network: nets[1], name: "alpha", author: "me")
        XCTAssertEqual(again.label, "alpha v2")
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: nets[0])))
        XCTAssertEqual(try t.store.network(sha256: e.sha256!), bytes)
        // A cached copy that was changed is fetched again; bytes in the database that do not
        // match their sha256 are refused.
        let cached = try t.networkFile(for: e)
        XCTAssertEqual([UInt8](try Data(contentsOf: URL(fileURLWithPath: cached))), bytes)
        try PostgresServer.psql(url, "UPDATE network SET bytes = 'x'::bytea WHERE sha256 = '\(again.sha256!)'")
        XCTAssertThrowsError(try t.store.network(sha256: again.sha256!)) { e in
            XCTAssertTrue("\(e)".hasSuffix("does not match its sha256; refused"), "\(e)")
        }
    }

    func testThreeWorkersFinishATournamentWithTheResultsOfTheSameTournamentOnSQLite() throws {
        let nets = try networks()
        let c = config(games: 2)
        let sqlite = try Tournament.create("\(scratch!)/sqlite", config: c)
        let url = try PostgresServer.database()
        let pg = try TournamentLocation.create(url, config: c, cache: scratch)
        for t in [sqlite, pg] {
            try t.submit(network: nets[0], name: "alpha", author: nil)
            try t.submit(network: nets[1], name: "beta", author: nil)
            try t.submit(engine: "\(engines)/fixed.sh D4 Q16 D16 Q4", name: "fixed", author: nil)
        }
        try sqlite.run(gonet: gonet, concurrency: 2)
        let workers = try (0..<3).map { _ in try worker(url, ["--until-empty"]) }
        for w in workers { w.waitUntilExit() }
        XCTAssertEqual(workers.map(\.terminationStatus), [0, 0, 0])
        try assertExactlyOnce(pg, games: 6)
        let played = Set(try pg.store.games().compactMap(\.worker))
        XCTAssertGreaterThan(played.count, 1, "the games were shared")
        func results(_ t: Tournament) throws -> [String: String] {
            Dictionary(uniqueKeysWithValues: try t.store.games().map { ($0.slot, "\($0.result) \($0.moves)") })
        }
        XCTAssertEqual(try results(pg), try results(sqlite))
        XCTAssertEqual(
            Standings(entrants: try pg.store.entrants(), games: try pg.store.games()).text,
            Standings(entrants: try sqlite.store.entrants(), games: try sqlite.store.games()).text)
        let record = try XCTUnwrap(try pg.store.record(of: pg.store.games()[0]))
        XCTAssertTrue(record.hasPrefix("(;"), record)
    }

    func testAWorkerKilledInMidGameLosesItsGameAndTheOthersPlayItOnce() throws {
        let url = try PostgresServer.database()
        let t = try TournamentLocation.create(url, config: config(games: 4), cache: scratch)
        try slowEntrants(t)
        let victim = try worker(url, ["--name", "victim", "--lease", "3"])
        let deadline = Date().addingTimeInterval(60)
        while try t.store.status().inFlight.first(where: { $0.worker == "victim" }) == nil, Date() < deadline {
            usleep(50_000)
        }
        XCTAssertNotNil(try t.store.status().inFlight.first { $0.worker == "victim" }, "the victim holds a game")
        kill(victim.processIdentifier, SIGKILL)
        victim.waitUntilExit()
        let others = try (0..<2).map { _ in try worker(url, ["--until-empty", "--lease", "3"]) }
        for w in others { w.waitUntilExit() }
        try assertExactlyOnce(t, games: 12)
    }

    /// The rules both stores keep, by the same calls as on SQLite (StoreContractTests).
    func testPostgreSQLKeepsTheStoreContract() throws {
        let url = try PostgresServer.database()
        let t = try TournamentLocation.create(url, config: TournamentConfig(), cache: scratch)
        XCTAssertEqual(try StoreContract.violations(of: t.store), [])
    }

    func testALeaseThatRunsOutGoesToAnotherWorkerAndTheFirstCannotCommit() throws {
        let url = try PostgresServer.database()
        let t = try TournamentLocation.create(url, config: config(games: 1), cache: scratch)
        try slowEntrants(t, names: ["a", "b"])
        var far = WorkerIdentity(name: "far")
        far.host = "another-machine"
        let first = try XCTUnwrap(try t.store.claim(by: far, lease: 1, skipping: []))
        XCTAssertNil(try t.store.claim(by: WorkerIdentity(name: "near"), lease: 60, skipping: []), "held")
        // The slot comes free when the one-second lease runs out, however slow the machine is.
        var taken = try t.store.claim(by: WorkerIdentity(name: "near"), lease: 60, skipping: [])
        let deadline = Date().addingTimeInterval(30)
        while taken == nil, Date() < deadline {
            usleep(50_000)
            taken = try t.store.claim(by: WorkerIdentity(name: "near"), lease: 60, skipping: [])
        }
        let second = try XCTUnwrap(taken, "the expired lease's slot is claimed anew")
        XCTAssertEqual(second.slot, first.slot)
        XCTAssertFalse(try t.store.renew(first, lease: 60))
        let row = GameRow(
            slot: first.slot.key, black: first.slot.black, white: first.slot.white, result: "B+R", winner: "B",
            reason: "test", moves: 0, sgf: "x.sgf", seconds: 0)
        XCTAssertFalse(try t.store.commit(row, record: "(;)", for: first), "the first worker lost its lease")
        XCTAssertTrue(try t.store.commit(row, record: "(;)", for: second))
        XCTAssertFalse(try t.store.commit(row, record: "(;)", for: second), "a claim commits once")
        try assertExactlyOnce(t, games: 1)
        XCTAssertEqual(try t.store.status().workers.first { $0.name == "near" }?.games, 1)
    }

    func testAWorkerWhoseConnectionsAreCutGoesOnAndCountsEveryGameOnce() throws {
        let url = try PostgresServer.database()
        let t = try TournamentLocation.create(url, config: config(games: 4), cache: scratch)
        try slowEntrants(t)
        var options = WorkerOptions(identity: WorkerIdentity(name: "cut"), gamesAtOnce: 2)
        options.lease = 5
        options.poll = 0.2
        let (done, box) = startWorker(t, options)
        // Cut every connection of the worker's database, again and again, while it plays.
        var cuts = 0
        while done.wait(timeout: .now() + 1.5) == .timedOut {
            let database = try PostgresLocation(url: url).database
            try PostgresServer.psql(
                url.replacingOccurrences(of: "/\(database)?", with: "/gonet?"),
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '\(database)'")
            cuts += 1
        }
        XCTAssertGreaterThan(cuts, 2)
        _ = try XCTUnwrap(box.result).get()
        try assertExactlyOnce(t, games: 12)
    }

    func testASubmissionDuringARunIsScheduledAndPlayed() throws {
        let url = try PostgresServer.database()
        let t = try TournamentLocation.create(url, config: config(games: 2), cache: scratch)
        try slowEntrants(t, names: ["a", "b"])
        var options = WorkerOptions(identity: WorkerIdentity(name: "waiting"), gamesAtOnce: 2)
        options.wait = true
        options.poll = 0.2
        let (done, box) = startWorker(t, options)
        let deadline = Date().addingTimeInterval(120)
        while try t.store.status().done < 1, Date() < deadline { usleep(100_000) }
        // A second process submits while the worker runs.
        let other = try TournamentLocation.open(url, cache: scratch)
        try other.submit(engine: "\(engines)/slow.sh", name: "late", author: nil)
        while try t.store.status().done < 6, Date() < deadline { usleep(100_000) }
        options.stop.request()
        done.wait()
        XCTAssertEqual(try XCTUnwrap(box.result).get().count, 6)
        try assertExactlyOnce(t, games: 6)
    }

    func testAnEngineMissingOnOneWorkerIsGivenBackNotForfeited() throws {
        let url = try PostgresServer.database()
        let t = try TournamentLocation.create(url, config: config(games: 2), cache: scratch)
        try slowEntrants(t, names: ["a", "b"])
        let program = "\(scratch!)/only-here.sh"
        try FileManager.default.copyItem(atPath: "\(engines)/slow.sh", toPath: program)
        try t.submit(engine: program, name: "rare", author: nil)
        try FileManager.default.moveItem(atPath: program, toPath: program + ".away")
        var options = WorkerOptions(identity: WorkerIdentity(name: "lacking"), gamesAtOnce: 2)
        options.poll = 0.2
        let collected = Collected<String>()
        let played = try t.work(gonet: gonet, options: options) { e in
            if case .gaveBack(_, let reason) = e { collected.append(reason) }
        }
        let gaveBack = collected.all
        XCTAssertEqual(played.count, 2, "a against b, both games")
        XCTAssertFalse(gaveBack.isEmpty)
        XCTAssertTrue(gaveBack[0].hasPrefix("\(program) (rare) is not installed on "), gaveBack[0])
        let status = try t.store.status()
        XCTAssertEqual(status.waiting, 4, "rare's games wait for a worker that has it")
        XCTAssertTrue(status.givenBack.allSatisfy { $0.reason.contains("is not installed") })
        XCTAssertTrue(try t.store.games().allSatisfy { !$0.result.contains("F") }, "no forfeit")
        try FileManager.default.moveItem(atPath: program + ".away", toPath: program)
        try t.work(gonet: gonet, options: WorkerOptions(identity: WorkerIdentity(name: "having"), gamesAtOnce: 2))
        try assertExactlyOnce(t, games: 6)
    }
}

extension PostgresTournamentTests {
    func testAMatchInPostgreSQLIsPlayedByWorkersAndEndsEverywhereWhenTheSPRTDecides() throws {
        let url = try PostgresServer.database()
        // A plays two stones and wins every game; H1 at 400 Elo is accepted after five wins.
        var s = MatchSettings(a: "\(engines)/fixed.sh D4 Q16", b: "\(engines)/fixed.sh")
        s.games = 200
        s.openingMoves = 0
        s.secondsPerMove = 5
        s.sprt = SPRT(elo0: 0, elo1: 400)
        // Another machine's worker, started before the match exists, waits for it and joins.
        let said = LockedText()
        let helper = try worker(url, ["--wait", "--name", "helper"], output: said)
        XCTAssertTrue(said.wait(for: "waiting for a tournament at "), said.text)
        XCTAssertTrue(helper.isRunning, "a waiting worker waits for the tournament to be created")
        let match = try TournamentLocation.match(url, settings: s, cache: scratch + "/here")
        let all = try match.run(gonet: gonet, concurrency: 1)
        // The SPRT ended the match for both: nothing is left for the helper, stopped as systemd would.
        helper.terminate()
        helper.waitUntilExit()
        XCTAssertEqual(helper.terminationStatus, 0)
        let games = try match.results()
        XCTAssertEqual(games.count, try match.tournament.store.games().count)
        XCTAssertTrue(
            (5...7).contains(games.count), "decided after 5 wins, at most one game each in flight: \(games.count)")
        XCTAssertTrue(games.allSatisfy { $0.outcome == .win })
        XCTAssertGreaterThanOrEqual(all.count, 5)
        XCTAssertEqual(try match.tournament.sprtDecision(), .acceptH1)
        XCTAssertEqual(try match.tournament.store.status().waiting, 0)
        XCTAssertTrue(match.report(games).contains { $0.contains("H1 accepted") })
        // Resumed from another machine: the same match, nothing left to play; another match is refused.
        let again = try TournamentLocation.match(url, settings: s, cache: scratch + "/there")
        XCTAssertEqual(try again.run(gonet: gonet, concurrency: 1).count, games.count)
        let summary = try TournamentLocation.match(url, settings: s, cache: scratch + "/there", creating: false)
        XCTAssertEqual(try summary.results(), games)
        var other = s
        other.komi = 0.5
        XCTAssertThrowsError(try TournamentLocation.match(url, settings: other, cache: scratch)) { e in
            XCTAssertTrue("\(e)".contains("holds another match"), "\(e)")
        }
    }

    func testSIGTERMGivesTheGamesInFlightBackAtOnce() throws {
        let url = try PostgresServer.database()
        let t = try TournamentLocation.create(url, config: config(games: 2), cache: scratch)
        try slowEntrants(t, names: ["a", "b"])
        let w = try worker(url, ["--name", "stopped", "--lease", "600"])
        let deadline = Date().addingTimeInterval(60)
        while try t.store.status().inFlight.isEmpty, Date() < deadline { usleep(50_000) }
        let held = try XCTUnwrap(try t.store.status().inFlight.first)
        kill(w.processIdentifier, SIGTERM)
        w.waitUntilExit()
        XCTAssertEqual(w.terminationStatus, 0)
        let s = try t.store.status()
        XCTAssertTrue(s.inFlight.isEmpty, "no claim left to wait 600 s for")
        XCTAssertEqual(
            s.givenBack.first { $0.slot == held.slot }?.reason, "stopped: the worker was stopped")
        try t.work(gonet: gonet, options: WorkerOptions(identity: WorkerIdentity(name: "next"), gamesAtOnce: 2))
        try assertExactlyOnce(t, games: 2)
    }

    func testTLSIsUsedAsLibpqsSSLModesSay() throws {
        let url = try PostgresServer.database()
        let database = try PostgresLocation(url: url).database
        let required = url.replacingOccurrences(of: "sslmode=disable", with: "sslmode=require")
        let t = try TournamentLocation.create(required, config: config(games: 1), cache: scratch)
        XCTAssertEqual(try t.store.entrants().count, 0)
        XCTAssertEqual(
            try PostgresServer.psql(
                url,
                "SELECT bool_or(ssl) FROM pg_stat_ssl JOIN pg_stat_activity USING (pid) WHERE datname = '\(database)'"),
            "t", "the store's connections are encrypted")
        let ownCA = "\(PostgresServer.directory)/server.crt"
        let verified = url.replacingOccurrences(
            of: "sslmode=disable", with: "sslmode=verify-full&sslrootcert=\(ownCA)")
        XCTAssertEqual(try TournamentLocation.open(verified, cache: scratch).config.gamesPerPairing, 1)
        let otherCA = "\(scratch!)/other.crt"
        try PostgresServer.run(
            "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 -keyout '\(scratch!)/other.key' -out '\(otherCA)' 2>/dev/null"
        )
        let wrong = url.replacingOccurrences(of: "sslmode=disable", with: "sslmode=verify-full&sslrootcert=\(otherCA)")
        XCTAssertThrowsError(try TournamentLocation.open(wrong, cache: scratch), "a server the CA did not sign") { e in
            XCTAssertTrue("\(e)".contains(": connecting: "), "\(e)")
            XCTAssertFalse("\(e)".contains("no answer"), "the certificate's error, at once: \(e)")
        }
        // Nothing listens on port 1: the error says so at once.
        XCTAssertThrowsError(try TournamentLocation.open("postgres://gonet@127.0.0.1:1/x?sslmode=disable")) { e in
            XCTAssertTrue("\(e)".hasPrefix("gonet@127.0.0.1:1/x: connecting: "), "\(e)")
        }
    }

    func testTheWorkerRoleOfTheREADMEPlaysButCannotChangeEntrantsOrResults() throws {
        let url = try PostgresServer.database()
        let t = try TournamentLocation.create(url, config: config(games: 2), cache: scratch)
        try slowEntrants(t, names: ["a", "b"])
        let sql = try String(contentsOfFile: repository + "/docs/postgres-worker-role.sql", encoding: .utf8)
        // Roles belong to the cluster, which is this test process's own.
        try PostgresServer.psql(url, sql)
        let workerURL = url.replacingOccurrences(of: "gonet@", with: "gonet_worker@")
        let w = try worker(workerURL, ["--until-empty"])
        w.waitUntilExit()
        XCTAssertEqual(w.terminationStatus, 0)
        try assertExactlyOnce(t, games: 2)
        for forbidden in [
            "UPDATE entrant SET name = 'x'", "DELETE FROM game", "UPDATE game SET winner = 'W'",
            "INSERT INTO entrant (name, version, kind) VALUES ('x', 9, 'engine')", "UPDATE config SET json = '{}'",
            "DELETE FROM network",
        ] {
            XCTAssertThrowsError(try PostgresServer.psql(workerURL, forbidden), forbidden)
        }
        XCTAssertEqual(try PostgresServer.psql(url, "SELECT count(*) FROM game"), "2")
    }
}

final class ResultBox: @unchecked Sendable {  // Set by one thread before the test joins it.
    var result: Result<[GameRow], Error>?
}
