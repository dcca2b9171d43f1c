import Engine
import Foundation
import GoNetwork
import GoRules
import XCTest

/// KataGo's JSON analysis protocol (`gonet analysis`), in process: the examples of KataGo's
/// documentation, perspectives, actions, and malformed and hostile queries.
final class AnalysisEngineTests: XCTestCase {
    /// Answers collected from the engine's output, parsed.
    final class Answers: @unchecked Sendable {  // Every access holds `lock`.
        private let lock = NSCondition()
        private var lines: [[String: Any]] = []
        func add(_ line: String) {
            let object = try! JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            lock.lock()
            lines.append(object)
            lock.broadcast()
            lock.unlock()
        }
        var all: [[String: Any]] {
            lock.lock()
            defer { lock.unlock() }
            return lines
        }
        /// Waits up to 60 s for an answer matching `match`.
        func wait(_ match: ([String: Any]) -> Bool) -> [String: Any]? {
            let deadline = Date().addingTimeInterval(60)
            lock.lock()
            defer { lock.unlock() }
            while true {
                if let found = lines.first(where: match) { return found }
                if !lock.wait(until: deadline) { return nil }
            }
        }
    }

    func engine(_ answers: Answers, mode: PlayMode = .policy, workers: Int = 1, visits: Int = 16) -> AnalysisEngine {
        var settings = PlayerSettings()
        settings.mode = mode
        settings.search.visits = visits
        settings.search.batchSize = 4
        // One orientation: the scripted policy stays on its points instead of spreading over their images.
        settings.symmetries = false
        let ws = (0..<workers).map { _ -> AnalysisEngine.Worker in
            let net = scriptedNetwork([Point(x: 15, y: 3).index(): 3, Point(x: 3, y: 15).index(): 2])
            return AnalysisEngine.Worker(player: try! settings.player(network: net), network: net)
        }
        let e = AnalysisEngine(workers: ws, version: "9.9.9") { answers.add($0) }
        e.ownershipPlayouts = 16
        return e
    }

    /// Sends each line and waits for the engine to answer everything.
    func run(_ lines: [String], mode: PlayMode = .policy, workers: Int = 1) -> [[String: Any]] {
        let answers = Answers()
        let e = engine(answers, mode: mode, workers: workers)
        for l in lines { e.handle(Data(l.utf8)) }
        e.finish()
        return answers.all
    }

    static let example =
        #"{"id":"foo","initialStones":[["B","Q4"],["B","C4"]],"moves":[["W","P5"],["B","P6"]],"rules":"tromp-taylor","komi":7.5,"boardXSize":19,"boardYSize":19,"analyzeTurns":[0,1,2]}"#

    func testKataGosExampleGivesOneResultPerTurn() throws {
        for mode in [PlayMode.policy, .mcts] {
            let answers = run([Self.example], mode: mode, workers: 2)
            XCTAssertEqual(answers.count, 3, "\(mode)")
            XCTAssertEqual(Set(answers.compactMap { $0["turnNumber"] as? Int }), [0, 1, 2])
            for a in answers {
                XCTAssertEqual(a["id"] as? String, "foo")
                XCTAssertEqual(a["isDuringSearch"] as? Bool, false)
                let infos = try XCTUnwrap(a["moveInfos"] as? [[String: Any]])
                XCTAssertFalse(infos.isEmpty)
                XCTAssertEqual(infos.map { $0["order"] as? Int }, Array(0..<infos.count))
                for info in infos {
                    for key in ["move", "visits", "winrate", "scoreLead", "prior", "pv"] {
                        XCTAssertNotNil(info[key], "\(key) in \(info)")
                    }
                    XCTAssertEqual((info["pv"] as? [String])?.first, info["move"] as? String)
                }
                let root = try XCTUnwrap(a["rootInfo"] as? [String: Any])
                XCTAssertNotNil(root["winrate"] as? Double)
                XCTAssertNotNil(root["scoreLead"] as? Double)
                XCTAssertNotNil(root["visits"] as? Int)
            }
            // Turn 0 is White's (the first move's player), turn 2 White's again.
            let turn0 = try XCTUnwrap(answers.first { $0["turnNumber"] as? Int == 0 })
            XCTAssertEqual((turn0["rootInfo"] as? [String: Any])?["currentPlayer"] as? String, "W")
        }
    }

    func testThePolicyPlayersFavouriteLeadsAndPriorsAreTheNetworks() throws {
        let q =
            #"{"id":"p","moves":[],"rules":"chinese","komi":7.5,"boardXSize":19,"boardYSize":19,"includePolicy":true}"#
        let a = try XCTUnwrap(run([q]).first)
        let infos = try XCTUnwrap(a["moveInfos"] as? [[String: Any]])
        XCTAssertEqual(infos.first?["move"] as? String, "Q16")
        XCTAssertEqual(infos.dropFirst().first?["move"] as? String, "D4")
        let policy = try XCTUnwrap(a["policy"] as? [Double])
        XCTAssertEqual(policy.count, 362)
        XCTAssertEqual(policy.reduce(0, +), 1, accuracy: 1e-4)
        // Row-major from A19: Q16 is row 3 (from the top), column 15.
        XCTAssertEqual(policy[3 * 19 + 15], infos[0]["prior"] as! Double, accuracy: 1e-6)
    }

    func testPerspectivesTurnWinRatesLeadsAndOwnership() throws {
        func query(_ as: String) -> String {
            #"{"id":"\#(`as`)","moves":[["B","D4"],["W","Q16"],["B","Q4"]],"rules":"japanese","komi":6.5,"boardXSize":19,"boardYSize":19,"includeOwnership":true,"overrideSettings":{"reportAnalysisWinratesAs":"\#(`as`)"}}"#
        }
        let answers = run([query("BLACK"), query("WHITE"), query("SIDETOMOVE")])
        func root(_ id: String) throws -> [String: Any] {
            try XCTUnwrap(answers.first { $0["id"] as? String == id }?["rootInfo"] as? [String: Any])
        }
        func ownership(_ id: String) throws -> [Double] {
            try XCTUnwrap(answers.first { $0["id"] as? String == id }?["ownership"] as? [Double])
        }
        let black = try root("BLACK")
        let white = try root("WHITE")
        let side = try root("SIDETOMOVE")
        XCTAssertEqual((black["winrate"] as! Double) + (white["winrate"] as! Double), 1, accuracy: 1e-9)
        XCTAssertEqual((black["scoreLead"] as! Double), -(white["scoreLead"] as! Double), accuracy: 1e-9)
        // White is to move: the side to move's view is White's.
        XCTAssertEqual(side["winrate"] as! Double, white["winrate"] as! Double, accuracy: 1e-9)
        let b = try ownership("BLACK")
        let w = try ownership("WHITE")
        let s = try ownership("SIDETOMOVE")
        XCTAssertEqual(b.count, 361)
        XCTAssertEqual(zip(b, w).map { $0 + $1 }.map(abs).max()!, 0, accuracy: 1e-12)
        XCTAssertEqual(s, w)
        // D4 (Black's stone, row 15 from the top, column 3) leans Black's way.
        XCTAssertGreaterThan(b[15 * 19 + 3], 0)
    }

    func testScoreLeadIsTheWinRateInPoints() {
        XCTAssertEqual(ScoreLead.points(winrate: 0.5), 0)
        XCTAssertEqual(ScoreLead.points(winrate: 0.75), ScoreLead.pointsPerLogit * log(3), accuracy: 1e-9)
        XCTAssertEqual(ScoreLead.points(winrate: 0.25), -ScoreLead.points(winrate: 0.75), accuracy: 1e-9)
        XCTAssertEqual(ScoreLead.points(winrate: 1), ScoreLead.pointsPerLogit * log(999), accuracy: 1e-9)
        XCTAssertEqual(ScoreLead.points(winrate: .nan), 0)
    }

    func testAvoidMovesAndAllowMovesBindTheRoot() throws {
        let base =
            #""moves":[],"rules":"chinese","komi":7.5,"boardXSize":19,"boardYSize":19"#
        let answers = run([
            #"{"id":"avoid",\#(base),"avoidMoves":[{"player":"B","moves":["Q16","D4"],"untilDepth":1}]}"#,
            #"{"id":"allow",\#(base),"allowMoves":[{"player":"B","moves":["K10"],"untilDepth":1}]}"#,
        ])
        let avoid = try XCTUnwrap(answers.first { $0["id"] as? String == "avoid" }?["moveInfos"] as? [[String: Any]])
        XCTAssertFalse(avoid.contains { ["Q16", "D4"].contains($0["move"] as? String) })
        let allow = try XCTUnwrap(answers.first { $0["id"] as? String == "allow" }?["moveInfos"] as? [[String: Any]])
        XCTAssertEqual(Set(allow.compactMap { $0["move"] as? String }).subtracting(["pass"]), ["K10"])
    }

    func testActionsAnswerAsKataGoDoes() throws {
        let answers = run([
            #"{"id":"v","action":"query_version"}"#, #"{"id":"c","action":"clear_cache"}"#,
            #"{"id":"m","action":"query_models"}"#, #"{"id":"x","action":"explode"}"#,
            #"{"id":"t","action":"terminate"}"#,
        ])
        let version = try XCTUnwrap(answers.first { $0["id"] as? String == "v" })
        XCTAssertEqual(version["version"] as? String, "9.9.9")
        XCTAssertEqual(version["action"] as? String, "query_version")
        XCTAssertEqual(answers.first { $0["id"] as? String == "c" }?["action"] as? String, "clear_cache")
        XCTAssertEqual((answers.first { $0["id"] as? String == "m" }?["models"] as? [Any])?.count, 1)
        XCTAssertEqual(answers.first { $0["id"] as? String == "x" }?["error"] as? String, "Unknown action: explode")
        XCTAssertEqual(answers.first { $0["id"] as? String == "t" }?["field"] as? String, "terminateId")
    }

    /// Each malformed or hostile query gets one error naming its field; nothing traps, and a good
    /// query after them is still answered.
    func testMalformedAndHostileQueriesGetErrors() throws {
        let ok = #""rules":"chinese","boardXSize":19,"boardYSize":19"#
        let tenThousand = Array(repeating: #"["B","pass"]"#, count: 10_000).joined(separator: ",")
        let cases: [(String, String?, String)] = [
            ("garbage", nil, "Could not parse json"),
            ("[1,2,3]", nil, "Query must be a JSON object"),
            (#"{"moves":[],\#(ok)}"#, "id", "Required field 'id' is missing or not a string"),
            (#"{"id":"a",\#(ok)}"#, "moves", "Required field is missing"),
            (
                #"{"id":"a","moves":[],"rules":"chess","boardXSize":19,"boardYSize":19}"#, "rules",
                "Could not parse rules: chess"
            ),
            (
                #"{"id":"a","moves":[],"rules":"chinese","boardXSize":9,"boardYSize":9}"#, "boardXSize",
                "gonet's networks play on 19x19 boards only, not 9"
            ),
            (#"{"id":"a","moves":[["B","Z99"]],\#(ok)}"#, "moves", "Could not parse location 0: Z99"),
            (#"{"id":"a","moves":[["X","D4"]],\#(ok)}"#, "moves", "Entry 0 is not a [player, location] pair"),
            (#"{"id":"a","moves":[["B","D4"],["W","D4"]],\#(ok)}"#, "moves", "Illegal move 1: D4 (occupied)"),
            (#"{"id":"a","moves":[],\#(ok),"maxVisits":1e12}"#, "maxVisits", "Must be an integer from 1 to 100000000"),
            (#"{"id":"a","moves":[],\#(ok),"maxVisits":-3}"#, "maxVisits", "Must be an integer from 1 to 100000000"),
            (
                #"{"id":"a","moves":[],\#(ok),"komi":1e300}"#, "komi",
                "Must be an integer or half-integer from -150 to 150"
            ),
            (
                #"{"id":"a","moves":[],\#(ok),"analyzeTurns":[5]}"#, "analyzeTurns",
                "Turn numbers must be integers from 0 to 0"
            ),
            (
                #"{"id":"a","moves":[],\#(ok),"analyzeTurns":[0],"priorities":[1,2]}"#, "priorities",
                "Must be a list as long as analyzeTurns"
            ),
            (#"{"id":"a","moves":[],\#(ok),"priorities":[0.5]}"#, "priorities", "Priorities must be integers"),
            (
                #"{"id":"a","moves":[],\#(ok),"allowMoves":[{"player":"B","moves":["D4"],"untilDepth":1},{"player":"W","moves":["D4"],"untilDepth":1}]}"#,
                "allowMoves", "Must be a list of exactly one object"
            ),
            (
                #"{"id":"a","moves":[],\#(ok),"avoidMoves":[{"player":"B","moves":["Z99"],"untilDepth":1}]}"#,
                "avoidMoves", "Could not parse a move in the list"
            ),
            (#"{"id":"a","moves":[\#(tenThousand)],\#(ok)}"#, "moves", "10000 entries: gonet reads at most 1000"),
            (#"{"id":"a","moves":[],\#(ok),"includeOwnership":"yes"}"#, "includeOwnership", "Must be a boolean"),
            (
                #"{"id":"a","moves":[],\#(ok),"whiteHandicapBonus":"2N"}"#, "whiteHandicapBonus",
                "Must be \"0\", \"N\" or \"N-1\""
            ),
            (
                #"{"id":"a","moves":[],\#(ok),"overrideSettings":{"reportAnalysisWinratesAs":"ME"}}"#,
                "overrideSettings", "reportAnalysisWinratesAs must be BLACK, WHITE or SIDETOMOVE"
            ),
        ]
        let answers = run(cases.map(\.0) + [#"{"id":"good","moves":[],\#(ok)}"#])
        XCTAssertEqual(answers.count, cases.count + 1)
        for (i, (line, field, message)) in cases.enumerated() {
            XCTAssertEqual(answers[i]["error"] as? String, message, String(line.prefix(80)))
            XCTAssertEqual(answers[i]["field"] as? String, field, String(line.prefix(80)))
        }
        XCTAssertNotNil(answers.last?["rootInfo"])
    }

    func testUnusedSettingsAndFieldsAreWarnedAboutAndTheQueryRuns() throws {
        let q =
            #"{"id":"w","moves":[],"rules":"japanese","boardXSize":19,"boardYSize":19,"colour":"blue","rootPolicyTemperature":2,"whiteHandicapBonus":"N","overrideSettings":{"wideRootNoise":0.04,"maxTime":5}}"#
        let answers = run([q])
        XCTAssertEqual(answers.count, 4)
        XCTAssertEqual(answers[0]["warning"] as? String, "Settings gonet does not use, ignored: wideRootNoise")
        XCTAssertEqual(answers[1]["warning"] as? String, "Unexpected or unused field")
        XCTAssertEqual(answers[1]["field"] as? String, "colour")
        XCTAssertEqual(answers[2]["warning"] as? String, "Unexpected or unused field")
        XCTAssertEqual(answers[2]["field"] as? String, "rootPolicyTemperature")
        XCTAssertNotNil(answers[3]["rootInfo"])
    }

    /// A line of more than a megabyte is answered with an error without being held, and the
    /// next query is answered as usual.
    func testAHugeLineIsRefusedAndTheNextQueryAnswered() throws {
        let answers = Answers()
        let e = engine(answers)
        var fds: [Int32] = [0, 0]
        XCTAssertEqual(pipe(&fds), 0)
        let writeEnd = fds[1]
        let writer = Thread {
            let huge = [UInt8](repeating: UInt8(ascii: "x"), count: 3 << 20) + [10]
            let good =
                Array(#"{"id":"after","moves":[],"rules":"chinese","boardXSize":19,"boardYSize":19}"#.utf8) + [10]
            for chunk in [huge, good] {
                chunk.withUnsafeBytes { buffer in
                    var off = 0
                    while off < buffer.count { off += write(writeEnd, buffer.baseAddress! + off, buffer.count - off) }
                }
            }
            close(writeEnd)
        }
        writer.start()
        e.run(reading: fds[0])
        close(fds[0])
        let all = answers.all
        XCTAssertEqual(all.count, 2)
        XCTAssertEqual(all[0]["error"] as? String, "Query line of \(3 << 20) bytes: at most 1048576 are read")
        XCTAssertEqual(all[1]["id"] as? String, "after")
    }

    /// A search told to stop answers with what it has; positions still waiting answer `noResults`;
    /// meanwhile the highest priority goes first.
    func testTerminateAndPriorities() throws {
        let answers = Answers()
        let e = engine(answers, mode: .mcts, workers: 1, visits: 100_000_000)
        let base = #""rules":"chinese","boardXSize":19,"boardYSize":19"#
        e.handle(Data(#"{"id":"long","moves":[],\#(base),"reportDuringSearchEvery":0.05}"#.utf8))
        // Once the long search runs, two more wait behind it.
        XCTAssertNotNil(answers.wait { $0["id"] as? String == "long" && $0["isDuringSearch"] as? Bool == true })
        e.handle(Data(#"{"id":"low","moves":[],\#(base),"maxVisits":8,"priority":0}"#.utf8))
        e.handle(Data(#"{"id":"high","moves":[],\#(base),"maxVisits":8,"priority":5}"#.utf8))
        e.handle(Data(#"{"id":"gone","moves":[],\#(base),"maxVisits":8,"analyzeTurns":[0]}"#.utf8))
        e.handle(Data(#"{"id":"t1","action":"terminate","terminateId":"gone"}"#.utf8))
        e.handle(Data(#"{"id":"t2","action":"terminate","terminateId":"long"}"#.utf8))
        e.finish()
        let all = answers.all
        let finals = all.filter { $0["isDuringSearch"] as? Bool == false }.compactMap { $0["id"] as? String }
        XCTAssertEqual(finals, ["gone", "long", "high", "low"])
        let gone = try XCTUnwrap(all.first { $0["id"] as? String == "gone" })
        XCTAssertEqual(gone["noResults"] as? Bool, true)
        XCTAssertNil(gone["moveInfos"])
        XCTAssertEqual(all.first { $0["id"] as? String == "t1" }?["terminateId"] as? String, "gone")
        let long = try XCTUnwrap(all.last { $0["id"] as? String == "long" })
        XCTAssertGreaterThan((long["rootInfo"] as? [String: Any])?["visits"] as? Int ?? 0, 0)
    }
}
